"""Import benchmark (issue 5): reading last year's Word report (target: under 0.3 s), here the
real report with its annex as our exporter writes it, and the example report as a clerk made it
when tests/clerk_files.py can build it.

Run: .venv/bin/python benchmarks/bench_import.py
"""

import statistics
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
from giapp.imports.word import read_word  # noqa: E402


def timed(path: Path, runs: int = 10) -> tuple[float, float]:
    t0 = time.perf_counter()
    read_word(path)
    first = time.perf_counter() - t0
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        read_word(path)
        samples.append(time.perf_counter() - t0)
    return first, statistics.median(samples)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        files = {"real report with annex (our export)": export.write("docx", full_report(), Path(tmp) / "r.docx",
                                                                      date(2026, 1, 23))}
        try:
            from clerk_files import example_docx

            files["example report (a clerk's Word file)"] = example_docx(Path(tmp) / "example.docx")
        except ImportError:
            pass
        for name, path in files.items():
            first, median = timed(path)
            print(f"Word import, {name:40s} first {first:.3f} s, then median {median:.3f} s")


if __name__ == "__main__":
    main()
