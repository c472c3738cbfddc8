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
    progressed = Signal(int, int, str)  # files done, files in all, what is being done
    done = Signal(list, list)  # written paths, problems

    def __init__(self, report: Report, targets: dict[str, Path], parent=None):
        super().__init__(parent)
        self.report = copy.deepcopy(report)  # the clerk may go on typing meanwhile
        self.targets = targets
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self):
        written, problems = [], []
        for i, (kind, target) in enumerate(self.targets.items()):
            if self.cancelled:
                problems.append("已取消")
                break
            self.progressed.emit(i, len(self.targets), f"正在导出“{Path(target).name}”……")
            try:
                written.append(export.write(kind, self.report, target))
            except GiappError as e:
                problems.append(str(e))
            except Exception as e:  # a bug must not take the window down with it
                problems.append(f"导出“{Path(target).name}”时出错：{e!r}")
        self.done.emit(written, problems)


class JobProgress(QProgressDialog):
    """The progress of a worker thread's job; Cancel calls `cancel` (the job stops at its next step)."""

    def __init__(self, title: str, text: str, total: int, cancel, parent=None):
        super().__init__(text, "取消", 0, total, parent)
        self.setWindowTitle(title)
        self.setMinimumDuration(300)
        self.canceled.connect(cancel)

    def step(self, done: int, total: int, text: str) -> None:
        self.setMaximum(total)
        self.setValue(done)
        self.setLabelText(text)
