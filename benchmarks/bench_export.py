"""Export benchmark (issue 4): the Word report, the PDF and the Excel annex of a full report
(target: together under 1 s), and the sign-off sheet (issue 13), against LibreOffice converting
our own .docx to PDF, in the same run.

Run: .venv/bin/python benchmarks/bench_export.py
"""

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from giapp import export  # noqa: E402
from giapp.report import Report  # noqa: E402


def full_report() -> Report:
    data = json.loads((ROOT / "tests/data/real-2021-nonzero.json").read_text(encoding="utf-8"), parse_float=Decimal)
    demo = json.loads((ROOT / "resources/demo/xiaomeng-2021.json").read_text(encoding="utf-8"), parse_float=Decimal)
    data["annex"] = "annex-stats"
    data["values"].update({k: v for k, v in demo["values"].items() if k.startswith("a.")})
    return Report.from_json(data)


def three(report: Report, folder: Path) -> dict:
    times = {}
    for kind in ("docx", "pdf", "xlsx", "sheet"):
        t0 = time.perf_counter()
        export.write(kind, report, folder / f"report{'-sheet' if kind == 'sheet' else ''}.{export.SUFFIXES[kind]}")
        times[kind] = time.perf_counter() - t0
    return times


def main():
    report = full_report()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        cold = three(report, folder)  # first export in a process: fonts parsed, modules imported
        cold_total = time.perf_counter() - t0 - cold["sheet"]
        warm = [three(report, folder) for _ in range(5)]
        warm_total = statistics.median(sum(v for k, v in t.items() if k != "sheet") for t in warm)
        soffice = shutil.which("soffice")
        lo = None
        if soffice:
            profile = (folder / "profile").as_uri()
            cmd = [soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf", "--outdir",
                   str(folder / "lo"), str(folder / "report.docx")]
            subprocess.run(cmd, capture_output=True, check=True)  # first start creates the profile
            samples = []
            for _ in range(3):
                t0 = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=True)
                samples.append(time.perf_counter() - t0)
            lo = statistics.median(samples)
    print(f"{'three exports, first in a process (s)':48s} {cold_total:.3f}  "
          + "  ".join(f"{k} {v:.3f}" for k, v in cold.items() if k != "sheet"))
    print(f"{'three exports, fonts loaded, median (s)':48s} {warm_total:.3f}  "
          + "  ".join(f"{k} {statistics.median(t[k] for t in warm):.3f}" for k in ("docx", "pdf", "xlsx")))
    print(f"{'sign-off sheet, fonts loaded, median (s)':48s} {statistics.median(t['sheet'] for t in warm):.3f}")
    if lo is not None:
        print(f"{'LibreOffice: our .docx to PDF, median (s)':48s} {lo:.3f}")


if __name__ == "__main__":
    main()
