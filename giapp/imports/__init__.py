"""Reading reports made elsewhere: last year's Word report, an Excel annex. Qt-free.

Everything read comes back with the list of what could not be read or was guessed; nothing is
dropped or guessed silently.
"""

from dataclasses import dataclass, field

from ..report import Report


@dataclass
class Imported:
    report: Report
    format_name: str  # the format recognised, in words
    problems: list[str] = field(default_factory=list)  # what could not be read
    notes: list[str] = field(default_factory=list)  # what was recognised or guessed

    def summary(self) -> list[str]:
        lines = [f"识别为：{self.format_name}"] + [f"说明：{n}" for n in self.notes]
        return lines + [f"未能读取：{p}" for p in self.problems]
