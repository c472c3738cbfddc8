"""The text sections: one editor each, the official outline as a start, a character count."""

from PySide6.QtCore import QEvent, QKeyCombination, QMimeData, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from ..document import preamble
from .session import Session


def bold_label(text: str, scale: float = 1.0) -> QLabel:
    """A heading as a plain-text label in a bold font: a rich-text label lays out a whole text
    document each time its size is asked for, and would read "<" in a name as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.PlainText)
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


class PlainTextEdit(QPlainTextEdit):
    """Plain text only (pasted Word formatting is dropped); undo goes through the window's stack."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)

    def event(self, event):
        # let Ctrl+Z / Ctrl+Y reach the window's undo stack instead of the editor's own
        if event.type() == QEvent.ShortcutOverride and (event.matches(QKeySequence.Undo) or event.matches(QKeySequence.Redo)
                                                        or event.keyCombination() == QKeyCombination(Qt.ControlModifier, Qt.Key_Y)):
            event.ignore()
            return False
        return super().event(event)

    def insertFromMimeData(self, source: QMimeData):
        if source.hasText():
            self.insertPlainText(source.text().replace("\r\n", "\n").replace("\u3000\u3000", "").replace("\t", ""))


class TextEditor(QWidget):
    """One text (a section or an item of 六) saved after a short pause in typing."""

    def __init__(self, session: Session, key: str, title: str, outline: list[str] | None = None,
                 limit: int | None = None, parent=None):
        super().__init__(parent)
        self.session, self.key, self.limit = session, key, limit
        self.outline = outline or []
        self.title = bold_label(title)
        self.edit = PlainTextEdit()
        self.edit.setAccessibleName(title)
        if self.outline:
            self.edit.setPlaceholderText("官方提纲：\n" + "\n".join(self.outline))
        self.count = QLabel()
        self.last_year = QLabel("以下内容来自上年报告，请结合本年情况改写")
        self.last_year.setStyleSheet("color: #8a5a00;")
        self.outline_button = QPushButton("插入官方提纲")
        self.outline_button.setVisible(bool(self.outline))
        self.outline_button.clicked.connect(self.insert_outline)
        self._timer = QTimer(self, singleShot=True, interval=700)
        self._timer.timeout.connect(self.commit)
        self.edit.textChanged.connect(self._typed)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.outline_button)
        foot = QHBoxLayout()
        foot.addStretch(1)
        foot.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.last_year)  # above the text it speaks of
        layout.addWidget(self.edit, 1)
        layout.addLayout(foot)
        session.textChanged.connect(self._changed_elsewhere)
        session.metaChanged.connect(self._update_marks)
        self.load()

    def load(self) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(self.session.report.text(self.key))
        self.edit.blockSignals(False)
        # what the editor shows of the stored text (it turns no-break spaces into spaces): only a
        # difference from this is the clerk's change
        self._shown = self.edit.toPlainText()
        self.edit.setReadOnly(self.session.readonly)
        self.outline_button.setEnabled(not self.session.readonly)
        self._update_marks()

    def _typed(self) -> None:
        self._update_count()
        self._timer.start()

    def commit(self) -> None:
        """Save what is typed now (also called before undo and on leaving the page)."""
        self._timer.stop()
        text = self.edit.toPlainText()
        if text != self._shown:
            self._shown = text
            self.session.set_text(self.key, text)

    def _changed_elsewhere(self, key: str) -> None:
        if key == self.key and self.session.report.text(key) != self.edit.toPlainText():
            self.load()  # undo or redo changed this text
        self._update_marks()

    def _update_marks(self) -> None:
        self.last_year.setVisible(self.key in self.session.report.settings.get("from_last_year", []))
        self._update_count()

    def _update_count(self) -> None:
        n = len("".join(self.edit.toPlainText().split()))
        text = f"字数：{n}"
        if self.limit:
            text += f" / {self.limit}"
            self.count.setStyleSheet("color: #b3261e;" if n > self.limit else "")
        self.count.setText(text)

    def insert_outline(self) -> None:
        if self.session.readonly:
            return
        cursor = self.edit.textCursor()
        if self.edit.toPlainText().strip():
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText("\n")
        cursor.insertText("\n\n".join(self.outline) + "\n")
        self.edit.setTextCursor(cursor)
        self.edit.setFocus()


class TextPage(QWidget):
    """A text section's page; 一 shows the generated preamble first, 六 its items."""

    def __init__(self, session: Session, section: dict, parent=None):
        super().__init__(parent)
        self.session, self.section = session, section
        self.editors: list[TextEditor] = []
        layout = QVBoxLayout(self)
        layout.addWidget(bold_label(section["heading"], 1.4))
        if section["id"] == "s1":
            self.preamble = QLabel()
            self.preamble.setWordWrap(True)
            self.preamble.setFrameShape(QFrame.StyledPanel)
            self.preamble.setStyleSheet("background: #f6f6f6; padding: 6px; color: #333;")
            self.preamble.setToolTip("开头部分根据“报告信息”自动生成，不能直接修改")
            layout.addWidget(QLabel("开头部分（根据报告信息自动生成）："))
            layout.addWidget(self.preamble)
            session.metaChanged.connect(self._update_preamble)
            self._update_preamble()
        if section.get("hint"):
            hint = QLabel(section["hint"])
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            layout.addWidget(hint)
        limit = session.report.settings.get("limits", {}).get(section["id"])
        main = TextEditor(session, section["id"], "开头文字（一般不填）" if section.get("items") else section["heading"],
                          section.get("outline"), limit)
        self.editors.append(main)
        if not section.get("items"):
            layout.addWidget(main, 1)
            return
        main.edit.setMaximumHeight(70)
        layout.addWidget(main)
        items = QWidget()
        items_layout = QVBoxLayout(items)
        self.item_boxes: dict[str, QCheckBox] = {}
        for item in section["items"]:
            box = QCheckBox(item["title"] + ("（必报）" if item["required"] else ""))
            box.setEnabled(not item["required"] and not session.readonly)
            box.toggled.connect(lambda on, i=item["id"]: self._toggle(i, on))
            editor = TextEditor(session, item["id"], "")
            editor.title.hide()
            editor.edit.setMinimumHeight(60)
            self.item_boxes[item["id"]] = box
            self.editors.append(editor)
            items_layout.addWidget(box)
            items_layout.addWidget(editor)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(items)
        layout.addWidget(scroll, 1)
        session.metaChanged.connect(self._update_items)
        self._update_items()

    def _update_preamble(self) -> None:
        self.preamble.setText("\n".join(preamble(self.session.report)))

    def _update_items(self) -> None:
        on = set(self.session.report.s6_items())
        for editor in self.editors[1:]:
            box = self.item_boxes[editor.key]
            box.blockSignals(True)
            box.setChecked(editor.key in on)
            box.blockSignals(False)
            editor.setVisible(editor.key in on)

    def _toggle(self, item: str, on: bool) -> None:
        data = self.session.report_data()
        items = [i for i in data["s6_items"] if i != item] + ([item] if on else [])
        order = [i["id"] for i in self.section["items"]]
        self.session.set_report_data({**data, "s6_items": sorted(items, key=order.index)})

    def commit(self) -> None:
        for editor in self.editors:
            editor.commit()

    def focus_first_input(self) -> None:
        self.editors[0].edit.setFocus()

    def focus_here(self) -> None:
        self.editors[0].edit.setFocus()
