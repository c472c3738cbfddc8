"""Sign-off dialog (what stands in the way, with a click to each place), unlock, audit trail."""

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from ..errors import GiappError
from ..signoff import check_people, obstacles
from .session import Session

ACTIONS = {"create": "新建", "import": "导入", "value": "填写", "values": "填写", "粘贴": "粘贴", "清除": "清除",
           "text": "文字", "explain": "说明", "organ": "机关信息", "year": "年度", "annex": "附件", "setting": "设置",
           "sign": "签发", "unsign": "撤销签发"}


class SignDialog(QDialog):
    goto = Signal(object)  # an Obstacle to show

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("签发")
        self.preparer, self.reviewer, self.approver = QLineEdit(), QLineEdit(), QLineEdit()
        last = session.report.settings.get("signers", {})
        self.preparer.setText(last.get("preparer", ""))
        self.reviewer.setText(last.get("reviewer", ""))
        self.approver.setText(last.get("approver", ""))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        form = QFormLayout()
        form.addRow("填报人(&P)：", self.preparer)
        form.addRow("审核人(&R)：", self.reviewer)
        form.addRow("签发人(&A)：", self.approver)
        form.addRow("签发日期(&D)：", self.date)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda item: self.goto.emit(item.data(Qt.UserRole)))
        self.list.itemClicked.connect(lambda item: self.goto.emit(item.data(Qt.UserRole)))
        self.fill = QPushButton("把空白单元格全部填为0（可撤销）")
        self.fill.clicked.connect(self._fill_blanks)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("签发")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self._sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.fill)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        session.findingsChanged.connect(self.refresh)
        self.resize(760, 480)
        self.refresh()

    def refresh(self) -> None:
        found = obstacles(self.session.report)
        self.list.clear()
        for o in found:
            item = QListWidgetItem(o.message)
            item.setData(Qt.UserRole, o)
            self.list.addItem(item)
        self.list.setVisible(bool(found))
        self.fill.setVisible(any(o.kind == "blank" for o in found))
        self.summary.setText(f"还有{len(found)}个问题，解决后才能签发（点击可转到该处；警告属实的，在校验结果中填写说明）："
                             if found else "没有影响签发的问题。签发后报告将被锁定，导出的文件不再标注“草稿”。")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(not found)

    def _fill_blanks(self) -> None:
        self.session.fill_blanks()

    def people(self) -> dict:
        return check_people(self.preparer.text(), self.reviewer.text(), self.approver.text(),
                            self.date.date().toString("yyyy-MM-dd"))

    def _sign(self) -> None:
        try:
            self.session.sign(self.people())
        except GiappError as e:
            self.problem.setText(str(e))
            return
        self.accept()


class AuditDialog(QDialog):
    """Every change with time, user, old → new; sign-offs and unlocks."""

    def __init__(self, rows: list[dict], parent=None):
        super().__init__(parent)
        self.setWindowTitle("修改记录")
        self.table = QTableWidget(len(rows), 6)
        self.table.setHorizontalHeaderLabels(["时间", "用户", "操作", "位置", "原值", "新值"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for r, row in enumerate(rows):
            values = [row["at"].replace("T", " ")[:19], row["user"], ACTIONS.get(row["action"], row["action"]),
                      row["target"], row["old"] or "", row["new"] or ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value)[:200])
                item.setToolTip(str(value))
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.scrollToBottom()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"共{len(rows)}条记录（最新的在最后）"))
        layout.addWidget(self.table)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(900, 500)
