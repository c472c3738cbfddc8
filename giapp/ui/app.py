"""Starting the window: the file given, else the last report, else the demo report."""

import gc
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__, recent
from ..errors import GiappError
from ..paths import data_dir
from ..store import ReportFile
from .window import MainWindow

UI_FONTS = {
    "win32": ["Microsoft YaHei UI", "Microsoft YaHei", "SimSun"],
    "darwin": ["PingFang SC", "Hiragino Sans GB", "Heiti SC"],
    "linux": ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"],  # also UOS and Kylin
}


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("giapp")
    app.setApplicationDisplayName("政府信息公开年度报告")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(data_dir("resources") / "icons" / "giapp.png")))  # every window's
    font = app.font()
    # the Chinese UI fonts of this kind of system (Qt takes the first present; each absent one costs a lookup)
    font.setFamilies([*UI_FONTS.get(sys.platform, UI_FONTS["linux"]), font.family()])
    app.setFont(font)
    _translate_qt(app)
    return app


def _translate_qt(app: QApplication) -> None:
    """Qt's own texts in Chinese: file dialogs, OK/Cancel, "replace?", print preview (PySide6 ships them)."""
    if getattr(app, "_giapp_translator", None) is not None:
        return
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        app._giapp_translator = translator


def start_file(path: str | None) -> Path | None:
    """The file given, else the last report; None: the start page (with the demo report)."""
    if path:
        return Path(path)
    files = recent.recent_files()
    return files[0] if files else None


def open_at_start(target: Path | None) -> tuple[ReportFile | None, str]:
    """The report to show first, or None and why it could not be opened: a damaged file never
    keeps giapp from starting (the start page opens and says why)."""
    if target is None:
        return None, ""
    try:
        return ReportFile.open(target), ""
    except GiappError as e:
        why = str(e)
    except Exception as e:  # whatever a crafted file does, the window still starts
        why = f"“{target.name}”无法打开（{e.__class__.__name__}）"
    return None, f"无法打开报告：{why}\n可从下方“最近打开的报告”再次打开（未通过内容校验的报告可以只读方式打开并另存副本）。"


def _started() -> None:
    """The first window is painted. What start-up made lives as long as the window: keep it out of
    every later collection (less work on each keystroke), and collect garbage again from now on."""
    gc.freeze()
    gc.enable()


def _report_faults(window) -> None:
    """From the first paint on, a fault of ours is a sentence and a log file, never a traceback
    (installed then, so that start-up does not pay for it)."""
    from .faults import FaultReporter

    FaultReporter(window).install()


def _shown_and_quit(app: QApplication) -> None:
    """The window is painted: say when (the system-wide monotonic clock), then end. With "exit",
    end there and then (benchmarks counting the instructions up to the first window)."""
    if sys.stdout is not None:
        print("shown", time.perf_counter(), flush=True)
    if os.environ.get("GIAPP_EXIT_WHEN_SHOWN") == "exit":
        os._exit(0)
    app.quit()


def run(path: str | None) -> int:
    app = make_app()
    target = start_file(path)
    file, problem = open_at_start(target)
    window = MainWindow(file)
    if problem:
        window.start.say(problem)
    window.show()
    QTimer.singleShot(0, _started)
    QTimer.singleShot(0, lambda: _report_faults(window))
    if os.environ.get("GIAPP_EXIT_WHEN_SHOWN"):  # benchmarks and the bundle's smoke test
        QTimer.singleShot(0, lambda: _shown_and_quit(app))
    code = app.exec()
    window.close()
    return code
