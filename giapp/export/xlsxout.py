"""An openpyxl workbook written out with XlsxWriter, each formula with its computed result.

openpyxl lays the annex out (and the 汇总 workbook reuses that layout) but cannot store what a
formula computes: a reader that does not recalculate sees an empty total. XlsxWriter can. Only
what our sheets use is carried over: values, formulas, fonts, thin borders, alignment, number
formats, cell protection, merged ranges, comments, widths and heights, page setup, header and
footer, sheet protection and hidden sheets."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

VALIGN = {"center": "vcenter", "top": "top", "bottom": "bottom", "justify": "vjustify", "distributed": "vdistributed"}


class _Formats:
    """One XlsxWriter format per distinct openpyxl style."""

    def __init__(self, book):
        self.book, self.made = book, {}

    def __call__(self, cell):
        key = tuple(cell._style) if cell.has_style else None
        if key not in self.made:
            self.made[key] = self.book.add_format(_properties(cell)) if cell.has_style else None
        return self.made[key]


def _properties(cell) -> dict:
    props = {}
    font = cell.font
    if font.name:
        props["font_name"] = font.name
    if font.sz:
        props["font_size"] = float(font.sz)
    if font.b:
        props["bold"] = True
    if font.color is not None and isinstance(font.color.rgb, str) and font.color.type == "rgb":
        props["font_color"] = "#" + font.color.rgb[-6:]
    for side in ("left", "right", "top", "bottom"):
        if getattr(cell.border, side).style == "thin":
            props[side] = 1
    align = cell.alignment
    if align.horizontal:
        props["align"] = align.horizontal
    if align.vertical:
        props["valign"] = VALIGN.get(align.vertical, align.vertical)
    if align.wrap_text:
        props["text_wrap"] = True
    if cell.number_format and cell.number_format != "General":
        props["num_format"] = cell.number_format
    if cell.protection.locked is False:
        props["locked"] = False
    return props


def _write(ws, r: int, c: int, cell, fmt, results: dict) -> None:
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and cell.data_type != "s" and value.startswith("=")):
        ws.write_formula(r, c, value, fmt, results.get((r + 1, c + 1), 0))
    elif value is None:
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float, Decimal)):
        ws.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt)
    elif isinstance(value, (datetime, date)):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)
    if cell.comment is not None:
        ws.write_comment(r, c, cell.comment.text, {"author": cell.comment.author or "giapp", "x_scale": 2})


def _sheet(book, formats: _Formats, src, results: dict) -> None:
    ws = book.add_worksheet(src.title)
    if src.sheet_state != "visible":
        ws.hide()
    if src.sheet_view.showGridLines is False:
        ws.hide_gridlines(2)
    from openpyxl.utils import column_index_from_string

    for letter, dim in src.column_dimensions.items():
        if dim.width:
            i = column_index_from_string(letter) - 1
            ws.set_column(i, i, dim.width)
    for r, dim in src.row_dimensions.items():
        if dim.height:
            ws.set_row(r - 1, dim.height)
    inside = set()
    for rng in src.merged_cells.ranges:
        top = src.cell(rng.min_row, rng.min_col)
        fmt = formats(top)
        ws.merge_range(rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1, "", fmt)
        _write(ws, rng.min_row - 1, rng.min_col - 1, top, fmt, results)
        inside.update((r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1))
    for (r, c), cell in sorted(src._cells.items()):
        if (r, c) not in inside:
            _write(ws, r - 1, c - 1, cell, formats(cell), results)
    titles = src.print_title_rows
    if titles:
        first, last = (int(x) for x in re.findall(r"\d+", titles)[:2])
        ws.repeat_rows(first - 1, last - 1)
    setup = src.page_setup
    if setup.paperSize:
        ws.set_paper(int(setup.paperSize))
    if setup.orientation == "landscape":
        ws.set_landscape()
    elif setup.orientation == "portrait":
        ws.set_portrait()
    if src.sheet_properties.pageSetUpPr is not None and src.sheet_properties.pageSetUpPr.fitToPage:
        ws.fit_to_pages(int(setup.fitToWidth or 0), int(setup.fitToHeight or 0))
    if src.print_options.horizontalCentered:
        ws.center_horizontally()
    header, footer = str(src.oddHeader), str(src.oddFooter)
    if header:
        ws.set_header(header)
    if footer:
        ws.set_footer(footer)
    guard = src.protection
    if guard.sheet:
        ws.protect("", {"format_columns": not guard.formatColumns, "format_rows": not guard.formatRows})


def save(book, target: Path, results: dict[str, dict], title: str) -> None:
    """Write `book` to target; results: by sheet title, (row, column) -> what its formula computes."""
    out = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_numbers": False,
                                            "strings_to_urls": False})
    formats = _Formats(out)
    for ws in book.worksheets:
        _sheet(out, formats, ws, results.get(ws.title, {}))
    out.set_properties({"title": title, "author": "giapp"})
    try:
        out.close()
    except FileCreateError as e:  # the OSError it wraps, for export.write's message
        raise (e.args[0] if e.args and isinstance(e.args[0], OSError) else OSError(str(e))) from None
