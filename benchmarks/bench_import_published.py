"""Import benchmark for published reports (issue 15): a PDF or a web page imported in under 1 s.

The files: the real report with its annex as our reportlab exporter prints it (12 pages, draft
watermark), the same Word file printed to PDF by LibreOffice (when soffice is installed), and
that Word file published as a Word-pasted GBK web page and as a web archive (.mht). Each is
read in-process (first read, then the median of 10) and by `giapp import` in a fresh process
(everything loaded from scratch, as the clerk runs it).

Run: .venv/bin/python benchmarks/bench_import_published.py
"""

import shutil
import statistics
import subprocess
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


def timed(path: Path, runs: int = 10) -> tuple[float, float]:
    t0 = time.perf_counter()
    read_imported(path)
    first = time.perf_counter() - t0
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        read_imported(path)
        samples.append(time.perf_counter() - t0)
    return first, statistics.median(samples)


def command(path: Path, folder: Path) -> float:
    out = folder / f"{path.stem}.gireport"
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "giapp", "import", str(out), str(path)], check=True, capture_output=True)
    return time.perf_counter() - t0


def main():
    import web_files

    day = date(2026, 1, 23)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = export.write("docx", full_report(), folder / "report.docx", day)
        files = {"PDF, our reportlab export": export.write("pdf", full_report(), folder / "report-rl.pdf", day)}
        if shutil.which("soffice"):
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(docx)],
                           check=True, capture_output=True, timeout=300)
            files["PDF, printed by LibreOffice"] = folder / "lo" / "report.pdf"
        files["web page, Word-pasted, GBK"] = web_files.word_page(docx, folder / "report.htm", encoding="gbk")
        files["web archive (.mht)"] = web_files.word_archive(docx, folder / "report.mht")
        for name, path in files.items():
            first, median = timed(path)
            cold = min(command(path, folder) for _ in range(3))
            print(f"{name:30s} first {first:.3f} s, then median {median:.3f} s; `giapp import` {cold:.2f} s")


if __name__ == "__main__":
    main()
