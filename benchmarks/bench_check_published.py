"""Batch check benchmark (issue 15): `giapp check` on N published PDFs (target: 100 in under 60 s),
read one after another.

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
from giapp.inputs import read_imported  # noqa: E402
from giapp.rules import check, counts, sorted_findings  # noqa: E402


def check_file(path: Path) -> tuple:
    """What `giapp check` does for one file."""
    imported = read_imported(path)
    findings = sorted_findings(check(imported.report))
    return counts(findings), [f.to_json() for f in findings], imported.problems


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
        t0 = time.perf_counter()
        rows = [check_file(f) for f in files]
        elapsed = time.perf_counter() - t0
        assert len(rows) == len(files)
        print(f"check on {args.n} {args.kind} files: {elapsed:.1f} s ({elapsed / args.n * 1000:.0f} ms a file; "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
