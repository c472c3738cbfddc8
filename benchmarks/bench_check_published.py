"""Batch check benchmark (issue 15): `giapp check` on N published PDFs (target: 100 in under 60 s),
read one after another and then by worker processes on every core (giapp.parallel).

The PDFs are copies of the real report with its annex as our exporter prints it (12 pages each);
what is timed is what `giapp check` does per file (read, check, the JSON row), in-process.

Run: .venv/bin/python benchmarks/bench_check_published.py [N] [--kind pdf|html|docx]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_export import full_report  # noqa: E402

from giapp import export  # noqa: E402
from giapp.cli import check_file  # noqa: E402
from giapp.parallel import ordered_map, workers_for  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--kind", choices=("pdf", "html", "docx"), default="pdf")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = export.write("docx", full_report(), folder / "r.docx", date(2026, 1, 23))
        if args.kind == "pdf":
            one = export.write("pdf", full_report(), folder / "r.pdf", date(2026, 1, 23))
        elif args.kind == "html":
            import web_files

            one = web_files.word_page(docx, folder / "r.htm", encoding="gbk")
        else:
            one = docx
        files = []
        for i in range(args.n):
            f = folder / f"单位{i:04d}{one.suffix}"
            shutil.copy(one, f)
            files.append(f)
        for workers in (1, workers_for(len(files))):
            t0 = time.perf_counter()
            rows = list(ordered_map(check_file, files, workers=workers))
            elapsed = time.perf_counter() - t0
            assert len(rows) == len(files) and not any("read_error" in r for r in rows)
            print(f"check on {args.n} {args.kind} files, {workers} process(es): {elapsed:.1f} s "
                  f"({elapsed / args.n * 1000:.0f} ms a file; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
