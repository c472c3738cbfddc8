"""Starting this year's report from last year's. Qt-free."""

import copy
import unicodedata
from pathlib import Path

from .errors import GiappError
from .form import load_form
from .report import LastYear, Report
from .values import format_value


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


def organ_key(name: str) -> str:
    """An organ's name as compared across years: NFKC, without spaces or format characters
    (zero-width spaces and joiners that web pages and PDFs carry)."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf").casefold()


def link_last_year(report: Report, prev: Report, prev_name: str, fill: bool = False) -> list[str]:
    """Link a report to last year's (figures and texts), so that the cross-year rules run on it.

    Without `fill` nothing of the report changes: published figures stay as printed, so X-carried
    compares the printed 上年结转 with last year's 结转下年度继续办理 (checking). With `fill` (a
    report file made from an import) 上年结转 is filled from last year's report, as the link locks
    it, and each printed figure that differed is named. Returns notes for the import report.
    GiappError when the years do not follow or last year's report is of another format."""
    name = Path(prev_name).name
    if prev.format != report.format:
        raise GiappError(f"上年报告“{name}”的格式（{prev.format}）与本报告不同，不能关联")
    if report.year and prev.year and prev.year != report.year - 1:
        raise GiappError(f"上年报告“{name}”是{prev.year}年度，本报告是{report.year}年度，应关联{report.year - 1}年度的报告")
    report.last_year = LastYear(name, prev.year, prev.organ.name, prev.fingerprint(), dict(prev.values), dict(prev.texts))
    notes = [f"已关联上年报告“{name}”（{prev.organ.name} {prev.year}年度），跨年度校验（上年结转、现行有效件数）已启用"]
    if report.organ.name and prev.organ.name and organ_key(report.organ.name) != organ_key(prev.organ.name):
        notes.append(f"上年报告的机关名称“{prev.organ.name}”与本报告“{report.organ.name}”不同，请核对是否同一机关")
    if fill:
        form = load_form(report.format)
        for cid in sorted(report.locked_cells(), key=list(form.cells).index):
            printed, carried = report.values.get(cid), prev.values.get(cid.replace("s3.carried.", "s3.next."))
            if printed != carried:
                notes.append(f"{form.cell_name(cid)}：文件中为{format_value(printed) or '空白'}，上年报告“结转下年度继续办理”为"
                             f"{format_value(carried) or '空白'}，已按上年报告填写（关联上年报告时此栏锁定）")
            report.values[cid] = carried
        report.recompute(form)
    return notes
