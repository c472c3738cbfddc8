"""Start-up as instructions executed, counted by valgrind (callgrind): deterministic, where the
wall clock of a shared machine varies by a tenth from run to run. Each program ends right after its
first painted window. Needs valgrind (apt install valgrind); takes about a minute.

Run: .venv/bin/python benchmarks/bench_window_instructions.py
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_window import BARE, ROOT, full_report  # noqa: E402

BARE_EXIT = BARE.replace("app.quit()", "__import__('os')._exit(0)")


def instructions(cmd: list[str], env: dict) -> int:
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                            env=env, capture_output=True, text=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def main() -> dict:
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = full_report(Path(tmp))
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": f"{tmp}/c",
               "XDG_DATA_HOME": f"{tmp}/d", "GIAPP_EXIT_WHEN_SHOWN": "exit"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "giapp")], check=True)
        bare = instructions([sys.executable, "-c", BARE_EXIT], env)
        bare_qt = instructions([sys.executable, "-c", "from PySide6.QtCore import Qt\n" + BARE_EXIT], env)
        giapp = instructions([sys.executable, "-m", "giapp", str(path)], env)
    results = {"bare QTableView window (million instructions)": round(bare / 1e6),
               "bare window naming Qt.* (million, ratio)": f"{bare_qt / 1e6:.0f} ({bare_qt / bare:.2f}x)",
               "giapp with a full report (million, ratio to bare)": f"{giapp / 1e6:.0f} ({giapp / bare:.2f}x)",
               "giapp, ratio to the bare window naming Qt.* (target <= 1.4)": f"{giapp / bare_qt:.2f}x"}
    for name, value in results.items():
        print(f"{name:62s} {value}")
    return results


if __name__ == "__main__":
    main()
