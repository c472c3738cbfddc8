"""Dialogs: report data (机关信息、年度、附件) and a new report."""

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QSpinBox, QVBoxLayout)

from ..report import LEVELS
from .texts import bold_label


def _level_box(level: str) -> QComboBox:
    box = QComboBox()
    for key, name in LEVELS.items():
        box.addItem(name, key)
    box.setCurrentIndex(max(0, box.findData(level)))
    return box


class ReportDataDialog(QDialog):
    """Organ name, level, year, address, phone, website, deadline, annex on/off."""

    def __init__(self, data: dict, readonly: bool = False, parent=None):
        super().__init__(parent)
        self.setWindowTitle("报告信息")
        self._data = dict(data)
        self.name = QLineEdit(data["name"])
        self.level = _level_box(data["level"])
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(data["year"] or QDate.currentDate().year() - 1)
        self.address = QLineEdit(data["address"])
        self.phone = QLineEdit(data["phone"])
        self.website = QLineEdit(data["website"])
        self.website.setPlaceholderText("例如：“中国·兖州”政府门户网（www.yanzhou.gov.cn）")
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy年M月d日")
        deadline = QDate.fromString(data.get("deadline") or "", "yyyy-MM-dd")
        self.deadline.setDate(deadline if deadline.isValid() else QDate(self.year.value() + 1, 1, 31))
        self.annex = QCheckBox("附报《政府信息公开情况统计表》（部分地方要求）")
        self.annex.setChecked(bool(data["annex"]))
        form = QFormLayout()
        form.addRow("机关名称(&N)：", self.name)
        form.addRow("机关层级(&L)：", self.level)
        form.addRow("报告年度(&Y)：", self.year)
        form.addRow("地址(&A)：", self.address)
        form.addRow("联系电话(&P)：", self.phone)
        form.addRow("网站(&W)：", self.website)
        form.addRow("报送截止日期(&D)：", self.deadline)
        form.addRow("", self.annex)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if readonly:
            for w in (self.name, self.level, self.year, self.address, self.phone, self.website, self.deadline, self.annex):
                w.setEnabled(False)
            buttons.button(QDialogButtonBox.Ok).setEnabled(False)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.problem.setText("请填写机关名称")
            self.name.setFocus()
            return
        self.accept()

    def data(self) -> dict:
        return {**self._data, "name": self.name.text().strip(), "level": self.level.currentData(),
                "year": self.year.value(), "address": self.address.text().strip(), "phone": self.phone.text().strip(),
                "website": self.website.text().strip(), "deadline": self.deadline.date().toString("yyyy-MM-dd"),
                "annex": "annex-stats" if self.annex.isChecked() else None}


class NewReportDialog(ReportDataDialog):
    def __init__(self, parent=None):
        super().__init__({"name": "", "level": "township", "year": 0, "address": "", "phone": "", "website": "",
                          "annex": None, "deadline": "", "s6_items": None}, parent=parent)
        self.setWindowTitle("新建报告")


class ImportReportDialog(QDialog):
    """What was read from last year's file, what was guessed, and everything that could not be read."""

    def __init__(self, imported, ask: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导入报告")
        report = imported.report
        layout = QVBoxLayout(self)
        head = QHBoxLayout()  # plain text: a name is shown as written, "<" included
        self.head = bold_label(f"{report.organ.name or '（未找到机关名称）'} {report.year or '（未找到年度）'}年度")
        self.head.setWordWrap(True)
        head.addWidget(self.head)
        head.addWidget(QLabel(f"识别为：{imported.format_name}"), 1)
        layout.addLayout(head)
        problems = len(imported.problems)
        layout.addWidget(QLabel(f"有{problems}处未能读取，请核对（未能读取的单元格按空白处理，不会被猜测）：" if problems
                                else "全部内容均已读取。"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for line in imported.summary()[1:]:
            self.list.addItem(line)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | (QDialogButtonBox.Cancel if ask else QDialogButtonBox.NoButton))
        buttons.button(QDialogButtonBox.Ok).setText("继续，新建本年报告" if ask else "关闭")
        if ask:
            buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)
