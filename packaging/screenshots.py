"""Screenshots of the real application, for the manual (resources/manual/images/) and for looking
at the layout against the official tables.

    .venv/bin/python packaging/screenshots.py [OUT_DIR] [--size 1366x768] [--scale 1.5] [--png]

Runs offscreen on a copy of the demo report in a temporary profile: the start page, every
section, a finding followed to its cells, a refused input, the report data, the sign-off dialog,
a signed report, the audit trail and an import report. JPEG by default (small enough to ship).
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "resources" / "manual" / "images")
    parser.add_argument("--size", default="1366x768", help="screen size in pixels, e.g. 1366x768")
    parser.add_argument("--scale", default="1", help="display scaling, e.g. 1.5 for 150 %%")
    parser.add_argument("--png", action="store_true", help="PNG instead of JPEG")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = args.scale
    profile = Path(tempfile.mkdtemp(prefix="giapp-shots-"))
    os.environ["XDG_DATA_HOME"] = str(profile / "data")
    os.environ["XDG_CONFIG_HOME"] = str(profile / "config")
    sys.path.insert(0, str(ROOT))

    from datetime import date

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from giapp.export import write
    from giapp.inputs import read_imported
    from giapp.ui.app import make_app
    from giapp.ui.dialogs import ImportReportDialog, ReportDataDialog
    from giapp.ui.window import GridPage, MainWindow

    make_app()
    width, height = (int(v) for v in args.size.split("x"))
    scale = float(args.scale)
    args.out.mkdir(parents=True, exist_ok=True)
    written = []

    def shot(widget, name: str) -> None:
        QTest.qWait(30)
        path = args.out / f"{name}.{'png' if args.png else 'jpg'}"
        image = widget.grab().toImage()
        if not args.png and image.width() > 1100:  # small enough to ship inside the application
            image = image.scaledToWidth(1100, Qt.SmoothTransformation)
        image.save(str(path), None, -1 if args.png else 78)
        written.append(path)

    window = MainWindow()
    window.resize(int(width / scale), int(height / scale) - 30)  # minus a taskbar
    window.show()
    shot(window, "01-start")
    window.open_demo()
    names = {"s1": "02-s1", "s2": "03-s2", "s3": "04-s3", "s4": "05-s4", "s5": "06-s5", "s6": "07-s6", "a": "08-annex"}
    for section in window.sections():
        window.goto_section(section)
        page = window.page(section)
        if isinstance(page, GridPage):
            page.view.go_first_input()
        shot(window, names.get(section, section))
    window.checks.list.setCurrentRow(0)
    window.goto_finding(window.session.findings[0])
    shot(window, "09-finding")
    window.goto_section("s3")
    view = window.page("s3").view
    view.setCurrentIndex(view.grid_model.index_of("s3.new.natural"))
    window.session.set_values({"s3.new.natural": "abc"})
    window.show_message("error", "三、收到和处理政府信息公开申请情况 · 一、本年新收政府信息公开申请数量 · 自然人：“abc”不是数字。已保留原值")
    shot(window, "10-refused")
    data = ReportDataDialog(window.session.report_data(), parent=window)
    data.show()
    shot(data, "11-report-data")
    data.close()
    sign = window.sign_dialog()
    sign.preparer.setText("张三")
    sign.reviewer.setText("李四")
    sign.approver.setText("王五")
    shot(sign, "12-sign-refused")
    sign.close()
    # a report that can be signed: the real county report with its warnings explained
    real = profile / "沭阳县2025年度报告.gireport"
    from giapp.report import Report
    from giapp.store import ReportFile

    report = read_imported(ROOT / "tests" / "data" / "real-2021-nonzero.json").report
    report.texts["s6.1"] = report.texts.pop("s6")  # 六's one paragraph (the fee) under its item, the rest off
    report.settings["s6_items"] = ["s6.1"]
    report.explanations.update({"X-carried.natural": "上年报告为纸质文件，已人工核对", "X-carried.total": "同上，上年报告为纸质文件",
                                "W-oversight": "见监督保障部分"})
    ReportFile.create(real, report).close()
    window.open_file(real)
    window.session.sign({"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"})
    window.goto_section("s3")
    shot(window, "13-signed")
    audit = window.audit_dialog()
    shot(audit, "14-audit")
    audit.close()
    docx = write("docx", Report.from_json(
        {**report.to_json(), "status": "draft", "signoff": None}), profile / "上年报告.docx", date(2026, 1, 23))
    dialog = ImportReportDialog(read_imported(docx), ask=True, parent=window)
    dialog.show()
    shot(dialog, "15-import-report")
    dialog.close()
    window.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
