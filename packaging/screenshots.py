"""Screenshots of every section of the window, for the manual and for looking at the layout.

    .venv/bin/python packaging/screenshots.py [OUT_DIR] [--size 1366x768] [--scale 1.5]

Runs offscreen on the demo report (a copy in a temporary profile); one PNG per section, plus the
check panel following a finding and a refused input.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("build/screenshots"))
    parser.add_argument("--size", default="1366x768", help="screen size in pixels, e.g. 1366x768")
    parser.add_argument("--scale", default="1", help="display scaling, e.g. 1.5 for 150 %%")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = args.scale
    profile = tempfile.mkdtemp(prefix="giapp-shots-")
    os.environ["XDG_DATA_HOME"] = str(Path(profile) / "data")
    os.environ["XDG_CONFIG_HOME"] = str(Path(profile) / "config")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    from PySide6.QtTest import QTest

    from giapp.demo import demo_report_path
    from giapp.store import ReportFile
    from giapp.ui.app import make_app
    from giapp.ui.window import GridPage, MainWindow

    make_app()
    width, height = (int(v) for v in args.size.split("x"))
    scale = float(args.scale)
    window = MainWindow(ReportFile.open(demo_report_path()))
    window.resize(int(width / scale), int(height / scale) - 30)  # minus a taskbar
    window.show()
    QTest.qWait(50)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"{args.size}@{int(scale * 100)}"
    shots = []
    for i, section in enumerate(window.sections(), 1):
        window.goto_section(section)
        page = window.page(section)
        if isinstance(page, GridPage):
            page.view.setCurrentIndex(page.view.first_input())
        QTest.qWait(20)
        shots.append(args.out / f"{i:02d}-{section}-{suffix}.png")
        window.grab().save(str(shots[-1]))
    window.checks.list.setCurrentRow(0)
    window.goto_finding(window.session.findings[0])
    QTest.qWait(20)
    shots.append(args.out / f"{len(shots) + 1:02d}-finding-{suffix}.png")
    window.grab().save(str(shots[-1]))
    window.goto_section("s3")
    view = window.page("s3").view
    view.setCurrentIndex(view.grid_model.index_of("s3.new.natural"))
    window.show_message("error", "三、收到和处理政府信息公开申请情况 · 一、本年新收政府信息公开申请数量 · 自然人："
                                         "“abc”不是数字。已保留原值")
    QTest.qWait(20)
    shots.append(args.out / f"{len(shots) + 1:02d}-refused-{suffix}.png")
    window.grab().save(str(shots[-1]))
    window.close()
    for shot in shots:
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
