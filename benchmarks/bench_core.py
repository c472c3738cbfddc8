"""Core benchmarks (issue 2): check a full report after one change, open a report file, commit one
change. Run: .venv/bin/python benchmarks/bench_core.py. Targets: check under 1 ms median."""

import json
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from giapp.report import Report  # noqa: E402
from giapp.rules import check  # noqa: E402
from giapp.store import ReportFile  # noqa: E402


def stats(samples):
    samples = sorted(samples)
    return {"median_ms": round(statistics.median(samples) * 1000, 3),
            "p95_ms": round(samples[int(len(samples) * 0.95)] * 1000, 3), "n": len(samples)}


def main():
    data = json.loads((ROOT / "tests/data/real-2021-nonzero.json").read_text(encoding="utf-8"), parse_float=Decimal)
    report = Report.from_json(data)
    report.annex = "annex-stats"  # the full report: main tables and the annex
    demo = json.loads((ROOT / "resources/demo/xiaomeng-2021.json").read_text(encoding="utf-8"))
    for cid, v in demo["values"].items():
        if cid.startswith("a."):
            report.values[cid] = v
    cells = ["s3.r1.natural", "s3.r4_1.legal", "s4.review.upheld", "s2.licensing", "a.channels.wechat"]

    check(report)  # warm-up (compiles the rules once)
    only_check, change_and_check = [], []
    for i in range(3000):
        t0 = time.perf_counter()
        report.set_value(cells[i % len(cells)], i % 50)
        t1 = time.perf_counter()
        check(report)
        t2 = time.perf_counter()
        only_check.append(t2 - t1)
        change_and_check.append(t2 - t0)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "基准 报告.gireport"
        ReportFile.create(path, report).close()
        opens = []
        for _ in range(50):
            t0 = time.perf_counter()
            f = ReportFile.open(path)
            opens.append(time.perf_counter() - t0)
            f.close()
        f = ReportFile.open(path)
        commits = []
        for i in range(300):
            t0 = time.perf_counter()
            f.set_value(cells[i % len(cells)], i % 50)
            commits.append(time.perf_counter() - t0)
        f.close()

    results = {
        "check full report after one change": stats(only_check),
        "one change + recompute + check": stats(change_and_check),
        "open a report file (validated)": stats(opens),
        "commit one change (fsync)": stats(commits),
    }
    for name, s in results.items():
        print(f"{name:40s} median {s['median_ms']:8.3f} ms   p95 {s['p95_ms']:8.3f} ms   (n={s['n']})")
    return results


if __name__ == "__main__":
    main()
