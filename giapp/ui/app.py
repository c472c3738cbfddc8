"""Starting the window: the file given, else the last report, else the demo report."""

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__, recent
from ..demo import demo_report_path
from ..errors import GiappError
from ..store import ReportFile
from .window import MainWindow


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("giapp")
    app.setApplicationDisplayName("政府信息公开年度报告")
    app.setApplicationVersion(__version__)
    font = app.font()
    # Chinese UI fonts as Windows and domestic Linux desktops name them; Qt takes the first present
    font.setFamilies(["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                      "WenQuanYi Micro Hei", "SimSun", font.family()])
    app.setFont(font)
    return app


def start_file(path: str | None) -> Path:
    if path:
        return Path(path)
    files = recent.recent_files()
    return files[0] if files else demo_report_path()


def run(path: str | None) -> int:
    app = make_app()
    try:
        file = ReportFile.open(start_file(path))
    except GiappError as e:
        QMessageBox.critical(None, "无法打开报告", str(e))
        return 2
    window = MainWindow(file)
    window.show()
    if os.environ.get("GIAPP_EXIT_WHEN_SHOWN"):  # benchmarks: start-up time to the first shown window
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    code = app.exec()
    window.close()
    return code
