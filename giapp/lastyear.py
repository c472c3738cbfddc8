"""Starting this year's report from last year's. Qt-free."""

import copy
from pathlib import Path

from .errors import GiappError
from .form import load_form
from .report import LastYear, Report


def from_last_year(prev: Report, prev_name: str, year: int | None = None) -> Report:
    """A new report: organ, texts (marked as last year's), annex and 六's items come over; the
    year steps on; 上年结转 is filled from last year's 结转下年度继续办理 and locked by the link."""
    year = prev.year + 1 if year is None else year
    if year != prev.year + 1:
        raise GiappError(f"上年报告“{prev_name}”是{prev.year}年度，新报告应为{prev.year + 1}年度，而不是{year}年度")
    if prev.format != "gov-info-2021":
        raise GiappError(f"上年报告“{prev_name}”的格式（{prev.format}）不能直接结转")
    report = Report(organ=copy.deepcopy(prev.organ), year=year, format=prev.format, annex=prev.annex)
    report.texts = {k: v for k, v in prev.texts.items() if v.strip()}
    report.settings = {"from_last_year": sorted(report.texts)}
    if "s6_items" in prev.settings:
        report.settings["s6_items"] = list(prev.settings["s6_items"])
    report.last_year = LastYear(Path(prev_name).name, prev.year, prev.organ.name, prev.fingerprint(),
                                dict(prev.values), dict(prev.texts))
    form = load_form(report.format)
    for cid in report.locked_cells():
        report.values[cid] = prev.values.get(cid.replace("s3.carried.", "s3.next."))
    report.recompute(form)
    return report
