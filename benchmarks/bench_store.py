"""The report file's commit and open times (issue 14: the commit must stay under 5 ms).

Run: .venv/bin/python benchmarks/bench_store.py [FOLDER]  (default: a temporary folder on the
system disk). A commit is one `set_value` (the cell, its recomputed totals and the audit row, then
the fsyncs of the journal mode); it is measured on a fresh file and again after 2,000 changes, when
the audit trail is long; and without fsync (synchronous=OFF), to show the CPU part. Open is a full
validated open of that file. Count the syncs of a commit with
    strace -f -e trace=fsync,fdatasync .venv/bin/python benchmarks/bench_store.py"""

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
from giapp.store import ReportFile  # noqa: E402

CELLS = ["s3.r1.natural", "s3.r4_1.legal", "s4.review.upheld", "s2.licensing", "s3.new.natural"]


def stats(samples):
    samples = sorted(samples)
    return (round(statistics.median(samples) * 1000, 3), round(samples[int(len(samples) * 0.95)] * 1000, 3),
            len(samples))


def commits(f, n, offset=0):
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        f.set_value(CELLS[i % len(CELLS)], (i + offset) % 50)
        out.append(time.perf_counter() - t0)
    return out


def main(folder: Path):
    data = json.loads((ROOT / "tests/data/real-2021-nonzero.json").read_text(encoding="utf-8"), parse_float=Decimal)
    report = Report.from_json(data)
    path = folder / "基准 报告.gireport"
    path.unlink(missing_ok=True)
    ReportFile.create(path, report).close()
    results = {}
    with ReportFile.open(path) as f:
        results["commit one change, fresh file"] = stats(commits(f, 300))
        commits(f, 2000, 1)
        results["commit one change, 2,300 audit rows"] = stats(commits(f, 300, 2))
        t0 = time.perf_counter()
        f.set_text("s1", "总体情况。" * 2000)
        results["commit a 10,000-character text"] = stats([time.perf_counter() - t0])
        f._conn.execute("PRAGMA synchronous=OFF")  # what giapp and SQLite add besides waiting for the disk
        results["commit, no fsync (CPU), 2,300 rows"] = stats(commits(f, 300, 3))
    opens = []
    for _ in range(30):
        t0 = time.perf_counter()
        f = ReportFile.open(path)
        opens.append(time.perf_counter() - t0)
        f.close()
    results["open (validated), 2,300 audit rows"] = stats(opens)
    path.unlink()
    for name, (median, p95, n) in results.items():
        print(f"{name:40s} median {median:8.3f} ms   p95 {p95:8.3f} ms   (n={n})")
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
            main(Path(tmp))
