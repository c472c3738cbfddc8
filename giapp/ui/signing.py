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
        self.notes_label = QLabel()
        self.notes = QListWidget()  # every 说明 that will be signed, for a last look
        self.notes.setWordWrap(True)
        self.notes.setMaximumHeight(120)
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
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
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
        self.notes.clear()
        explanations = self.session.report.explanations
        messages = {f.rule: f.message for f in self.session.findings}
        for rule, body in sorted(explanations.items()):
            self.notes.addItem(f"{messages.get(rule, rule)}\n    说明：{body}")
        self.notes_label.setText(f"签发即确认以下{len(explanations)}条说明：" if explanations else "本报告没有说明。")
        self.notes.setVisible(bool(explanations))

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


SETTING_NAMES = {"deadline": "报送期限", "s6_items": "六 所列事项", "carry_unlinked": "解除与上年报告的关联",
                 "from_last_year": "来自上年报告的文字", "signers": "签发人员", "import_report": "导入报告"}
ORGAN_NAMES = {"name": "机关名称", "level": "机关层级", "address": "地址", "phone": "电话", "website": "网站"}


def audit_place(report, action: str, target: str) -> str:
    """Where a change was made, as the official form names it (二 规章 本年制发件数), not its id."""
    for form in report.forms():
        if target in form.cells:
            return form.short_name(target)
        for section in form.sections:
            if target == section["id"]:
                return section["heading"]
            for item in section.get("items", []):
                if target == item["id"]:
                    return f"{section['heading'][:2]}{item['title']}"
        if action == "explain" and any(r["id"] == target for r in form.rules):
            cells = next((r.get("left") or r.get("cells") or [r.get("cell")]) for r in form.rules if r["id"] == target)
            cell = next((c.lstrip("-").removeprefix("prev:") for c in cells if c), "")
            where = form.short_name(cell) if cell in form.cells else ""
            return f"说明 {target}" + (f"（{where}）" if where else "")
    if action == "setting":
        return SETTING_NAMES.get(target, target)
    if action == "organ":
        return ORGAN_NAMES.get(target, target)
    return {"year": "报告年度", "annex": "附件"}.get(target, target)


PEOPLE_NAMES = {"preparer": "填报人", "reviewer": "审核人", "approver": "签发人"}


def audit_value(action: str, text: str | None) -> str:
    """An old or new value as a clerk reads it (settings are kept as JSON)."""
    if action != "setting" or not text:
        return text or ""
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return text
    if value is None:
        return ""
    if isinstance(value, dict):
        return "，".join(f"{PEOPLE_NAMES.get(k, k)} {v}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class AuditDialog(QDialog):
    """Every change with time, user, old → new, where (the official names); sign-offs and unlocks."""

    WIDTHS = (140, 80, 70, 240, 200)  # the last column, 新值, takes the rest

    def __init__(self, rows: list[dict], report=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("修改记录")
        self.table = QTableWidget(len(rows), 6)
        self.table.setHorizontalHeaderLabels(["时间", "用户", "操作", "位置", "原值", "新值"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(True)
        for r, row in enumerate(rows):
            place = audit_place(report, row["action"], row["target"]) if report is not None else row["target"]
            values = [row["at"].replace("T", " ")[:19], row["user"], ACTIONS.get(row["action"], row["action"]),
                      place, audit_value(row["action"], row["old"]), audit_value(row["action"], row["new"])]
            for c, value in enumerate(values):
                text = str(value)
                item = QTableWidgetItem(text if len(text) <= 2000 else text[:2000] + "……")
                item.setToolTip(text[:4000])
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c, width in enumerate(self.WIDTHS):
            header.setSectionResizeMode(c, QHeaderView.Interactive)
            self.table.setColumnWidth(c, width)
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()  # a reason or a text readable in full
        self.table.scrollToBottom()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"共{len(rows)}条记录（最新的在最后）"))
        layout.addWidget(self.table)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(1000, 520)
