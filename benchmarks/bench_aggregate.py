"""Aggregate benchmark (issue 8): N units' files checked and added up (scan), then the Excel
workbook (write_workbook); target: 1,000 units under 10 s; 10,000 (a province) without running out
of memory.

The unit files are made from the real report (with the demo's annex) and the demo report, with
varied figures (each input cell scaled by a random factor, totals recomputed; one unit in fifty
keeps a printed total that does not add up), texts and all. Each measurement runs in a process of
its own, so that its peak memory (ru_maxrss) is its own.

Word reports (--kind docx, issue 15: 1,000 under 30 s): each template exported once by our
exporter, then copied for each unit with the unit's name written into it (the figures are those
of the template; reading costs the same). scan reads on worker processes, one a core, as
`giapp aggregate` does (--workers 0: all in the measuring process).

Run: .venv/bin/python benchmarks/bench_aggregate.py [N …] [--kind json|gireport|docx|both] [--workers N]
     [--tracemalloc]   (default: 1000 and 10000, json and gireport)
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from giapp.form import load_form  # noqa: E402
from giapp.report import Report  # noqa: E402


def templates() -> list[Report]:
    real = json.loads((ROOT / "tests/data/real-2021-nonzero.json").read_text(encoding="utf-8"), parse_float=Decimal)
    demo = json.loads((ROOT / "resources/demo/xiaomeng-2021.json").read_text(encoding="utf-8"), parse_float=Decimal)
    with_annex = json.loads(json.dumps(real, default=str), parse_float=Decimal)
    with_annex["annex"] = "annex-stats"
    with_annex["values"].update({k: v for k, v in demo["values"].items() if k.startswith("a.")})
    return [Report.from_json(d) for d in (real, demo, with_annex)]


def make_unit(base: Report, i: int, rng: random.Random) -> Report:
    """A unit's report: the template's figures scaled at random, totals recomputed."""
    r = Report(organ=type(base.organ)(**{**base.organ.__dict__, "name": f"测试省某某县第{i:05d}号乡镇人民政府"}),
               year=2024, format=base.format, texts=dict(base.texts), annex=base.annex, settings=dict(base.settings))
    r.values = dict(base.values)
    for form in r.forms():
        for cid, cell in form.cells.items():
            v = r.values.get(cid)
            if cell.derived or v is None:
                continue
            factor = rng.choice((0, 0.5, 1, 1, 2, 3))
            if cell.type.decimals == 0:
                r.values[cid] = int(v * factor)
            else:
                r.values[cid] = (v * Decimal(str(factor))).quantize(Decimal("0.0001"))
        keep = r.values.get("a.channels.total") if i % 50 == 0 else None
        r.recompute(form)
        if keep is not None:
            r.values["a.channels.total"] = keep + 1  # a printed total that does not add up
    return r


def generate(folder: Path, n: int, kind: str) -> float:
    from giapp.store import write_new_file

    rng = random.Random(n)
    bases = templates()
    t0 = time.perf_counter()
    if kind == "docx":
        generate_word(folder, n, bases)
        return time.perf_counter() - t0
    for i in range(n):
        report = make_unit(bases[i % len(bases)], i, rng)
        path = folder / f"unit-{i:05d}.{kind}"
        if kind == "json":
            path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
        else:
            write_new_file(path, report)
    return time.perf_counter() - t0


def generate_word(folder: Path, n: int, bases: list[Report]) -> None:
    """Word reports made by our exporter: one a template, copied with each unit's name in it."""
    import zipfile
    from datetime import date

    from giapp import export

    made = []
    for k, base in enumerate(bases):
        report = make_unit(base, 0, random.Random(k))
        report.organ.name = "测试省某某县模板乡镇人民政府"
        path = export.write("docx", report, folder.parent / f"template-{k}.docx", date(2025, 1, 20))
        with zipfile.ZipFile(path) as z:
            made.append([(item, z.read(item.filename)) for item in z.infolist()])
    old = "测试省某某县模板乡镇人民政府".encode()
    for i in range(n):
        name = f"测试省某某县第{i:05d}号乡镇人民政府".encode()
        with zipfile.ZipFile(folder / f"unit-{i:05d}.docx", "w", zipfile.ZIP_DEFLATED) as z:
            for item, data in made[i % len(made)]:
                z.writestr(item, data.replace(old, name) if item.filename == "word/document.xml" else data)


def measure(folder: Path, use_tracemalloc: bool, workers: int | None = None) -> None:
    """In a child process: scan + write_workbook, wall time and peak memory, as one JSON line."""
    import tracemalloc

    from giapp.aggregate import scan
    from giapp.export.county import write_workbook

    if use_tracemalloc:
        tracemalloc.start()
    from giapp.batch import cores, worker_count

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    agg = scan([folder], workers=workers)
    t1 = time.perf_counter()
    held = tracemalloc.get_traced_memory()[0] if use_tracemalloc else None
    out = folder.parent / f"{folder.name}.xlsx"
    write_workbook(agg, out)
    t2 = time.perf_counter()
    result = {"scan": t1 - t0, "workbook": t2 - t1, "units": len(agg.included), "files": len(agg.roster),
              "workers": worker_count(len(agg.roster), workers), "cores": cores(), "load_before": load_before,
              "load_after": os.getloadavg()[0], "included": len(agg.included),
              "rss_start_mb": base_rss / 1024, "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "xlsx_mb": out.stat().st_size / 1e6}
    if use_tracemalloc:
        result["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        result["heap_after_scan_mb"] = held / 1e6
    # what the workbook would cost if each unit were read again instead of kept as compact figures
    from giapp.inputs import read_imported

    sample = sorted(folder.iterdir())[:200]
    t0 = time.perf_counter()
    for p in sample:
        read_imported(p)
    result["reread_per_file_ms"] = (time.perf_counter() - t0) / len(sample) * 1000
    figures = sum(len(r.figures) * r.figures.itemsize for r in agg.roster if r.figures is not None)
    result["figures_mb"] = figures / 1e6
    print(json.dumps(result))


def run(n: int, kind: str, use_tracemalloc: bool, workers: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "units"
        folder.mkdir()
        made = generate(folder, n, kind)
        cmd = [sys.executable, __file__, "--measure", str(folder)] + (["--tracemalloc"] if use_tracemalloc else [])
        cmd += [] if workers is None else ["--workers", str(workers)]
        child = subprocess.run(cmd, capture_output=True, text=True)
        if child.returncode:
            print(child.stderr)
            raise SystemExit(child.returncode)
        r = json.loads(child.stdout.strip().splitlines()[-1])
        total = r["scan"] + r["workbook"]
        target = 30 if kind == "docx" else 10
        verdict = "" if n != 1000 else (f"  (target < {target} s: " + ("met)" if total < target else "MISSED)"))
        print(f"N={n:>6} .{kind:<8} files made in {made:5.1f} s | scan {r['scan']:6.2f} s + workbook "
              f"{r['workbook']:5.2f} s = {total:6.2f} s{verdict}")
        print(f"{'':16} {r['workers'] or 'no'} worker processes, {r['cores']} cores; load {r['load_before']:.1f} "
              f"before the scan, {r['load_after']:.1f} after; {r['included']} units added")
        print(f"{'':16} peak RSS {r['rss_peak_mb']:.0f} MB (after imports {r['rss_start_mb']:.0f} MB); "
              f"compact figures {r['figures_mb']:.1f} MB; reading a file again {r['reread_per_file_ms']:.1f} ms; "
              f"workbook {r['xlsx_mb']:.1f} MB"
              + (f"; Python heap peak {r['heap_peak_mb']:.0f} MB, held after scan {r['heap_after_scan_mb']:.0f} MB"
                 if "heap_peak_mb" in r else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--kind", choices=("json", "gireport", "docx", "both"), default="both")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: as giapp aggregate)")
    parser.add_argument("--tracemalloc", action="store_true", help="also the Python heap (slower)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.tracemalloc, args.workers)
        return
    load_form("gov-info-2021")
    kinds = ("json", "gireport") if args.kind == "both" else (args.kind,)
    for n in args.n:
        for kind in kinds:
            run(n, kind, args.tracemalloc, args.workers)


if __name__ == "__main__":
    main()
