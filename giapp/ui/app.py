"""Starting the window: the file given, else the last report, else the demo report."""

import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__, recent
from ..errors import GiappError
from ..paths import data_dir
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


def start_file(path: str | None) -> Path | None:
    """The file given, else the last report; None: the start page (with the demo report)."""
    if path:
        return Path(path)
    files = recent.recent_files()
    return files[0] if files else None


def run(path: str | None) -> int:
    app = make_app()
    app.setWindowIcon(QIcon(str(data_dir("resources") / "icons" / "giapp.png")))
    target = start_file(path)
    file = None
    if target is not None:
        try:
            file = ReportFile.open(target)
        except GiappError as e:
            QMessageBox.warning(None, "无法打开报告", str(e))
    window = MainWindow(file)
    window.show()
    if os.environ.get("GIAPP_EXIT_WHEN_SHOWN"):  # benchmarks: start-up time to the first shown window
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    code = app.exec()
    window.close()
    return code
