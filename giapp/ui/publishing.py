"""The window's publishing actions: export (Word, PDF, Excel, sign-off sheet) and print the PDF.

A mixin of MainWindow (it uses the window's session, show_message, commit_pending, unsign_dialog)."""

from pathlib import Path

from PySide6 import QtWidgets

from .. import recent
from ..errors import GiappError


class PublishingActions:
    def export_dialog(self, kind: str) -> None:
        from .. import export

        default = export.default_targets(self.session.file.path, self.session.report)[kind]
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, f"导出{export.KINDS[kind]}", str(default),
                                                        f"*.{export.SUFFIXES[kind]}")
        if path:
            self.export_files({kind: Path(path)})

    def export_all(self) -> None:
        from .. import export

        self.export_files(export.default_targets(self.session.file.path, self.session.report))

    def export_files(self, targets: dict):
        """Write the files in a worker thread, with a progress dialog that can cancel.

        The job's signals go to bound methods of objects living in this (the GUI) thread, so that
        Qt delivers them here; a plain lambda would run in the worker thread and touch widgets there."""
        from .exporting import ExportJob, JobProgress

        self.commit_pending()
        if self.refused_as_changed():
            return None
        if any(kind in ("pdf", "sheet") for kind in targets):
            self.font_notice()
        job = ExportJob(self.session.report, targets, self)
        dialog = JobProgress("导出", "正在导出……", len(targets), job.cancel, self)
        job.progressed.connect(dialog.step)
        job.done.connect(dialog.reset)
        job.done.connect(self._exported)
        job.finished.connect(job.deleteLater)  # once the thread has ended, not when it says it is done
        self._export_job = job
        job.start()
        return job

    def refused_as_changed(self) -> bool:
        """A signed report changed outside giapp is neither exported nor printed: say so, and offer
        to unsign it (with a reason) so that it can be checked and signed again."""
        from ..export import refuse_tampered

        try:
            refuse_tampered(self.session.report)
            return False
        except GiappError as e:
            self.show_message("error", str(e))
        answer = QtWidgets.QMessageBox.question(
            self, "报告在 giapp 以外被改动过",
            "本报告签发后，内容在 giapp 以外被改动过（与签发时的指纹不符），不能导出或打印。\n\n"
            "请核实内容。现在撤销签发（须写明原因，记入修改记录），核实后再重新签发吗？",
            QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No, QtWidgets.QMessageBox.No)
        if answer == QtWidgets.QMessageBox.Yes:
            self.unsign_dialog()
        return True

    def font_notice(self):
        """Once before exporting: the PDF sets a role in a face of another kind (never silently). A
        notice beside the window, not a question in the way; "不再提示" keeps it away."""
        from ..export.fonts import fallback_notice

        if getattr(self, "_font_notice_shown", False) or recent.notice_off("fonts"):
            return None
        self._font_notice_shown = True
        text = fallback_notice()
        if not text:
            return None
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Information, "PDF 字体", text, QtWidgets.QMessageBox.Ok, self)
        never = QtWidgets.QCheckBox("不再提示")
        box.setCheckBox(never)
        box.finished.connect(lambda _: recent.turn_notice_off("fonts") if never.isChecked() else None)
        box.setModal(False)
        box.show()
        return box

    def _exported(self, written: list, problems: list) -> None:
        if written:
            self.show_message("info" if not problems else "error",
                              "已导出：" + "、".join(str(p) for p in written) + ("；" + "；".join(problems) if problems else ""))
        elif problems:
            self.show_message("error", "；".join(problems))

    def _pdf_for_printing(self) -> Path | None:
        """The PDF exactly as exported, written to a temporary file."""
        import tempfile

        from .. import export

        self.commit_pending()
        if self.refused_as_changed():
            return None
        folder = Path(tempfile.mkdtemp(prefix="giapp-print-"))
        try:
            return export.write("pdf", self.session.report, folder / "print.pdf")
        except GiappError as e:
            self.show_message("error", str(e))
            return None

    def print_preview(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        from .printing import new_printer, print_pdf

        pdf = self._pdf_for_printing()
        if pdf is None:
            return
        printer = new_printer()
        printer.setResolution(150)  # the preview; printing renders at the printer's resolution
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("打印预览")
        dialog.paintRequested.connect(lambda p: print_pdf(pdf, p))
        dialog.resize(self.width(), self.height())
        dialog.exec()

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        from .printing import new_printer, page_count

        pdf = self._pdf_for_printing()
        if pdf is None:
            return
        printer = new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setOption(QPrintDialog.PrintPageRange, True)
        dialog.setMinMax(1, page_count(pdf))
        if dialog.exec() == QPrintDialog.Accepted:
            self.print_to(printer, pdf)

    def print_to(self, printer, pdf: Path | None = None) -> bool:
        """Print the exported PDF on printer (a QPrinter; a PDF file stands in for paper in tests)."""
        from PySide6.QtWidgets import QApplication, QProgressDialog

        from .printing import print_pdf

        pdf = pdf or self._pdf_for_printing()
        if pdf is None:
            return False
        dialog = QProgressDialog("正在打印……", "取消", 0, 100, self)
        dialog.setWindowTitle("打印")
        dialog.setMinimumDuration(300)

        def progress(done, total):
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"正在打印第 {done + 1} 页，共 {total} 页")
            QApplication.processEvents()
            return not dialog.wasCanceled()

        ok = print_pdf(pdf, printer, progress)
        dialog.reset()
        self.show_message("info" if ok else "error", "已送往打印机" if ok else "打印已取消")
        return ok

