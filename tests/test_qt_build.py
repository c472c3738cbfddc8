"""The PySide6 build we run on keeps Python's reference counts: PySide6 6.12.0 on Python 3.11 takes a
reference from None at every void call and from True at every emit, and the interpreter aborts
("none_dealloc", "bool_dealloc") after a few thousand calls, i.e. minutes into a clerk's work."""

import sys

import PySide6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPlainTextEdit

from giapp.ui.app import make_app


class _Probe(QObject):
    ping = Signal(object)


def test_void_calls_and_emits_keep_reference_counts(qtbot):
    make_app()
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    probe = _Probe()
    probe.ping.connect(lambda _: None)
    none, true = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(200):
        edit.setEnabled(True)
        edit.setPlainText(str(i))
        probe.ping.emit(i)
    assert sys.getrefcount(None) - none > -50, f"PySide6 {PySide6.__version__} leaks references to None"
    assert sys.getrefcount(True) - true > -50, f"PySide6 {PySide6.__version__} leaks references to True"
