"""The Excel annex for the county office: a sheet a table in the official layout with live formulas
for derived cells, a sheet with the report data and the check results, and a hidden sheet of cell
ids and values from which the annex is read back exactly.

The sheets are laid out with openpyxl (the 汇总 workbook of giapp/aggregate.py reuses the layout)
and written with XlsxWriter, which stores each formula with its computed result, so that a reader
that does not recalculate (an import into another system, a preview, openpyxl with data_only) sees
the totals; openpyxl cannot store that result. Formula cells are protected (sheet protection
without password), the cells to type figures in are not. A signed report's sheets carry its
verification code in the footer and no staff names (those go on the sign-off sheet)."""

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Protection, Side
from openpyxl.utils import get_column_letter

from ..form import Form, Table
from ..report import LEVELS, STATUSES, Report
from ..rules import SEVERITY_NAMES, check, sorted_findings
from ..values import format_value
from .blocks import code_line
from .paper import WIDE_TABLE_COLS, WORD_FONTS

DATA_SHEET = "giapp数据"
INFO_SHEET = "报告信息与校验结果"
FIRST_ROW = 3  # the table starts under two title rows: organ and year; the table's name and unit
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CELL_FONT = Font(name=WORD_FONTS["table"], size=10.5)
HEAD_FONT = Font(name=WORD_FONTS["h1"], size=10.5)
TITLE_FONT = Font(name=WORD_FONTS["h1"], size=14)
UNLOCKED = Protection(locked=False)


def put_text(cell, text: str) -> None:
    """Text stays text: a clerk's "=1+1" must not become a formula."""
    cell.value = text
    cell.data_type = "s"


def _ref(table: Table, cid: str) -> tuple[int, int]:
    place = next(p for p in table.places if p.cell == cid)
    return place.r + FIRST_ROW, place.c + 1


def _sum_formula(form: Form, table: Table, cid: str) -> str:
    """=SUM over the parts, as ranges where the parts stand side by side."""
    cells = sorted(_ref(table, p) for p in form.cells[cid].parts)
    rows = {r for r, _ in cells}
    cols = {c for _, c in cells}
    if len(rows) == 1 and max(cols) - min(cols) + 1 == len(cells):
        r = cells[0][0]
        return f"=SUM({get_column_letter(min(cols))}{r}:{get_column_letter(max(cols))}{r})"
    if len(cols) == 1 and max(rows) - min(rows) + 1 == len(cells):
        c = get_column_letter(cells[0][1])
        return f"=SUM({c}{min(rows)}:{c}{max(rows)})"
    return "=SUM(" + ",".join(f"{get_column_letter(c)}{r}" for r, c in cells) + ")"


def unit_note(form: Form, table: Table) -> str:
    """The unit of measure of a table's figures, worded as the window words it above its grid:
    单位：件, or 单位：件；本年收费金额为万元 where some columns differ."""
    if any(p.cell is None and (p.text or "").strip() == "单位" for p in table.places):
        return "单位：见“单位”栏"  # the annex prints a unit column of its own
    cells = [form.cells[p.cell] for p in table.places if p.cell and form.cells[p.cell].unit]
    units = Counter(c.unit for c in cells)
    if not units:
        return ""
    main = units.most_common(1)[0][0]
    others = []
    for c in cells:
        note = f"{re.split(r'[（(]', c.col)[0]}为{c.unit}"
        if c.unit != main and note not in others:
            others.append(note)
    return "；".join([f"单位：{main}"] + others)


def _table_sheet(book: Workbook, report: Report, form: Form, table: Table, heading: str, draft: bool,
                 line: str = "", organ_line: bool = True) -> None:
    """One table on a sheet of its own: its heading, then a line naming the organ, the year (left;
    left out with organ_line=False, for the 汇总 workbook's stacked tables) and the unit (right)."""
    ws = book.create_sheet(heading[:31].replace("：", " "))
    ws.sheet_view.showGridLines = False
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=table.cols)
    put_text(ws.cell(1, 1), heading)
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    for i, width in enumerate(table.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(width * 1.1, 8 if i > 1 else width)
    split = table.cols - 1 if table.cols >= 4 else 2  # organ and year left, the unit right
    who = f"填报单位：{report.organ.name}　报告年度：{report.year}年" if organ_line else ""
    for first, last, text, align in ((1, split - 1, who, "left"), (split, table.cols, unit_note(form, table), "right")):
        if last > first:
            ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last)
        put_text(ws.cell(2, first), text)
        ws.cell(2, first).font = CELL_FONT
        ws.cell(2, first).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    width = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, split))
    lines = -(-sum(2 if ord(ch) > 0x2E7F else 1 for ch in who) // max(int(width) - 1, 1)) if who else 1
    ws.row_dimensions[2].height = 14 * max(lines, 1) + 6
    for r in range(table.rows):
        for c in range(table.cols):
            ws.cell(r + FIRST_ROW, c + 1).border = BORDER
    values = report.values
    for p in table.places:
        cell = ws.cell(p.r + FIRST_ROW, p.c + 1)
        if p.rs > 1 or p.cs > 1:
            ws.merge_cells(start_row=p.r + FIRST_ROW, start_column=p.c + 1,
                           end_row=p.r + p.rs - 1 + FIRST_ROW, end_column=p.c + p.cs)
        if p.cell is None:
            put_text(cell, "\u3000" * p.indent + (p.text or ""))
            head = p.role in ("head", "block", "heading")
            cell.font = HEAD_FONT if head else CELL_FONT
            centred = p.role in ("head", "block", "note")
            cell.alignment = Alignment(horizontal="center" if centred else "left", vertical="center", wrap_text=True)
            continue
        spec = form.cells[p.cell]
        value = values.get(p.cell)
        if not spec.derived:  # figures are typed in; totals are protected against typing over
            cell.protection = UNLOCKED
        cell.font = CELL_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.number_format = "0" if spec.type.decimals == 0 else "General"
        if spec.derived:
            parts = [values.get(x) for x in spec.parts]
            given = [x for x in parts if x is not None]
            computed = sum(given) if given else None
            if value == computed or (value is None and computed is None):
                cell.value = _sum_formula(form, table, p.cell)
                continue
            cell.comment = Comment(f"报告所填 {format_value(value)} 与各项之和 {format_value(computed)} 不符，按所填照录", "giapp")
        cell.value = None if value is None else (int(value) if spec.type.decimals == 0 else float(value))
    _row_heights(ws, table)
    ws.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW + table.header_rows - 1}" if table.header_rows else None
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if table.cols > WIDE_TABLE_COLS else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    _header_footer(ws, draft, line)
    ws.protection.sheet = True  # no password: it guards against typing over a total, not a person
    ws.protection.formatColumns = ws.protection.formatRows = False  # False: allowed


def _row_heights(ws, table: Table) -> None:
    """Excel does not grow a row for wrapped text in merged cells: give each row its lines."""
    lines = {}
    for p in table.places:
        if p.cell is None and p.text and p.rs == 1:
            width = sum(ws.column_dimensions[get_column_letter(p.c + 1 + k)].width for k in range(p.cs))
            need = -(-sum(2 if ord(ch) > 0x2E7F else 1 for ch in p.text) // max(int(width) - 1, 1))
            lines[p.r] = max(lines.get(p.r, 1), need)
    for r, n in lines.items():
        ws.row_dimensions[r + FIRST_ROW].height = 14 * n + 4


def _header_footer(ws, draft: bool, code_line: str = "") -> None:
    """Page numbers; 草稿 at the top of a draft's pages; a signed report's code in small print."""
    if code_line and not draft:
        ws.oddFooter.right.text = code_line
        ws.oddFooter.right.size = 8
    if draft:
        ws.oddHeader.right.text = "草稿"
        ws.oddHeader.right.font = WORD_FONTS["h1"] + ",Bold"
        ws.oddHeader.right.color = "B01C1C"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _info_sheet(book: Workbook, report: Report, draft: bool, line: str = "") -> None:
    ws = book.create_sheet(INFO_SHEET)
    organ = report.organ
    rows = [("机关名称", organ.name), ("机关层级", LEVELS.get(organ.level, organ.level)), ("报告年度", report.year or None),
            ("地址", organ.address), ("联系电话", organ.phone), ("网站", organ.website),
            ("状态", STATUSES.get(report.status, report.status)),
            ("导出时间", datetime.now().replace(second=0, microsecond=0))]
    if report.signoff and report.status == "signed":  # no staff names: they go on the sign-off sheet
        from ..signoff import code

        s = report.signoff
        try:
            day = date.fromisoformat(s.get("date", ""))
        except (TypeError, ValueError):
            day = s.get("date", "")
        rows += [("签发日期", day), ("校验码", code(s.get("fingerprint", "")))]
    for i, (key, value) in enumerate(rows, 1):
        put_text(ws.cell(i, 1), key)
        ws.cell(i, 1).font = HEAD_FONT
        cell = ws.cell(i, 2)
        if isinstance(value, (int, date)):  # 报告年度 a number; dates as dates
            cell.value = value
            cell.number_format = ("yyyy-mm-dd hh:mm" if isinstance(value, datetime) else
                                  "yyyy-mm-dd" if isinstance(value, date) else "0")
            cell.alignment = Alignment(horizontal="left")
        else:
            put_text(cell, value or "")
    start = len(rows) + 2
    for c, head in enumerate(("规则", "类别", "内容", "说明"), 1):
        put_text(ws.cell(start, c), head)
        ws.cell(start, c).font = HEAD_FONT
        ws.cell(start, c).border = BORDER
    findings = sorted_findings(check(report, "signoff" if report.status == "signed" else "draft"))
    if not findings:
        put_text(ws.cell(start + 1, 1), "未发现问题")
    widths = (18, 18, 80, 40)  # B holds the dates above too
    for i, f in enumerate(findings, start + 1):
        lines = 1
        for c, value in enumerate((f.rule, SEVERITY_NAMES[f.severity], f.message, report.explanations.get(f.rule, "")), 1):
            put_text(ws.cell(i, c), value)
            ws.cell(i, c).border = BORDER
            ws.cell(i, c).alignment = Alignment(wrap_text=True, vertical="top")
            lines = max(lines, -(-sum(2 if ord(ch) > 0x2E7F else 1 for ch in value) // (widths[c - 1] - 1)))
        ws.row_dimensions[i].height = 14 * lines + 4  # wrapped text gets its lines in every reader
    for col, width in zip("ABCD", widths):
        ws.column_dimensions[col].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _header_footer(ws, draft, line)


def _data_sheet(book: Workbook, report: Report) -> None:
    """Every value as text (exact), keyed by cell id; the annex reads back from here."""
    ws = book.create_sheet(DATA_SHEET)
    ws.sheet_state = "hidden"
    data = report.to_json()
    rows = [("schema", data["schema"]), ("format", report.format), ("year", str(report.year)),
            ("annex", report.annex or ""), ("status", report.status)]
    rows += [(f"organ.{k}", v) for k, v in data["organ"].items()]
    rows += [(f"value.{cid}", format_value(report.values.get(cid))) for form in report.forms() for cid in form.cells]
    rows += [(f"text.{k}", v) for k, v in sorted(report.texts.items())]
    rows += [(f"explanation.{k}", v) for k, v in sorted(report.explanations.items())]
    if "s6_items" in report.settings:
        rows.append(("setting.s6_items", ",".join(report.settings["s6_items"])))
    if report.status == "signed" and report.signoff:
        from ..signoff import code

        # the date and the fingerprint; the staff names stay out of the published file
        rows += [(f"signoff.{k}", str(report.signoff[k])) for k in ("date", "fingerprint") if k in report.signoff]
        rows.append(("verification", f"校验码：{code(report.signoff.get('fingerprint', ''))}"))
    for i, (key, value) in enumerate(rows, 1):
        put_text(ws.cell(i, 1), key)
        put_text(ws.cell(i, 2), value)


def table_sheets(report: Report):
    """(form, table, sheet heading) for every table of the report, in order."""
    for form in report.forms():
        for section in form.sections:
            if section["kind"] == "table":
                table = form.tables[section["table"]]
                yield form, table, section["heading"] if form.kind == "report" else f"附件 {table.title}"


def write_xlsx(report: Report, target, today: date | None = None) -> Path:
    target = Path(target)
    draft = report.status != "signed"
    line = code_line(report)
    book = Workbook()
    book.remove(book.active)
    results = {}
    for form, table, heading in table_sheets(report):
        _table_sheet(book, report, form, table, heading, draft, line)
        results[book.worksheets[-1].title] = _results(report, form, table)
    _info_sheet(book, report, draft, line)
    _data_sheet(book, report)
    title = f"{report.organ.name}{report.year}年政府信息公开工作年度报告（附表）"
    from .xlsxout import save

    save(book, target, results, title)
    return target


def _results(report: Report, form: Form, table: Table) -> dict[tuple[int, int], float | int]:
    """What each derived cell's formula computes, by (row, column): an empty sum is 0, as in Excel."""
    out = {}
    for p in table.places:
        if p.cell and form.cells[p.cell].derived:
            spec = form.cells[p.cell]
            total = sum(v for v in (report.values.get(x) for x in spec.parts) if v is not None)
            out[(p.r + FIRST_ROW, p.c + 1)] = int(total) if spec.type.decimals == 0 else float(total)
    return out
