"""Unexpected exceptions in the window (a slot, a paint, a worker thread): written to a log file
(crashlog) and told to the clerk in one sentence with the log's path, never a traceback; the window
goes on. Every change was saved when it was made, so nothing typed before is lost."""

import sys
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox

from .. import crashlog

MAX_LOGS = 10  # a fault repeated on every paint: the first ones are logged, then only counted


class FaultReporter(QObject):
    said = Signal(str)  # emitted from any thread, shown in the window's (GUI) thread

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.logged = 0
        self.box: QMessageBox | None = None
        self.said.connect(self._show, Qt.QueuedConnection)

    def install(self) -> "FaultReporter":
        sys.excepthook = self.hook
        threading.excepthook = lambda args: self.hook(args.exc_type, args.exc_value, args.exc_traceback)
        return self

    def hook(self, kind, exc, tb) -> None:
        if exc is None or issubclass(kind, (KeyboardInterrupt, SystemExit)):
            sys.__excepthook__(kind, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self.logged += 1
        log = crashlog.record(exc) if self.logged <= MAX_LOGS else None
        self.said.emit(crashlog.message(exc, log) if self.logged <= MAX_LOGS else "")

    def _show(self, text: str) -> None:
        if not text or (self.box is not None and self.box.isVisible()):
            return  # one message at a time; the others are in the logs
        self.box = QMessageBox(QMessageBox.Critical, "内部错误", text, QMessageBox.Ok, self.window)
        self.box.setModal(False)
        self.box.show()
