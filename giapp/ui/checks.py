"""The check panel: every finding, errors first; a click goes to the cells; warnings take a 说明."""

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ..rules import Finding
from .session import Session
from .texts import PlainTextEdit

ICON = {"error": "✖ 错误", "warning": "▲ 警告"}
COLOR = {"error": QColor("#b3261e"), "warning": QColor("#8a5a00")}


class CheckPanel(QWidget):
    goto = Signal(object)  # Finding

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.summary = QLabel()
        self.next_button = QPushButton("下一个问题 (F8)")
        self.next_button.clicked.connect(self.next_problem)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(36)  # the panel may be made small on a small screen
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.list.currentItemChanged.connect(self._current_changed)
        self.explain_label = QLabel("说明（警告属实时填写，签发时需要）：")
        self.explain = PlainTextEdit()
        self.explain.setPlaceholderText("例如：本年规章数据为上级转发，已核实无误")
        self.explain.setMaximumHeight(70)
        self._explain_timer = QTimer(self, singleShot=True, interval=600)
        self._explain_timer.timeout.connect(self._save_explanation)
        self.explain.textChanged.connect(self._explain_timer.start)
        self._explain_rule: str | None = None
        self._refused: tuple | None = None

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.explain_label)
        layout.addWidget(self.explain)
        session.findingsChanged.connect(self.refresh)
        self.refresh()

    def sizeHint(self) -> QSize:
        """The dock's height at first: about a fifth of the window (no second layout pass after showing)."""
        return QSize(super().sizeHint().width(), 150)

    def refresh(self) -> None:
        current = self.current_rule()
        self.list.blockSignals(True)
        self.list.clear()
        for f in self.session.findings:
            mark = "（已说明）" if f.explained else ""
            item = QListWidgetItem(f"{ICON[f.severity]}  {f.message}{mark}")
            item.setData(Qt.UserRole, f)
            item.setForeground(COLOR[f.severity])
            item.setToolTip(f"{f.rule}\n{f.message}")
            self.list.addItem(item)
            if f.rule == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        errors, warnings = self.session.counts()
        self.summary.setText("未发现问题" if not self.session.findings else f"{errors}个错误，{warnings}个警告")
        self._show_explanation()

    def current_rule(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole).rule if item else None

    def current_finding(self) -> Finding | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item else None

    def _activated(self, item) -> None:
        self.goto.emit(item.data(Qt.UserRole))

    def _current_changed(self, *_):
        self._show_explanation()

    def _show_explanation(self) -> None:
        self._save_explanation()
        f = self.current_finding()
        can = f is not None and f.severity == "warning"
        self.explain.setEnabled(can and not self.session.readonly)
        self.explain.setVisible(can)
        self.explain_label.setVisible(can)
        rule = f.rule if can else None
        if rule == self._explain_rule and rule is not None:
            return  # the same warning: leave the clerk's cursor where it is
        self._explain_rule = rule
        self.explain.blockSignals(True)
        self.explain.setPlainText(self.session.report.explanations.get(rule, "") if rule else "")
        self.explain.blockSignals(False)

    def commit(self) -> None:
        self._save_explanation()

    def _save_explanation(self) -> None:
        self._explain_timer.stop()
        rule, text = self._explain_rule, self.explain.toPlainText()
        if (rule is not None and text.strip() != self.session.report.explanations.get(rule, "")
                and (rule, text) != self._refused):
            if not self.session.set_explanation(rule, text):
                self._refused = (rule, text)  # said once; not again at every check until it changes

    def next_problem(self) -> None:
        """The finding after the current one (round again at the end), shown at its place."""
        count = self.list.count()
        if not count:
            return
        row = (self.list.currentRow() + 1) % count
        self.list.setCurrentRow(row)
        self.goto.emit(self.list.item(row).data(Qt.UserRole))
