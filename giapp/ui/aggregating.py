"""The county office's 汇总 window: many units' files checked at once, a sortable roster, each
unit's findings a click away, and the chosen units added up into a workbook or a report file."""

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QThread, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMainWindow,
                               QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from .. import aggregate
from ..errors import GiappError
from ..store import SUFFIX
from .exporting import JobProgress
from .file_actions import documents


class ScanJob(QThread):
    progressed = Signal(int, int, str)
    done = Signal(object)  # aggregate.Aggregate

    def __init__(self, paths: list, parent=None):
        super().__init__(parent)
        self.paths = paths
        self.stop = False

    def cancel(self) -> None:
        self.stop = True

    def run(self):
        def progress(done, total):
            self.progressed.emit(done, total, f"正在读取和校验：{done}/{total}")

        self.done.emit(aggregate.scan(self.paths, progress, lambda: self.stop))


class RosterModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(aggregate.ROSTER_HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return aggregate.ROSTER_HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            value = row.cells()[index.column()]
            return "" if value is None else str(value)
        if role == Qt.ForegroundRole and not row.included:
            return QBrush(QColor("#8a5a00") if row.readable else QColor("#b3261e"))
        if role == Qt.ToolTipRole:
            return "\n".join(row.details()[:12])
        return None

    def sort(self, column, order=Qt.AscendingOrder):
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: r.sort_key(column), reverse=order == Qt.DescendingOrder)
        self.layoutChanged.emit()


class AggregateWindow(QMainWindow):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("汇总多个单位的报告 — giapp")
        self.paths: list[Path] = []
        self.agg = None
        self.excluded: set[Path] = set()
        self.preferred: set[Path] = set()
        self.model = RosterModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.notes = QLabel("添加各单位的报告文件、Word 报告、Excel 附表、发布的网页或 PDF、JSON（可选整个文件夹）。")
        self.notes.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("添加文件(&F)…", self.add_files_dialog), ("添加文件夹(&D)…", self.add_folder_dialog),
                           ("清空(&C)", self.clear), ("不汇总此文件 / 恢复(&X)", self.toggle_exclude),
                           ("以此文件为准(&P)", self.prefer_selected), ("保存汇总工作簿(&S)…", self.save_workbook_dialog),
                           ("保存汇总报告文件(&R)…", self.save_report_dialog)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([420, 180])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(buttons)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)
        self.resize(1200, 720)

    # ---- files

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "选择各单位的报告", documents(),
                                                f"报告 (*{SUFFIX} *.docx *.xlsx *.json *.html *.htm *.mht *.mhtml *.pdf)")
        if files:
            self.add_paths([Path(f) for f in files])

    def add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择存放各单位报告的文件夹", documents())
        if folder:
            self.add_paths([Path(folder)])

    def add_paths(self, paths: list) -> ScanJob:
        """Read and check every file (in a worker thread, with progress and cancel)."""
        self.paths += [Path(p) for p in paths]
        job = ScanJob(list(self.paths), self)
        dialog = JobProgress("汇总", "正在读取和校验……", 0, job.cancel, self)
        job.progressed.connect(dialog.step)
        job.done.connect(dialog.reset)
        job.done.connect(self._scanned)
        job.finished.connect(job.deleteLater)
        self._job = job
        job.start()
        return job

    def clear(self) -> None:
        self.paths, self.agg = [], None
        self.excluded.clear()
        self.preferred.clear()
        self.model.set_rows([])
        self.details.clear()
        self.notes.setText("已清空。")

    def _scanned(self, agg) -> None:
        self.agg = agg
        self._recombine()

    def _recombine(self) -> None:
        if self.agg is None:
            return
        self.agg = aggregate.combine(self.agg.roster, exclude=self.excluded, prefer=self.preferred)
        self.model.set_rows(self.agg.roster)
        self.table.resizeColumnsToContents()
        self.notes.setText("\n".join(self.agg.notes))

    # ---- choices

    def selected(self):
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def toggle_exclude(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.excluded ^= {row.file}
        self.preferred.discard(row.file)
        self._recombine()

    def prefer_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.preferred.add(row.file)
        self.excluded.discard(row.file)
        self._recombine()

    def _show_details(self, current, _previous=None) -> None:
        if current.isValid():
            self.details.setPlainText("\n".join(self.model.rows[current.row()].details()))

    # ---- saving

    def save_workbook_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存汇总工作簿", "汇总.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.save(Path(path))

    def save_report_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存汇总报告文件", f"汇总{SUFFIX}", f"报告文件 (*{SUFFIX})")
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        if self.agg is None or not self.agg.included:
            QMessageBox.information(self, "汇总", "还没有可以汇总的单位")
            return False
        try:
            if path.suffix.lower() == SUFFIX:
                aggregate.write_aggregate_file(self.agg, path)
            else:
                from ..export.county import write_workbook

                write_workbook(self.agg, path.with_suffix(".xlsx") if path.suffix.lower() != ".xlsx" else path)
        except GiappError as e:
            QMessageBox.warning(self, "汇总", str(e))
            return False
        self.notes.setText(f"已保存：{path}\n" + "\n".join(self.agg.notes))
        return True
