"""Window benchmarks (issue 3), offscreen:

1. start to window shown, with a full report (main tables, annex, texts), against a bare PySide6
   window holding one QTableView, both measured in this run as fresh processes (target: within 1.5x).
   "Shown" is when the event loop has painted the shown window: both programs then print the
   system-wide monotonic clock (time.perf_counter), so the time runs from the parent starting the
   process to the first painted window. The whole run, to the process's end, is given as well;
2. keystroke to repainted check panel: Enter in a cell's editor until the check panel has been
   repainted with the new findings (target: under 16 ms).

Run: .venv/bin/python benchmarks/bench_window.py
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([])
window = QMainWindow()
view = QTableView()
view.setModel(QStandardItemModel(28, 10))
window.setCentralWidget(view)
window.resize(1200, 800)
window.show()
QTimer.singleShot(0, lambda: (print("shown", time.perf_counter(), flush=True), app.quit()))
app.exec()
"""


def full_report(folder: Path) -> Path:
    from giapp.report import Report
    from giapp.store import ReportFile

    data = json.loads((ROOT / "tests/data/real-2021-nonzero.json").read_text(encoding="utf-8"), parse_float=Decimal)
    demo = json.loads((ROOT / "resources/demo/xiaomeng-2021.json").read_text(encoding="utf-8"), parse_float=Decimal)
    data["annex"] = "annex-stats"
    data["values"].update({k: v for k, v in demo["values"].items() if k.startswith("a.")})
    path = folder / "完整 报告.gireport"
    ReportFile.create(path, Report.from_json(data)).close()
    return path


def run_once(cmd, env) -> tuple[float, float]:
    """(start to window shown, start to the process's end) in seconds."""
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    end = time.perf_counter()
    shown = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("shown "))
    return shown - t0, end - t0


def startup(folder: Path, runs: int = 15) -> dict:
    """The programs started in turn, so that machine load falls on all alike. The third one is the
    bare window whose code also names the Qt namespace (Qt.AlignLeft and the like): PySide6 then
    creates that namespace's 96 Python enums, which any real program pays and the bare one does not."""
    path = full_report(folder)
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder / "c"), "XDG_DATA_HOME": str(folder / "d"),
           "GIAPP_EXIT_WHEN_SHOWN": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed application has its .pyc files, as PySide6 has
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "giapp")], check=True)
    cmds = {"bare": [sys.executable, "-c", BARE], "giapp": [sys.executable, "-m", "giapp", str(path)],
            "bare+Qt": [sys.executable, "-c", "from PySide6.QtCore import Qt\n" + BARE]}
    times = {name: [] for name in cmds}
    for name, cmd in cmds.items():
        run_once(cmd, env)  # warm the disk cache and .pyc files
    for _ in range(runs):
        for name, cmd in cmds.items():
            times[name].append(run_once(cmd, env))
    shown = {name: statistics.median(t[0] for t in ts) for name, ts in times.items()}
    end = {name: statistics.median(t[1] for t in ts) for name, ts in times.items()}
    b, g, q = shown["bare"], shown["giapp"], shown["bare+Qt"]
    return {"start to shown: bare QTableView window, median (s)": round(b, 3),
            "start to shown: giapp with a full report, median (s)": round(g, 3),
            "ratio (target <= 1.5)": round(g / b, 2),
            "start to shown: bare window naming Qt.*, median (s)": f"{q:.3f} ({q / b:.2f}x)",
            "start to end of process: bare / giapp (s)":
                f"{end['bare']:.3f} / {end['giapp']:.3f} ({end['giapp'] / end['bare']:.2f}x)"}


def keystroke(folder: Path) -> dict:
    os.environ["XDG_CONFIG_HOME"] = str(folder / "c2")
    os.environ["XDG_DATA_HOME"] = str(folder / "d2")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from giapp.store import ReportFile
    from giapp.ui.app import make_app
    from giapp.ui.window import MainWindow

    make_app()
    window = MainWindow(ReportFile.open(full_report(folder / "k")))
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    window.goto_section("s3")
    view = window.page("s3").view
    panel = window.checks.list
    samples = []
    for i in range(200):
        view.setCurrentIndex(view.grid_model.index_of("s3.r1.natural"))
        view.setFocus()
        QTest.keyClick(view, str(i % 10))  # opens the editor with the digit
        editor = QApplication.focusWidget()
        t0 = time.perf_counter()
        QTest.keyClick(editor, Qt.Key_Return)  # commit: save, recompute, check, update the panel
        panel.viewport().repaint()
        samples.append(time.perf_counter() - t0)
    window.close()
    samples.sort()
    return {"keystroke to repainted check panel, median (ms)": round(statistics.median(samples) * 1000, 2),
            "p95 (ms)": round(samples[int(len(samples) * 0.95)] * 1000, 2)}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "k").mkdir()
        results = {**startup(Path(tmp)), **keystroke(Path(tmp))}
    for name, value in results.items():
        print(f"{name:50s} {value}")
    return results


if __name__ == "__main__":
    main()
