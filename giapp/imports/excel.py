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
from .tables import MAX_COLS, MAX_ROWS, Grid

MAX_SHEETS = 50
MAX_MERGES = 5000
MAX_DATA_ROWS = 5000  # our own hidden data sheet: a row per cell, text and explanation


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
        return format(value.normalize(), "f") if value == value.to_integral_value() else repr(float(value))
    return str(value)


class _Sheet:
    """A worksheet read once, cell by cell, within MAX_ROWS x MAX_COLS: the cells present in the
    file only (a cell at XFD1048576 or a merge over the whole sheet costs nothing)."""

    def __init__(self, ws, problems: list[str], max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS):
        from openpyxl.worksheet._reader import WorkSheetParser

        self.title = ws.title
        self.state = getattr(ws, "sheet_state", "visible")
        self.values: dict[tuple[int, int], object] = {}  # (row, col) from 1 -> value as computed
        self.formulas: set[tuple[int, int]] = set()  # cells holding a formula never computed
        self.merges: list[tuple[int, int, int, int]] = []  # min_row, min_col, max_row, max_col
        beyond = 0
        book = ws.parent
        try:
            for data_only in (True, False):
                with ws._get_source() as src:
                    parser = WorkSheetParser(src, ws._shared_strings, data_only=data_only, epoch=book.epoch,
                                             date_formats=book._date_formats,
                                             timedelta_formats=book._timedelta_formats)
                    for _, row in parser.parse():
                        for cell in row:
                            value = cell["value"]
                            if value is None or value == "":
                                continue
                            r, c = cell["row"], cell["column"]
                            if r > max_rows or c > max_cols:
                                beyond += data_only
                                continue
                            if data_only:
                                self.values[(r, c)] = value
                            elif isinstance(value, str) and value.startswith("=") and (r, c) not in self.values:
                                self.formulas.add((r, c))
                    if data_only and parser.merged_cells is not None:
                        for merged in parser.merged_cells.mergeCell[:MAX_MERGES]:
                            r1, c1, r2, c2 = _bounds(merged.ref)
                            if r1 <= max_rows and c1 <= max_cols:
                                self.merges.append((r1, c1, min(r2, max_rows), min(c2, max_cols)))
        except ValueError as e:  # a number of thousands of digits, a cell reference out of range
            problems.append(f"工作表“{self.title}”含有无法读取的内容（{e.__class__.__name__}），该表未读取")
            self.values, self.formulas, self.merges = {}, set(), []
            return
        if beyond:
            problems.append(f"工作表“{self.title}”中有{beyond}个单元格超出读取范围（前{max_rows}行、"
                            f"前{max_cols}列；年度报告的表格远小于此），未读取")

    def value(self, r: int, c: int):
        return self.values.get((r, c))


def _bounds(ref: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(ref)
    return r1, c1, r2, c2


def read_excel(path: Path) -> Imported:
    check_office_file(path, "xlsx")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Excel 工作簿读取（{e.__class__.__name__}）") from None
    try:
        problems: list[str] = []
        if DATA_SHEET in book.sheetnames:
            return _read_ours(book, path.name)
        sheets = [_Sheet(ws, problems) for ws in book.worksheets[:MAX_SHEETS]]
        if len(book.worksheets) > MAX_SHEETS:
            problems.append(f"工作簿中有{len(book.worksheets)}个工作表，只读取了前{MAX_SHEETS}个")
    except GiappError:
        raise
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Excel 工作簿读取（{e.__class__.__name__}）") from None
    finally:
        book.close()
    return _read_sheets(sheets, path.name, problems)


def _read_ours(book, name: str) -> Imported:
    """Our own annex: every value as we wrote it; a figure changed since in the visible tables
    is taken as shown and listed."""
    problems: list[str] = []
    data_sheet = _Sheet(book[DATA_SHEET], problems, max_rows=MAX_DATA_ROWS, max_cols=2)
    if problems:
        raise GiappError(f"“{name}”的数据表已损坏：{problems[0]}")
    rows = {}
    for r in range(1, MAX_DATA_ROWS + 1):
        key, value = data_sheet.value(r, 1), data_sheet.value(r, 2)
        if isinstance(key, str):
            rows[key] = "" if value is None else _text(value)
    year = rows.get("year", "")
    data = {"schema": rows.get("schema", SCHEMA), "format": rows.get("format", MAIN_FORM),
            "organ": {k.split(".", 1)[1]: v for k, v in rows.items() if k.startswith("organ.")},
            "year": int(year) if re.fullmatch(r"[0-9]{4}", year) else year,
            "annex": rows.get("annex") or None, "status": "draft",
            "values": {k.split(".", 1)[1]: (v if v != "" else None) for k, v in rows.items() if k.startswith("value.")},
            "texts": {k.split(".", 1)[1]: v for k, v in rows.items() if k.startswith("text.")},
            "explanations": {k.split(".", 1)[1]: v for k, v in rows.items() if k.startswith("explanation.")}}
    if rows.get("setting.s6_items"):
        data["settings"] = {"s6_items": rows["setting.s6_items"].split(",")}
    report = Report.from_json(data, f"“{name}”的数据表")
    notes = _visible_figures(book, report, problems)
    return Imported(report, "本程序导出的 Excel 附表（按隐藏数据表精确读取）", problems, notes)


def _visible_figures(book, report: Report, problems: list[str]) -> list[str]:
    """Figures in the visible tables that differ from the hidden data sheet (someone edited the
    annex in Excel): the visible one is taken, each difference listed."""
    from ..export.xlsx import FIRST_ROW, table_sheets
    from ..values import ValueRefused, format_value, parse_value

    notes = []
    for form, table, heading in table_sheets(report):
        title = heading[:31].replace("：", " ")
        if title not in book.sheetnames:
            continue
        sheet = _Sheet(book[title], problems)
        for p in table.places:
            if p.cell is None:
                continue
            at = (p.r + FIRST_ROW, p.c + 1)
            if at in sheet.formulas:
                continue  # a total never computed: nothing shown
            shown, hidden = sheet.values.get(at), report.values.get(p.cell)
            spec = form.cells[p.cell]
            try:
                value = parse_value(shown if not isinstance(shown, str) else shown.strip() or None,
                                    spec.type.decimals, spec.type.max, spec.unit)
            except ValueRefused as e:
                problems.append(f"工作表“{title}” {form.cell_name(p.cell)}：“{_text(shown)}”{e}，按隐藏数据表的 "
                                f"{format_value(hidden) or '空白'} 导入")
                continue
            if value != hidden:
                report.values[p.cell] = value
                notes.append(f"{form.cell_name(p.cell)}：表格中显示 {format_value(value) or '空白'}，隐藏数据表中为 "
                             f"{format_value(hidden) or '空白'}；按表格中显示的导入")
    if notes:
        notes.insert(0, f"有{len(notes)}个数字在 Excel 中被改过，与隐藏数据表不同，已按表格中显示的数字导入，请核对")
    return notes


def _grid(sheet: _Sheet) -> Grid:
    rows = max((r for r, _ in sheet.values), default=0)
    cols = max((c for _, c in sheet.values), default=0)
    for r1, c1, r2, c2 in sheet.merges:
        if (r1, c1) in sheet.values:
            rows, cols = max(rows, r2), max(cols, c2)
    texts = [[_text(sheet.value(r, c)) for c in range(1, cols + 1)] for r in range(1, rows + 1)]
    region = [[r * 10_000 + c for c in range(cols)] for r in range(rows)]
    for r1, c1, r2, c2 in sheet.merges:
        if r1 > rows or c1 > cols:
            continue
        top = texts[r1 - 1][c1 - 1]
        for r in range(r1 - 1, min(r2, rows)):
            for c in range(c1 - 1, min(c2, cols)):
                texts[r][c] = top
                region[r][c] = (r1 - 1) * 10_000 + c1 - 1
    return Grid(f"工作表“{sheet.title}”", texts, region)


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


def _read_sheets(sheets: list[_Sheet], name: str, problems: list[str]) -> Imported:
    form = load_form(MAIN_FORM)
    report = Report(format=MAIN_FORM)
    notes: list[str] = []
    visible = [sheet for sheet in sheets if sheet.state == "visible"]
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
                elif key.strip() in ("报告年度", "年度") and re.fullmatch(r"[0-9]{4}", value.strip()) and not report.year:
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
    _uncomputed_formulas(any(sheet.formulas for sheet in sheets), report, forms, notes)
    notes.append("按表格中的文字标签读取；Excel 中没有的文字部分需要另行填写")
    return Imported(report, "Excel 表格（按官方表格的标签读取）", problems, notes)
