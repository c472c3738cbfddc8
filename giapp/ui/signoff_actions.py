"""The window's sign-off actions: sign, unsign, the audit trail, unlinking last year's carry-over.

A mixin of MainWindow (it uses the window's session, show_message, commit_pending, goto_section,
goto_finding, report_data_dialog, export_all)."""

from PySide6 import QtWidgets

from ..errors import GiappError


class SignOffActions:
    def sign_dialog(self):
        from .signing import SignDialog

        self.commit_pending()
        if self.session.report.status == "signed":
            self.show_message("info", "本报告已经签发")
            return None
        dialog = SignDialog(self.session, self)
        dialog.goto.connect(self.goto_obstacle)
        dialog.accepted.connect(self._signed)
        dialog.setModal(False)
        dialog.show()
        return dialog

    def _signed(self) -> None:
        """Signed: files exported before carry 草稿 or an old code. Say so, and offer to export again."""
        from .. import export

        targets = export.default_targets(self.session.file.path, self.session.report)
        stale = [path for path in targets.values() if path.exists()]
        if not stale:
            self.show_message("info", "已签发，报告已锁定。请导出 Word、PDF 和 Excel 附表")
            return
        names = "\n".join(f"  {p.name}" for p in stale)
        answer = QtWidgets.QMessageBox.question(
            self, "导出的文件已过时",
            f"已签发。此前导出的以下文件是签发前的版本（标有“草稿”或旧的校验码），已经过时：\n{names}\n\n现在重新导出吗？",
            QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No, QtWidgets.QMessageBox.Yes)
        if answer == QtWidgets.QMessageBox.Yes:
            self.export_all()
        else:
            self.show_message("error", "注意：报告所在文件夹中导出的文件已过时，请重新导出后再发布")

    def goto_obstacle(self, obstacle) -> None:
        """An obstacle in the sign dialog, shown where it is: cells, an empty item of 六, 报告信息."""
        from ..rules import Finding

        if obstacle.kind == "organ":
            self.report_data_dialog()
            return
        if obstacle.rule.startswith("W-item-empty."):
            item = obstacle.rule.removeprefix("W-item-empty.")
            section = item.split(".")[0]
            self.goto_section(section)
            page = self.page(section)
            editor = next((e for e in getattr(page, "editors", []) if e.key == item), None)
            if editor is not None:
                editor.edit.setFocus()
            return
        self.goto_finding(Finding(obstacle.rule, "error", obstacle.cells, obstacle.message))

    def unsign_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        if self.session.report.status != "signed":
            self.show_message("info", "本报告尚未签发")
            return
        reason = ""
        while True:  # an empty reason keeps the dialog open
            reason, ok = QInputDialog.getText(self, "撤销签发", "撤销签发的原因（将记入修改记录）：", text=reason)
            if not ok:
                return
            if reason.strip():
                self.unsign(reason)
                return
            QtWidgets.QMessageBox.warning(self, "撤销签发", "请填写撤销签发的原因")

    def unsign(self, reason: str) -> bool:
        try:
            self.session.unsign(reason)
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "撤销签发", str(e))
            return False
        self.show_message("info", "已撤销签发，报告回到草稿状态")
        return True

    def audit_dialog(self):
        from .signing import AuditDialog

        dialog = AuditDialog(self.session.file.audit(), self.session.report, self)
        dialog.show()
        return dialog


    def unlink_carry_dialog(self) -> None:
        """解除与上年报告的关联: 上年结转 becomes editable, with a reason in the audit trail."""
        from PySide6.QtWidgets import QInputDialog

        session = self.session
        if session.readonly:
            self.show_message("error", f"{session.readonly_reason()}，不能解除关联")
            return
        if not session.locked:
            self.show_message("info", "上年结转没有锁定（本报告未关联上年报告，或已解除关联），可以直接填写")
            return
        prompt = ("上年报告“结转下年度继续办理”的数字有误时，可解除关联，改填本年的“上年结转”。\n"
                  "解除后校验会对与上年报告不一致之处给出警告，须填写说明。\n\n解除关联的原因（将记入修改记录）：")
        reason = ""
        while True:
            reason, ok = QInputDialog.getText(self, "解除与上年报告的关联", prompt, text=reason)
            if not ok:
                return
            try:
                session.unlink_carry(reason)
            except GiappError as e:
                QtWidgets.QMessageBox.warning(self, "解除与上年报告的关联", str(e))
                continue
            self.show_message("info", "已解除关联：上年结转现在可以填写")
            return

