"""The window. For now a read-only overview of a report and its findings; the editable grids
come with their own issue."""

import sys
from html import escape
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTextBrowser

from ..demo import demo_report_path
from ..errors import GiappError
from ..report import STATUSES, level_name
from ..rules import SEVERITY_NAMES, check, counts, sorted_findings
from ..store import ReportFile


class MainWindow(QMainWindow):
    def __init__(self, file: ReportFile):
        super().__init__()
        self.file = file
        report = file.report
        self.setWindowTitle(f"{report.organ.name} {report.year}年度 — {file.path.name} — giapp")
        findings = sorted_findings(check(report))
        errors, warnings = counts(findings)
        rows = "".join(
            f"<li><b>{SEVERITY_NAMES[f.severity]}</b> {escape(f.message)}</li>" for f in findings
        )
        view = QTextBrowser()
        view.setHtml(
            f"<h2>{escape(report.organ.name)}{report.year}年政府信息公开工作年度报告</h2>"
            f"<p>{escape(level_name(report.organ.level))} · {STATUSES[report.status]}</p>"
            f"<h3>校验结果：{errors}个错误，{warnings}个警告</h3><ul>{rows}</ul>"
        )
        self.setCentralWidget(view)
        self.statusBar().showMessage(f"{errors}个错误，{warnings}个警告")
        self.resize(1000, 700)

    def closeEvent(self, event):
        self.file.close()
        super().closeEvent(event)


def run(path: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("giapp")
    try:
        file = ReportFile.open(Path(path) if path else demo_report_path())
    except GiappError as e:
        QMessageBox.critical(None, "无法打开报告", str(e))
        return 2
    window = MainWindow(file)
    window.show()
    return app.exec()
