"""The start page: new, new from last year, open, recent reports, and the demo report."""

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from .. import recent
from ..paths import data_dir


class StartPage(QWidget):
    new = Signal()
    new_from_last_year = Signal()
    open = Signal()
    open_path = Signal(object)
    demo = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        icon = QLabel()
        icon.setPixmap(QPixmap(str(data_dir("resources") / "icons" / "giapp.png")).scaled(
            72, 72, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        title = QLabel("<h1>政府信息公开工作年度报告</h1><p>按国办公开办函〔2021〕30号格式填报、校验、签发和导出</p>")
        head = QHBoxLayout()
        head.addWidget(icon)
        head.addWidget(title, 1)
        buttons = QVBoxLayout()
        for text, signal, tip in (
                ("新建报告(&N)", self.new, "新建一份空白报告"),
                ("以上年报告为基础新建(&L)", self.new_from_last_year, "从上年的报告文件、Word 报告或 Excel 附表开始"),
                ("打开报告(&O)", self.open, "打开已有的报告文件"),
                ("打开示例报告(&D)", self.demo, "济宁市兖州区小孟镇人民政府2021年报告，可随意试用")):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setMinimumHeight(40)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.recent = QListWidget()
        self.recent.itemActivated.connect(lambda item: self.open_path.emit(Path(item.data(Qt.UserRole))))
        self.recent.itemDoubleClicked.connect(lambda item: self.open_path.emit(Path(item.data(Qt.UserRole))))
        right = QVBoxLayout()
        right.addWidget(QLabel("最近打开的报告（双击或回车打开）："))
        right.addWidget(self.recent, 1)
        body = QHBoxLayout()
        body.addLayout(buttons, 1)
        body.addLayout(right, 2)
        self.notice = QLabel()  # why a report could not be opened (at start-up: the last one)
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.PlainText)
        self.notice.setStyleSheet("background: #fde2df; color: #7a1a12; padding: 6px;")
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addLayout(head)
        layout.addWidget(self.notice)
        layout.addLayout(body, 1)
        self.refresh()

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def refresh(self) -> None:
        self.say("")
        self.recent.clear()
        files = recent.recent_files()
        for path in files:
            item = QListWidgetItem(f"{path.name}\n    {path.parent}")
            item.setData(Qt.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent.addItem(item)
        if not files:
            item = QListWidgetItem("（还没有打开过报告）")
            item.setFlags(Qt.NoItemFlags)
            self.recent.addItem(item)
