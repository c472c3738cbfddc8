"""One open report in the window: the file, the undo stack and the live check results."""

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..errors import GiappError
from ..report import check_explanation
from ..rules import SLOW_KINDS, Finding, check, counts, sorted_findings
from ..store import ReportFile
from ..values import Value


class Change(QUndoCommand):
    """One undoable change: apply(new) on redo, apply(old) on undo."""

    def __init__(self, session: "Session", text: str, apply, old, new):
        super().__init__(text)
        self.session, self.apply, self.old, self.new = session, apply, old, new

    def redo(self):
        self._run(self.new)

    def undo(self):
        self._run(self.old)

    def _run(self, value):
        try:
            self.apply(value)
        except GiappError as e:
            self.setObsolete(True)
            self.session.message.emit("error", str(e))


class Session(QObject):
    valuesChanged = Signal(object)  # set of cell ids
    textChanged = Signal(str)  # text key
    metaChanged = Signal()  # organ, year, annex, settings
    findingsChanged = Signal()
    saved = Signal(object)  # datetime
    message = Signal(str, str)  # level ("error", "info"), text

    def __init__(self, file: ReportFile, parent=None):
        super().__init__(parent)
        self.file = file
        self.report = file.report
        self.undo = QUndoStack(self)
        self.findings: list[Finding] = []
        self.cell_findings: dict[str, list[Finding]] = {}
        self.severity: dict[str, str] = {}  # cell -> "error" or "warning"
        self.severity_changed: set[str] = set()  # cells whose colour the last check changed
        self.locked = self.report.locked_cells()
        self.last_saved: datetime | None = None
        # the window shows first; the rules slow to prepare (text against table) follow a moment later
        self.recheck(SLOW_KINDS)
        self._full_check = QTimer(self, singleShot=True, interval=30)
        self._full_check.timeout.connect(self.recheck)
        self._full_check.start()

    @property
    def readonly(self) -> bool:
        return self.file.readonly or self.report.status == "signed"

    def close(self) -> None:
        self._full_check.stop()
        self.file.close()

    # ---- checks

    def recheck(self, skip: frozenset = frozenset()) -> None:
        self.findings = sorted_findings(check(self.report, skip=skip))
        cells: dict[str, list[Finding]] = {}
        for f in self.findings:
            if f.mark:
                for cid in f.cells:
                    cells.setdefault(cid, []).append(f)
        self.cell_findings = cells
        severity = {cid: "error" if any(f.severity == "error" for f in found) else "warning"
                    for cid, found in cells.items()}
        old = self.severity
        self.severity_changed = {c for c in old.keys() | severity.keys() if old.get(c) != severity.get(c)}
        self.severity = severity
        self.findingsChanged.emit()

    def counts(self) -> tuple[int, int]:
        return counts(self.findings)

    # ---- changes

    def _saved_now(self) -> None:
        self.last_saved = datetime.now()
        self.saved.emit(self.last_saved)

    def set_values(self, raw: dict, label: str = "填写") -> list[str]:
        """Validate and set cells as one undoable step; returns the refusals (place and reason)."""
        if self.readonly:
            return [self.readonly_reason()]
        report = self.report
        locked = self.locked
        accepted: dict[str, Value] = {}
        refused = []
        for cid, text in raw.items():
            form, cell = report.find_cell(cid)
            if cell.derived:
                refused.append(f"{form.cell_name(cid)}：自动计算，不能填写")
                continue
            if cid in locked:
                refused.append(f"{form.cell_name(cid)}：已从上年报告结转并锁定")
                continue
            try:
                value = report.parse(cid, text)
            except GiappError as e:
                refused.append(str(e))
                continue
            old = report.values.get(cid)
            if (old is None) != (value is None) or (old is not None and old != value):
                accepted[cid] = value
        if accepted:
            old = {cid: report.values.get(cid) for cid in accepted}
            if len(accepted) == 1:
                [(cid, value)] = accepted.items()
                label = f"{label} {report.find_cell(cid)[0].short_name(cid)}"
            self.undo.push(Change(self, label, self._apply_values, old, accepted))
        return refused

    def _apply_values(self, values: dict) -> None:
        changes = self.file.set_values(values)
        self.recheck()
        self.valuesChanged.emit(set(changes))
        self._saved_now()

    def set_text(self, key: str, text: str) -> None:
        if self.readonly or self.report.text(key) == text:
            return
        self.undo.push(Change(self, f"编辑文字 {key}", lambda t: self._apply_text(key, t), self.report.text(key), text))

    def _apply_text(self, key: str, text: str) -> None:
        self.file.set_text(key, text)
        self.recheck()
        self.textChanged.emit(key)
        self._saved_now()

    def set_explanation(self, rule: str, text: str) -> bool:
        """False (and the reason said) when the 说明 is refused."""
        old = self.report.explanations.get(rule, "")
        if self.readonly or old == text.strip():
            return True
        try:
            check_explanation(rule, text)
        except GiappError as e:
            self.message.emit("error", str(e))
            return False
        self.undo.push(Change(self, f"说明 {rule}", lambda t: self._apply_explanation(rule, t), old, text.strip()))
        return True

    def _apply_explanation(self, rule: str, text: str) -> None:
        self.file.set_explanation(rule, text)
        self.recheck()
        self._saved_now()

    def report_data(self) -> dict:
        r = self.report
        return {"name": r.organ.name, "level": r.organ.level, "address": r.organ.address, "phone": r.organ.phone,
                "website": r.organ.website, "year": r.year, "annex": r.annex,
                "deadline": r.settings.get("deadline", ""), "s6_items": r.s6_items()}

    def set_report_data(self, data: dict) -> None:
        old = self.report_data()
        if self.readonly or data == old:
            return
        self.undo.push(Change(self, "修改报告信息", self._apply_report_data, old, dict(data)))

    def _apply_report_data(self, data: dict) -> None:
        organ = {k: data[k] for k in ("name", "level", "address", "phone", "website")}
        self.file.set_organ(**organ)
        if data["year"] != self.report.year:
            self.file.set_meta("year", data["year"])
        if data["annex"] != self.report.annex:
            self.file.set_meta("annex", data["annex"])
        self.file.set_settings(deadline=data["deadline"], s6_items=data["s6_items"])
        self.locked = self.report.locked_cells()
        self.recheck()
        self.metaChanged.emit()
        self._saved_now()

    def unlink_carry(self, reason: str) -> None:
        """Last year's 结转 was wrong: 上年结转 becomes editable, the reason in the audit trail;
        X-carried then warns until explained."""
        reason = (reason or "").strip()
        if len(reason) < 4:
            raise GiappError("解除与上年报告的关联须写明原因（至少4个字），原因将记入修改记录")
        self.file.set_settings(carry_unlinked=reason)
        self.locked = self.report.locked_cells()
        self.recheck()
        self.metaChanged.emit()
        self._saved_now()

    # ---- sign-off

    def blank_inputs(self) -> list[str]:
        report = self.report
        return [cid for form in report.forms() for cid in form.input_cells
                if report.values.get(cid) is None and cid not in self.locked]

    def fill_blanks(self) -> int:
        """Every blank input cell set to 0, as one undoable step."""
        blanks = self.blank_inputs()
        if blanks:
            self.set_values({cid: 0 for cid in blanks}, f"空白单元格填0（{len(blanks)}个）")
        return len(blanks)

    def sign(self, people: dict) -> dict:
        names = {k: people[k] for k in ("preparer", "reviewer", "approver")}
        if self.report.settings.get("signers") != names:  # offered again at the next sign-off
            self.file.set_settings(signers=names)
        signoff = self.file.sign(people)
        self.undo.clear()  # nothing before a sign-off can be undone past it
        self.recheck()
        self.metaChanged.emit()
        self._saved_now()
        return signoff

    def unsign(self, reason: str) -> None:
        self.file.unsign(reason)
        self.undo.clear()
        self.recheck()
        self.metaChanged.emit()
        self._saved_now()

    def readonly_reason(self) -> str:
        if self.report.status == "signed":
            return "报告已签发，内容已锁定"
        return self.file.readonly_reason or "以只读方式打开"
