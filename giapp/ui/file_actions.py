"""The window's file actions: open, new (blank or from last year's report), save a copy.

A mixin of MainWindow (it uses the window's session, set_file, show_message and commit_pending)."""

from pathlib import Path

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from ..document import title as report_title
from ..errors import GiappError
from ..report import Report
from ..store import SUFFIX, ReportFile

FILE_FILTER = f"年度报告文件 (*{SUFFIX})"


def documents() -> str:
    """Where file dialogs open: the user's documents, not the program's folder."""
    return QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.DocumentsLocation)


def free_name(path: Path) -> Path:
    """path, or path（2）, path（3）… whichever does not exist yet."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}（{n}）{path.suffix}")
        n += 1
    return candidate


class FileActions:
    def open_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "打开报告", documents(), FILE_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> bool:
        if self.session is not None and Path(path).absolute() == self.session.file.path.absolute():
            return True
        try:
            file = ReportFile.open(path)
        except GiappError as e:
            file = self._open_readonly_anyway(path, e)
            if file is None:
                return False
        self.set_file(file)
        return True

    def _open_readonly_anyway(self, path: Path, error: GiappError) -> ReportFile | None:
        """A file failing only its content check can be opened read-only, to save what is readable."""
        from ..store import ContentMismatch

        if not isinstance(error, ContentMismatch):
            QtWidgets.QMessageBox.warning(self, "无法打开报告", str(error))
            return None
        box = QtWidgets.QMessageBox
        if box.question(self, "报告未通过内容校验", f"{error}\n\n是否以只读方式打开，查看并另存副本？") != box.Yes:
            return None
        try:
            return ReportFile.open(path, salvage=True)
        except GiappError as e:
            box.warning(self, "无法打开报告", str(e))
            return None

    def new_report_dialog(self) -> None:
        from .dialogs import NewReportDialog

        dialog = NewReportDialog(self)
        if dialog.exec() != NewReportDialog.Accepted:
            return
        data = dialog.data()
        default = Path(documents()) / f"{data['name']}{data['year']}年度报告{SUFFIX}"
        path = self.ask_new_path("保存新报告", default)
        if path:
            self.new_report(data, path)

    def new_report(self, data: dict, path: Path) -> bool:
        report = Report(year=data["year"], annex=data["annex"])
        for key in ("name", "level", "address", "phone", "website"):
            setattr(report.organ, key, data[key])
        if data.get("deadline"):
            report.settings["deadline"] = data["deadline"]
        return self._create(path, report, "新建空白报告")

    def new_from_last_year_dialog(self) -> None:
        """Last year's report file, Word report or Excel annex → this year's report."""
        source, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "选择上年的报告", documents(),
            f"上年报告 (*{SUFFIX} *.docx *.xlsx *.json *.html *.htm *.mht *.mhtml *.pdf);;报告文件 (*{SUFFIX});;Word 报告 (*.docx);;Excel 附表 (*.xlsx)")
        if not source:
            return
        imported = self.read_last_year(Path(source))
        if imported is None or not self.show_import_report(imported, ask=True):
            return
        prev = imported.report
        default = Path(documents()) / f"{prev.organ.name}{(prev.year or 0) + 1}年度报告{SUFFIX}"
        target = self.ask_new_path("保存本年报告", default)
        if target:
            self.new_from_last_year(imported, Path(source).name, target)

    def ask_new_path(self, title: str, default: Path) -> Path | None:
        """Where a new report goes: never over an existing file (least of all the one open); the
        dialog comes back with a free name proposed, so what was imported is never thrown away."""
        proposal = free_name(default)
        while True:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, str(proposal), FILE_FILTER, "",
                                                            QtWidgets.QFileDialog.DontConfirmOverwrite)
            if not path:
                return None
            path = Path(path)
            if path.suffix.lower() != SUFFIX:
                path = path.with_name(path.name + SUFFIX)
            if not path.exists():
                return path
            is_open = self.session is not None and path.absolute() == self.session.file.path.absolute()
            QtWidgets.QMessageBox.warning(self, title, f"“{path.name}”{'正在本窗口中打开' if is_open else '已存在'}，"
                                          "新报告不能覆盖它。请另取一个文件名（已建议一个）。")
            proposal = free_name(path)

    def read_last_year(self, source: Path):
        from PySide6.QtWidgets import QApplication

        from ..inputs import read_imported

        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return read_imported(source)
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "无法读取上年报告", str(e))
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def show_import_report(self, imported, ask: bool = False) -> bool:
        from .dialogs import ImportReportDialog

        dialog = ImportReportDialog(imported, ask, self)
        return dialog.exec() == ImportReportDialog.Accepted

    def new_from_last_year(self, imported, source_name: str, target: Path, year: int | None = None) -> bool:
        from ..lastyear import from_last_year

        prev = imported.report
        if not prev.year:  # the file did not say: this year's report is for last calendar year
            from datetime import date

            prev.year = (year or date.today().year - 1) - 1
        try:
            report = from_last_year(prev, source_name, year)
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "无法新建报告", str(e))
            return False
        report.settings["import_report"] = imported.summary()
        return self._create(target, report, f"以上年报告“{source_name}”为基础新建")

    def _create(self, path: Path, report: Report, detail: str) -> bool:
        """A new report file (refusing to overwrite), opened in this window; a message if it cannot be made."""
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        try:
            file = ReportFile.create(path, report, "create", detail)
        except GiappError as e:
            QtWidgets.QMessageBox.warning(self, "无法新建报告", str(e))
            return False
        self.set_file(file)
        return True

    def save_copy_dialog(self) -> None:
        report = self.session.report
        default = Path(documents()) / f"{report_title(report)}（副本）{SUFFIX}"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "另存副本", str(default), FILE_FILTER)
        if path:
            self.save_copy(Path(path))

    def save_copy(self, path: Path) -> bool:
        self.commit_pending()
        if path.exists():
            QtWidgets.QMessageBox.warning(self, "另存副本", f"“{path.name}”已存在，请换一个文件名")
            return False
        try:
            self.session.file.backup_to(path)
        except (GiappError, OSError) as e:
            QtWidgets.QMessageBox.warning(self, "另存副本失败", str(e))
            return False
        self.show_message("info", f"已另存副本：{path}")
        return True

