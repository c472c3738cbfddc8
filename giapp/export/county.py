"""The county office's 汇总 as an Excel workbook: the sum in the official layout (sheet 汇总), the
roster (sheet 名单, with the notes), and each added unit's figures, laid out by the annex writer's
table layout (export/xlsx.py), so that the two workbooks cannot drift apart. Qt-free."""

import os
import re
from copy import copy
from pathlib import Path
from typing import Callable

from ..aggregate import ROSTER_HEADERS, Aggregate, Cancelled, check_writable
from ..errors import GiappError
from ..form import load_form
from ..report import Report
from ..values import Value, format_value

PER_UNIT_SHEETS_MAX = 200  # above this, the per-unit figures go into one long sheet
ROSTER_SHEET = "名单"
SUMMARY_SHEET = "汇总"
LONG_SHEET = "各单位数字"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\：]")


def write_workbook(agg: Aggregate, out, progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> Path:
    """The aggregate as an Excel workbook: the sum in the official layout (sheet 汇总), the roster
    (sheet 名单, with the notes), and each added unit's figures: a sheet per unit in the same
    layout, or above PER_UNIT_SHEETS_MAX units one long sheet (a row per unit, a column per cell).

    Written in openpyxl's streaming mode (rows go to disk as they are made) beside the target and
    moved into place. progress(done, total) per unit; cancelled() stops with Cancelled, and no file.
    """
    out = Path(out)
    check_writable(agg)
    if out.suffix.lower() != ".xlsx":
        raise GiappError(f"Excel 文件名应以 .xlsx 结尾：“{out.name}”")
    from ..files import check_target, quiet_closing, temporary, write_error

    check_target(out)
    tmp = temporary(out, ".xlsx")
    failure = None
    try:
        with quiet_closing() as failed:
            try:
                _write_book(agg, tmp, progress, cancelled)
                os.replace(tmp, out)
            except OSError as e:
                failure = write_error(e, out)
                failed.append(failure)
        if failure is not None:
            raise failure
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # a read-only folder: nothing was made there
            pass
    return out


def _write_book(agg: Aggregate, target: Path, progress, cancelled) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    try:
        _fill_book(book, agg, progress, cancelled)
        book.save(str(target))
    except BaseException:
        _discard(book)
        raise


def _discard(book) -> None:
    """Close the streamed sheets of a workbook that will not be saved and remove their
    temporary files (left open, their writers complain when they are collected)."""
    for ws in book.worksheets:
        try:
            if not ws.closed:
                ws.close()
            if ws._writer is not None:
                ws._writer.cleanup()
        except Exception:  # already half-written: nothing more to save
            pass


def _fill_book(book, agg: Aggregate, progress, cancelled) -> None:
    report = agg.report
    units = agg.included
    layout = _Layout(report)
    title = f"{report.organ.name}{f'{agg.year}年' if agg.year else ''}政府信息公开工作年度报告"
    layout.write(book.create_sheet(SUMMARY_SHEET), title, "；".join(agg.notes[:1]), report.values,
                 report.forms(), draft=True)
    long = len(units) > PER_UNIT_SHEETS_MAX
    _roster_sheet(book.create_sheet(ROSTER_SHEET), agg, long)
    if long:
        _long_sheet(book.create_sheet(LONG_SHEET), agg, progress, cancelled)
    else:
        names = {SUMMARY_SHEET.casefold(), ROSTER_SHEET.casefold(), LONG_SHEET.casefold()}
        for i, row in enumerate(units, 1):
            if cancelled and cancelled():
                raise Cancelled()
            ws = book.create_sheet(_sheet_name(row.unit, names))
            line = f"文件：{row.file.name}；{row.status_name()}；错误{row.errors}处，警告{row.warnings}处"
            layout.write(ws, f"{row.unit}{row.year}年政府信息公开工作年度报告", line, row.values(),
                         [load_form(f) for f in row.forms], draft=row.status != "signed")
            ws.close()  # to disk now: one open temporary file at a time
            if progress:
                progress(i, len(units))
    book.properties.title = title
    book.properties.creator = "giapp"


def _sheet_name(unit: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique (Excel ignores case)."""
    base = _BAD_SHEET_CHARS.sub("_", _clean(unit)).strip("' ") or "单位"
    for n in range(1, 100000):
        suffix = "" if n == 1 else f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        if name.casefold() not in taken and name.casefold() != "history":
            taken.add(name.casefold())
            return name
    raise GiappError("工作表过多")  # pragma: no cover


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # and a GBK file name's escapes


def _clean(text: str) -> str:
    """Text as a worksheet can hold it (no control characters)."""
    return _ILLEGAL.sub("", text or "")


def _text(ws, text: str, style=None):
    """A text cell that stays text: a unit named "=1+1" must not become a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, _clean(text))
    cell.data_type = "s"
    if style is not None:
        cell._style = copy(style)
    return cell


def _number(value: Value, decimals: int):
    """As the Excel annex writes numbers: counts as int, amounts as float."""
    return None if value is None else (int(value) if decimals == 0 else float(value))


class _Layout:
    """The official tables as giapp/export/xlsx.py lays them out, rendered once (from the
    aggregate report) and written again for each unit with its own figures.

    xlsx._table_sheet draws one table on a sheet of its own; here the tables of a report are
    stacked on one sheet: a title line, a line about the unit, then each table with its heading.
    Each rendered table becomes a plan (its cells with their styles mapped into the target
    workbook, merged ranges, widths, heights, formulas), so that a unit costs only the writing of
    its cells. A derived cell whose printed value is not the sum of its parts is written as printed
    with a comment, as _table_sheet does; otherwise it keeps _table_sheet's =SUM formula, moved to
    its row.
    """

    TOP = 4  # the first table's heading: under a title line, a line about the unit and a blank row

    def __init__(self, report: Report):
        from openpyxl import Workbook

        from . import xlsx

        self.xlsx = xlsx
        scratch = Workbook()
        scratch.remove(scratch.active)
        self.tables = []  # (form, table, worksheet)
        for form, table, heading in xlsx.table_sheets(report):
            xlsx._table_sheet(scratch, report, form, table, heading, True, organ_line=False)  # a unit's own line is ours
            self.tables.append((form, table, scratch.worksheets[-1]))
        self.styles: dict[tuple, object] = {}  # scratch style -> style array in the target workbook
        self.plans: dict[tuple, list] = {}  # form ids -> the stacked tables' rows
        self.formulas: dict[tuple, str] = {}  # (scratch coordinate, row offset) -> formula

    def _style(self, ws, cell):
        """The scratch cell's style as a style array of the target workbook (made once)."""
        key = tuple(cell._style)
        if key not in self.styles:
            from openpyxl.cell import WriteOnlyCell

            probe = WriteOnlyCell(ws)
            probe.font, probe.border = copy(cell.font), copy(cell.border)
            probe.alignment, probe.number_format = copy(cell.alignment), cell.number_format
            self.styles[key] = probe._style
        return self.styles[key]

    def _plan(self, ws, form_ids: tuple) -> tuple:
        """For a unit with these forms: the tables stacked, as (rows, merged ranges, widths,
        heights, landscape); a row is (sheet row, [(column, style, label, cell id, form, scratch cell)])."""
        if form_ids in self.plans:
            return self.plans[form_ids]
        xlsx = self.xlsx
        tables = [t for t in self.tables if t[0].id in form_ids]
        cols = max(t[1].cols for t in tables)
        rows, merged, heights, widths = [], [(1, 1, 1, cols), (2, 1, 2, cols)], {1: 24}, {}
        top = self.TOP
        for form, table, src in tables:
            offset = top - 1
            at = {(p.r + xlsx.FIRST_ROW, p.c + 1): p.cell for p in table.places if p.cell}
            for rng in src.merged_cells.ranges:
                merged.append((rng.min_row + offset, rng.min_col, rng.max_row + offset, rng.max_col))
            for letter, dim in src.column_dimensions.items():  # the widest of the stacked tables
                widths[letter] = max(widths.get(letter, 0), dim.width or 0)
            for r, dim in src.row_dimensions.items():
                if dim.height:
                    heights[r + offset] = dim.height
            last_row, last_col = src.max_row, src.max_column
            for r in range(1, last_row + 1):
                entries = []
                for c in range(1, last_col + 1):
                    cell = src._cells.get((r, c))
                    if cell is not None:
                        label = cell.value if (r, c) not in at else None
                        entries.append((c, self._style(ws, cell), label, cell.data_type, at.get((r, c)), form, cell))
                rows.append((r + offset, entries))
            top += last_row + 1
        landscape = any(t[2].page_setup.orientation == "landscape" for t in tables)
        widths = {k: v for k, v in widths.items() if v}
        plan = (rows, merged, widths, heights, landscape, cols)
        self.plans[form_ids] = plan
        return plan

    def write(self, ws, title: str, line: str, values: dict, forms, draft: bool) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.comments import Comment
        from openpyxl.formula.translate import Translator
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.cell_range import CellRange
        from openpyxl.worksheet.worksheet import Worksheet

        rows, merged, widths, heights, landscape, cols = self._plan(ws, tuple(f.id for f in forms))
        # sheet properties, views and columns go out with the first row: set them first
        for col, width in widths.items():
            ws.column_dimensions[col].width = width
        for r, height in heights.items():
            ws.row_dimensions[r].height = height
        for r1, c1, r2, c2 in merged:
            ws.merged_cells.add(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))
        ws.sheet_view.showGridLines = False
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        self.xlsx._header_footer(ws, draft)

        title_style = self._style(ws, self.tables[0][2].cell(1, 1))
        ws.append([_text(ws, title, title_style)])
        ws.append([_text(ws, line)])
        ws.append([])
        next_row = self.TOP
        for r, entries in rows:
            while next_row < r:  # the blank row between tables
                ws.append([])
                next_row += 1
            out = [None] * cols
            for c, style, label, data_type, cid, form, src in entries:
                cell = WriteOnlyCell(ws)
                cell._style = copy(style)
                if cid is None:  # a label, or the border of a merged cell
                    if label is not None:
                        cell.value = label
                        cell.data_type = data_type
                else:
                    spec = form.cells[cid]
                    value = values.get(cid)
                    computed = value
                    if spec.derived:
                        given = [x for x in (values.get(p) for p in spec.parts) if x is not None]
                        computed = sum(given) if given else None
                    if spec.derived and (value == computed or (value is None and computed is None)):
                        key = (src.coordinate, r)
                        if key not in self.formulas:
                            self.formulas[key] = Translator(src.value, origin=src.coordinate).translate_formula(
                                f"{get_column_letter(c)}{r}")
                        cell.value = self.formulas[key]
                    else:
                        cell.value = _number(value, spec.type.decimals)
                        if spec.derived:
                            cell.comment = Comment(f"报告所填 {format_value(value)} 与各项之和 "
                                                   f"{format_value(computed)} 不符，按所填照录", "giapp")
                out[c - 1] = cell
            ws.append(out)
            next_row += 1


def _roster_sheet(ws, agg: Aggregate, long: bool) -> None:
    """The roster, sortable and filterable, under the notes."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    notes = list(agg.notes)
    if long:
        notes.append(f"单位超过{PER_UNIT_SHEETS_MAX}个：各单位的数字不再每单位一张表，而是列在“{LONG_SHEET}”表中"
                     "（每单位一行，每个单元格一列）")
    else:
        notes.append("每个已汇总的单位一张表，表名为单位名称")
    header_row = len(notes) + 3
    last = header_row + len(agg.roster)
    for letter, width in zip("ABCDEFGHIJKL", (30, 16, 8, 30, 10, 6, 6, 30, 50, 6, 10, 60)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"B{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(ROSTER_HEADERS))}{last}"
    bold = Font(bold=True)
    ws.append([_text(ws, f"{agg.report.organ.name}{f'{agg.year}年' if agg.year else ''} 名单")])
    for note in notes:
        ws.append([_text(ws, f"说明：{note}")])
    ws.append([])
    head = []
    for h in ROSTER_HEADERS:
        cell = _text(ws, h)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in agg.roster:
        ws.append([_text(ws, v) if isinstance(v, str) else v for v in row.cells()])


def _long_sheet(ws, agg: Aggregate, progress, cancelled) -> None:
    """Every added unit's figures, a row per unit and a column per cell; the first header row
    names each cell by its official table, row and column, the second gives its cell id."""
    forms = agg.report.forms()
    cells = [(form, cid) for form in forms for cid in form.cells]
    ws.freeze_panes = "C3"
    ws.column_dimensions["A"].width = 30
    ws.append([_text(ws, "单位"), _text(ws, "文件")] + [_text(ws, form.cell_name(cid)) for form, cid in cells])
    ws.append([_text(ws, ""), _text(ws, "")] + [_text(ws, cid) for _, cid in cells])
    specs = [(cid, form.cells[cid].type.decimals) for form, cid in cells]
    units = agg.included
    for i, row in enumerate(units, 1):
        if cancelled and i % 100 == 0 and cancelled():
            raise Cancelled()
        values = row.values()
        ws.append([_text(ws, row.unit), _text(ws, row.file.name)]
                  + [_number(values.get(cid), d) for cid, d in specs])
        if progress and (i % 100 == 0 or i == len(units)):
            progress(i, len(units))
