"""Exports run in a worker thread on a copy of the report, so that the window stays responsive;
progress is shown and the clerk may cancel between files."""

import copy
from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QProgressDialog

from .. import export
from ..errors import GiappError
from ..report import Report


class ExportJob(QThread):
    progressed = Signal(int, str)  # files done, the file now being written
    done = Signal(list, list)  # written paths, problems

    def __init__(self, report: Report, targets: dict[str, Path], parent=None):
        super().__init__(parent)
        self.report = copy.deepcopy(report)  # the clerk may go on typing meanwhile
        self.targets = targets
        self.cancelled = False

    def run(self):
        written, problems = [], []
        for i, (kind, target) in enumerate(self.targets.items()):
            if self.cancelled:
                problems.append("已取消")
                break
            self.progressed.emit(i, Path(target).name)
            try:
                written.append(export.write(kind, self.report, target))
            except GiappError as e:
                problems.append(str(e))
            except Exception as e:  # a bug must not take the window down with it
                problems.append(f"导出“{Path(target).name}”时出错：{e!r}")
        self.done.emit(written, problems)


class ExportProgress(QProgressDialog):
    """The progress of an export job; Cancel asks the job to stop after the current file."""

    def __init__(self, job: ExportJob, total: int, parent=None):
        super().__init__("正在导出……", "取消", 0, total, parent)
        self.job = job
        self.setWindowTitle("导出")
        self.setMinimumDuration(300)
        self.canceled.connect(self.cancel_job)

    def cancel_job(self) -> None:
        self.job.cancelled = True

    def step(self, done: int, name: str) -> None:
        self.setValue(done)
        self.setLabelText(f"正在导出“{name}”……")

    def finish(self, written: list, problems: list) -> None:
        self.reset()
