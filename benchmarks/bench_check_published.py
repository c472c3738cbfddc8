"""Batch check benchmark (issue 15): `giapp check` on N published PDFs (target: 100 in under 60 s).

The PDFs are copies of the real report with its annex as our exporter prints it (12 pages each);
what is timed is what `giapp check FILE…` runs: giapp.batch.run_files with cli.check_file (read,
check, the JSON row), on worker processes, one a core (--workers 0: all in this process, one file
after another, as before issue 15's second part).

Run: .venv/bin/python benchmarks/bench_check_published.py [N] [--kind pdf|html|docx] [--workers N]
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

from giapp.aggregate import READ_TIMEOUT  # noqa: E402
from giapp.batch import cores, run_files, worker_count  # noqa: E402
from giapp.cli import _unread, check_file  # noqa: E402


def main():
    # here, not at the top: worker processes import this file again ("spawn") and need none of it
    from bench_export import full_report

    from giapp import export

    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--kind", choices=("pdf", "html", "docx"), default="pdf")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: as giapp check)")
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
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        rows, _ = run_files(check_file, files, None, _unread, timeout=READ_TIMEOUT, workers=args.workers)
        elapsed = time.perf_counter() - t0
        assert len(rows) == len(files) and not any("read_error" in r for r in rows)
        workers = worker_count(len(files), args.workers)
        print(f"check on {args.n} {args.kind} files: {elapsed:.1f} s ({elapsed / args.n * 1000:.0f} ms a file; "
              f"{workers or 'no'} worker processes; {cores()} cores, load {load:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after)")


if __name__ == "__main__":
    main()
