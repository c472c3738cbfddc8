"""An Excel annex: our own exactly (its hidden data sheet), else official-layout sheets by labels."""

import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from ..errors import GiappError
from ..export.xlsx import DATA_SHEET, INFO_SHEET
from ..form import MAIN_FORM, load_form
from ..report import SCHEMA, Report
from . import Imported
from .common import TITLE, annex_form, guess_level, level_note, read_grids
from .safety import check_office_file
from .tables import Grid


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
        return format(value.normalize(), "f") if value == value.to_integral_value() else repr(float(value))
    return str(value)


def read_excel(path: Path) -> Imported:
    check_office_file(path, "xlsx")
    try:
        book = openpyxl.load_workbook(path, data_only=True)
        if DATA_SHEET not in book.sheetnames:
            formulas = openpyxl.load_workbook(path)
            book._giapp_uncomputed = any(
                isinstance(c.value, str) and c.value.startswith("=") and book[ws.title][c.coordinate].value is None
                for ws in formulas.worksheets for row in ws.iter_rows() for c in row)
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Excel 工作簿读取（{e.__class__.__name__}）") from None
    if DATA_SHEET in book.sheetnames:
        return _read_ours(book[DATA_SHEET], path.name)
    return _read_sheets(book, path.name)


def _read_ours(sheet, name: str) -> Imported:
    """Our own annex: every value as we wrote it."""
    rows = {}
    for key, value in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(key, str):
            rows[key] = "" if value is None else str(value)
    data = {"schema": rows.get("schema", SCHEMA), "format": rows.get("format", MAIN_FORM),
            "organ": {k.split(".", 1)[1]: v for k, v in rows.items() if k.startswith("organ.")},
            "year": int(rows["year"]) if rows.get("year", "").isdigit() else rows.get("year"),
            "annex": rows.get("annex") or None, "status": "draft",
            "values": {k.split(".", 1)[1]: (v if v != "" else None) for k, v in rows.items() if k.startswith("value.")},
            "texts": {k.split(".", 1)[1]: v for k, v in rows.items() if k.startswith("text.")},
            "explanations": {k.split(".", 1)[1]: v for k, v in rows.items() if k.startswith("explanation.")}}
    if rows.get("setting.s6_items"):
        data["settings"] = {"s6_items": rows["setting.s6_items"].split(",")}
    report = Report.from_json(data, f"“{name}”的数据表")
    return Imported(report, "本程序导出的 Excel 附表（按隐藏数据表精确读取）")


def _grid(sheet) -> Grid:
    rows, cols = sheet.max_row, sheet.max_column
    texts = [[_text(sheet.cell(r, c).value) for c in range(1, cols + 1)] for r in range(1, rows + 1)]
    region = [[r * 10_000 + c for c in range(cols)] for r in range(rows)]
    for merged in sheet.merged_cells.ranges:
        top = texts[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                texts[r][c] = top
                region[r][c] = (merged.min_row - 1) * 10_000 + merged.min_col - 1
    return Grid(f"工作表“{sheet.title}”", texts, region)


def book_formulas(book) -> bool:
    """Whether the workbook was never calculated: formulas saved without their values."""
    return getattr(book, "_giapp_uncomputed", False)


def _uncomputed_formulas(uncomputed: bool, report: Report, forms, notes: list[str]) -> None:
    """Derived cells left blank because their formulas were never computed get their sums."""
    if not uncomputed:
        return  # a total left blank is "not given", as printed
    filled = []
    for form in forms:
        for cid in form.order:
            if report.values.get(cid) is None and any(report.values.get(p) is not None for p in form.cells[cid].parts):
                report.values[cid] = sum(report.values.get(p) or 0 for p in form.cells[cid].parts)
                filled.append(cid)
    if filled:
        notes.append(f"{len(filled)}个合计单元格的公式未经 Excel 计算，已按各项之和填入")


def _read_sheets(book, name: str) -> Imported:
    form = load_form(MAIN_FORM)
    report = Report(format=MAIN_FORM)
    problems, notes = [], []
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    all_grids = [_grid(sheet) for sheet in visible]
    grids = [g for g, sheet in zip(all_grids, visible) if sheet.title != INFO_SHEET]  # our own data sheet: no table
    for grid in all_grids:
        for row in grid.texts[:3]:
            match = TITLE.match(re.sub(r"\s+", "", "".join(row)))
            if match and not report.organ.name:
                report.organ.name, report.year = match["organ"], int(match["year"])
        for row in grid.texts[:4]:  # 填报单位：某某县人民政府　　统计年度：2025年
            line = "".join(row)
            unit = re.search(r"填报(?:单位|机关)[：:]\s*([^\s　：:]+)", line)
            year = re.search(r"(?:统计|报告)?年度[：:]\s*((?:19|20)\d{2})", line)
            if unit and not report.organ.name:
                report.organ.name = unit.group(1)
            if year and not report.year:
                report.year = int(year.group(1))
        for row in grid.texts:  # a sheet of report data: 机关名称 | …, 报告年度 | …
            for key, value in zip(row, row[1:]):
                if key.strip() == "机关名称" and value.strip() and not report.organ.name:
                    report.organ.name = value.strip()
                elif key.strip() in ("报告年度", "年度") and value.strip().isdigit() and not report.year:
                    report.year = int(value.strip())
    if report.organ.name:
        report.organ.level = guess_level(report.organ.name)
        notes.append(level_note(report.organ.name, report.organ.level))
    else:
        problems.append(f"“{name}”中没有找到机关名称和年度，需要手工填写")
    forms = [form]
    if any("统计指标" in "".join(r) for g in grids for r in g.texts[:6]):
        report.annex = "annex-stats"
        forms.append(annex_form())
    report.values.update(read_grids(grids, forms, problems, notes, report.settings))
    _uncomputed_formulas(book_formulas(book), report, forms, notes)
    notes.append("按表格中的文字标签读取；Excel 中没有的文字部分需要另行填写")
    return Imported(report, "Excel 表格（按官方表格的标签读取）", problems, notes)
