"""Verifying an export against the signed report: its content read back and compared. Qt-free.

    result = check_export(report, "报告.pdf")   # ExportCheck: the code found and every difference

What is compared, for each kind of file:
- Word (.docx): organ, year and every figure as the Word importer reads them (a figure by its cell),
  and the text of the body (paragraphs and tables, in order) with the text giapp prints for the
  report (the block model of giapp/export/blocks.py), character by character.
- PDF: the text inside the text area of each page (pypdfium2) with the same printed text; running
  headers and footers (page numbers, the sign-off line) lie outside the text area and are not
  compared, a table's header rows repeated on a new page are allowed, and so are labels of a table
  that the text extraction gives in another order. A differing number is named by its cell.
- Excel (.xlsx): every cell of every sheet, visible or hidden, with the annex giapp writes for the
  report (only the time of export may differ).

Every export must also carry the report's verification code. The comparison proves that the file
says what the signed report says; it does not prove who made the file (see README).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from pathlib import Path

from .errors import GiappError
from .report import Report
from .signoff import CODE  # the code as the exports print it

KINDS = {".docx": "Word", ".pdf": "PDF", ".xlsx": "Excel"}
SEP = "|"  # between two numbers that stand apart (in two cells, or two words)
SHOWN = 40  # characters of a text shown in a message
MAX_CHARS = 400_000  # of extracted text: a report prints some 20,000
MAX_PDF_PAGES = 500


@dataclass
class ExportCheck:
    path: Path
    kind: str
    code: str | None = None  # the verification code the file carries
    differences: list[str] = field(default_factory=list)  # where the file says something else, a line each


def check_export(report: Report, path) -> ExportCheck:
    """Read an export back and compare it with the (signed) report. GiappError: not readable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise GiappError(f"“{path.name}”：只能核对 .docx、.pdf 或 .xlsx 文件")
    if not path.is_file():
        raise GiappError(f"找不到文件“{path}”" if not path.exists() else f"“{path.name}”不是文件")
    result = ExportCheck(path, KINDS[suffix])
    try:
        {".docx": _check_docx, ".pdf": _check_pdf, ".xlsx": _check_xlsx}[suffix](report, path, result)
    except GiappError:
        raise
    except MemoryError:
        raise GiappError(f"“{path.name}”过大，无法核对") from None
    except Exception as e:  # a damaged or crafted file: a message, never a traceback
        raise GiappError(f"无法读取“{path.name}”（{type(e).__name__}），不是完好的{KINDS[suffix]}文件") from None
    return result


# ---- the printed text, as pieces owned by what they show


@dataclass(eq=False)
class Owner:
    """What a piece of printed text shows: a cell's figure, a paragraph, a table's labels."""

    name: str  # in messages: "三 自然人 （一）予以公开", "一、总体情况"
    cell: str | None = None
    table: str | None = None  # the table a label or a cell stands in


def cell_label(report: Report, cid: str) -> str:
    """A cell as messages name it: 三 自然人 （一）予以公开."""
    form, cell = report.find_cell(cid)
    title = form.tables[cell.table].title
    numeral = title.split("、", 1)[0] if "、" in title[:4] else "附件"
    return f"{numeral} {cell.col} {cell.row}"


def printed_pieces(report: Report) -> list[tuple[Owner, str]]:
    """The text giapp prints for the report (Word and PDF), in order, each piece with its owner."""
    from .export.blocks import build

    doc = build(report)
    pieces: list[tuple[Owner, str]] = []
    context = "前言"
    names = {"title": "标题", "attachment": "附件说明", "closing": "落款（机关名称）", "date": "成文日期",
             "annex_label": "附件", "annex_title": "附件标题"}
    for block in doc.blocks:
        kind = block.kind
        if kind == "page_break":
            continue
        if kind == "table":
            table = block.table
            for p in sorted(table.places, key=lambda p: (p.r, p.c)):
                if p.cell:
                    pieces.append((Owner(cell_label(report, p.cell), p.cell, table.id), doc.cell_text(p.cell)))
                else:
                    pieces.append((Owner(f"{table.title}（表格文字）", table=table.id), p.text or ""))
            continue
        if kind == "h1":
            context = block.text
            pieces.append((Owner(f"标题“{block.text}”"), block.text))
            continue
        if kind == "h2":
            pieces.append((Owner(f"{context} 小标题"), block.text))
            continue
        name = names.get(kind, context)
        pieces.append((Owner(name), block.lead + block.text))
    return pieces


# ---- normalising and comparing text


def _normal(text: str) -> str:
    """As compared: without spaces, line breaks and invisible characters; a space between two
    digits becomes SEP (3001 0 is not 30010)."""
    out = []
    pending_space = False
    for ch in text:
        if ch.isspace():
            pending_space = True
            continue
        if unicodedata.category(ch) in ("Cc", "Cf") or ch == SEP:
            continue
        if pending_space and ch.isdigit() and out and out[-1].isdigit():
            out.append(SEP)
        pending_space = False
        out.append(ch)
    return "".join(out)


def _stream(pieces: list[tuple[Owner, str]]) -> tuple[str, list[Owner]]:
    """The pieces as one normalised text, with the owner of each character."""
    chars: list[str] = []
    owners: list[Owner] = []
    for owner, text in pieces:
        norm = _normal(text)
        if not norm:
            continue
        if chars and chars[-1].isdigit() and norm[0].isdigit():  # the separator goes with the second number
            chars.append(SEP)
            owners.append(owner)
        chars.extend(norm)
        owners.extend([owner] * len(norm))
    return "".join(chars), owners


def _clip(text: str) -> str:
    text = text.replace(SEP, " ")
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def compare_text(expected: list[tuple[Owner, str]], got: str, lenient_tables: bool = False,
                 repeated: dict[str, str] | None = None) -> list[tuple[Owner | None, str]]:
    """Differences between the printed pieces and the text read from an export, as (owner, message).

    lenient_tables: labels of a table may come in another order (PDF text extraction), and the
    table's header rows (repeated: table id -> their text) may come again on a new page."""
    exp, owners = _stream(expected)
    got = _normal(got)
    if len(got) > 2 * len(exp) + 2000:  # not this report; aligning it would take long for nothing
        return [(None, f"导出件的文字比本报告多得多（{len(got)}字，本报告{len(exp)}字），不是本报告")]
    ops = SequenceMatcher(None, exp, got, autojunk=False).get_opcodes()
    # where each expected character went: its span in `got`
    span_lo, span_hi = [0] * len(exp), [0] * len(exp)
    for tag, i1, i2, j1, j2 in ops:
        for i in range(i1, i2):
            span_lo[i], span_hi[i] = (j1 + i - i1, j1 + i - i1 + 1) if tag == "equal" else (j1, j2)
    touched: dict[Owner, list] = {}  # owners with a difference, in order -> insertions (j1, j2) that belong to them
    headers = {t: Counter(_normal(text)) for t, text in (repeated or {}).items()}
    moved_out: dict[str, Counter] = {}  # table id -> label characters missing where they belong
    moved_in: dict[str, Counter] = {}  # table id -> label characters found elsewhere in the table
    loose: list[str] = []  # inserted text outside any owner
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        before = owners[i1 - 1] if i1 > 0 else None
        after = owners[i2] if i2 < len(owners) else None
        inserted = got[j1:j2]
        deleted_owners = list(dict.fromkeys(owners[i1:i2]))
        if lenient_tables:  # labels of a table moved, or its header rows again on a new page
            table = _table_of(deleted_owners, before, after)
            labels_only = all(o.cell is None and o.table == table for o in deleted_owners)
            inside_cell = before is not None and before.cell is not None and before is after
            near_cell = any(o is not None and o.cell for o in (before, after))
            digits = _has_digit(inserted) or SEP in inserted
            header = headers.get(table)
            from_header = not deleted_owners and header and not Counter(inserted) - header
            if table and labels_only and not inside_cell and (not (digits and near_cell) or from_header):
                moved_out.setdefault(table, Counter()).update(exp[i1:i2])
                moved_in.setdefault(table, Counter()).update(inserted)
                continue
        for o in deleted_owners:
            touched.setdefault(o, [])
        if inserted and not deleted_owners:  # an insertion belongs to the owner it stands in or next to
            if before is None or after is None or before is after:
                near = before or after
            elif exp[i1 - 1] == SEP or (after.cell and not before.cell and _has_digit(inserted)):
                near = after
            else:
                near = before
            if near is None:
                loose.append(inserted)
            else:
                touched.setdefault(near, []).append((j1, j2))
    out: list[tuple[Owner | None, str]] = []
    for table, missing in moved_out.items():
        extra = moved_in.get(table, Counter())
        need = headers.get(table, Counter())
        while need and not need - extra:  # the header rows again on a new page
            extra -= need
        gone, added = missing - extra, extra - missing
        if gone or added:
            name = next(o.name for o in owners if o.table == table and o.cell is None)
            out.append((None, f"{name}：文件中的“{_clip(''.join(gone.elements()))}”，导出件为“{_clip(''.join(added.elements()))}”"))
    for owner, insertions in touched.items():
        idx = [i for i, o in enumerate(owners) if o is owner]
        lo = min([span_lo[i] for i in idx] + [j1 for j1, _ in insertions])
        hi = max([span_hi[i] for i in idx] + [j2 for _, j2 in insertions])
        want = exp[idx[0]: idx[-1] + 1].strip(SEP)
        while lo < hi and got[lo] == SEP:
            lo += 1
        while hi > lo and got[hi - 1] == SEP:
            hi -= 1
        if owner.cell and lo < hi:  # the whole number read, also where it runs into a neighbour's digits
            while lo > 0 and got[lo - 1].isdigit():
                lo -= 1
            while hi < len(got) and got[hi].isdigit():
                hi += 1
        have = got[lo:hi].strip(SEP)
        if owner.cell:
            out.append((owner, f"{owner.name}：文件 {want.replace(SEP, ' ') or '空白'}，导出件 {have.replace(SEP, ' ') or '空白'}"))
        else:
            a, b = _differing(want, have)
            shown = f"导出件“{b}”" if have else "导出件中没有"
            out.append((owner, f"{owner.name}：文件“{a}”，{shown}"))
    if loose:
        out.append((None, f"导出件多出文字“{_clip(''.join(loose))}”"))
    return out


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _table_of(deleted: list, before, after) -> str | None:
    tables = {o.table for o in deleted} if deleted else {o.table for o in (before, after) if o is not None}
    if len(tables) == 1:
        return next(iter(tables))
    return None


def _differing(want: str, have: str, context: int = 6) -> tuple[str, str]:
    """The part where two texts differ, with a little context on each side."""
    start = 0
    while start < min(len(want), len(have)) and want[start] == have[start]:
        start += 1
    end = 0
    while end < min(len(want), len(have)) - start and want[-1 - end] == have[-1 - end]:
        end += 1
    lo = max(start - context, 0)
    a = want[lo: len(want) - max(end - context, 0)]
    b = have[lo: len(have) - max(end - context, 0)]
    return _clip(("…" if lo else "") + a), _clip(("…" if lo else "") + b)


def _repeated_headers(report: Report) -> dict[str, str]:
    """table id -> the text of its header rows (repeated on every page of a long table)."""
    out = {}
    for form in report.forms():
        for table in form.tables.values():
            out[table.id] = "".join(p.text or "" for p in table.places if p.r < table.header_rows and not p.cell)
    return out


# ---- Word


def _docx_text(word) -> tuple[list[str], str]:
    """The body as pieces (paragraphs and table cells, in order) and the text of headers and footers."""
    from docx.oxml.ns import qn

    pieces: list[str] = []
    total = 0

    def cells(tbl):
        for tr in tbl.iterchildren(qn("w:tr")):
            for tc in tr.iterchildren(qn("w:tc")):
                yield tc

    def walk(element):
        nonlocal total
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                text = "".join(t.text or "" for t in child.iter(qn("w:t")))
                pieces.append(text)
                total += len(text)
            elif child.tag == qn("w:tbl"):
                for tc in cells(child):
                    walk(tc)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)
            if total > MAX_CHARS:
                raise GiappError("文字过多，不是本报告")

    walk(word.element.body)
    margins = []
    for section in word.sections:
        for part in (section.header, section.even_page_header, section.first_page_header,
                     section.footer, section.even_page_footer, section.first_page_footer):
            if part.is_linked_to_previous:
                continue
            margins += [p.text for p in part.paragraphs]
            margins += [c.text for t in part.tables for row in t.rows for c in row.cells]
    return pieces, "\n".join(margins)


def _check_docx(report: Report, path: Path, result: ExportCheck) -> None:
    from docx import Document as WordDocument

    from .imports.safety import check_office_file
    from .imports.word import read_word

    check_office_file(path, "docx")
    try:
        word = WordDocument(str(path))
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Word 文档读取（{type(e).__name__}）") from None
    body, margins = _docx_text(word)
    result.code = _found_code(margins + "\n" + "\n".join(body))
    diffs: list[str] = []
    from docx.oxml.ns import qn

    drawn = {qn("w:drawing"), qn("w:pict"), qn("w:object")}
    if any(el.tag in drawn for el in word.element.body.iter()):
        diffs.append("导出件中有图片或嵌入对象（本程序导出的 Word 报告中没有）")
    reported: set[str] = set()
    try:
        imported = read_word(path).report
    except GiappError as e:
        diffs.append(f"不能按年度报告读取：{e}")
        imported = None
    if imported is not None:
        if imported.organ.name != report.organ.name:
            diffs.append(f"机关名称：文件 {report.organ.name}，导出件 {imported.organ.name or '（未找到）'}")
        if imported.year != report.year:
            diffs.append(f"年度：文件 {report.year}，导出件 {imported.year or '（未找到）'}")
        if (imported.annex is None) != (report.annex is None):
            diffs.append("附件：文件" + ("有" if report.annex else "没有") + "统计表附件，导出件" + ("有" if imported.annex else "没有"))
        from .values import format_value

        for form in report.forms():
            for cid in form.cells:
                want, have = report.values.get(cid), imported.values.get(cid)
                if format_value(want) != format_value(have):
                    reported.add(cid)
                    diffs.append(f"{cell_label(report, cid)}：文件 {format_value(want) or '空白'}，导出件 {format_value(have) or '空白'}")
    for owner, message in compare_text(printed_pieces(report), "\n".join(body)):
        if owner is None or owner.cell not in reported:
            diffs.append(message)
    result.differences = diffs


# ---- PDF


def _check_pdf(report: Report, path: Path, result: ExportCheck) -> None:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from .export.paper import BOTTOM_MM, LEFT_MM, MM, RIGHT_MM, TOP_MM

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as e:
        raise GiappError(f"“{path.name}”无法作为 PDF 读取（{e}）") from None
    body, margins = [], []
    try:
        pages = len(pdf)
        if pages > MAX_PDF_PAGES:
            raise GiappError(f"“{path.name}”有{pages}页，不是本报告")
        slack = 3 * MM  # a character's box may reach a little over the text area
        total = 0
        pictures, hidden = [], []
        for i in range(pages):
            page = pdf[i]
            try:
                for obj in page.get_objects():  # giapp's PDF is text and lines only
                    if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                        pictures.append(i + 1)
                    elif (obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
                          == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE):
                        hidden.append(i + 1)
                width, height = page.get_size()
                text = page.get_textpage()
                try:
                    inner = text.get_text_bounded(LEFT_MM * MM - slack, BOTTOM_MM * MM - slack,
                                                  width - RIGHT_MM * MM + slack, height - TOP_MM * MM + slack)
                    body.append(inner)
                    margins.append(text.get_text_range())
                    total += len(margins[-1])
                finally:
                    text.close()
            finally:
                page.close()
            if total > MAX_CHARS:
                raise GiappError(f"“{path.name}”文字过多，不是本报告")
    finally:
        pdf.close()
    result.code = _found_code("\n".join(margins))
    result.differences = _pages_note("图片", pictures, "本程序导出的 PDF 中没有图片") + _pages_note(
        "不可见的文字", hidden, "可能以图片或图形冒充文字")
    result.differences += [m for _, m in compare_text(printed_pieces(report), "\n".join(body), lenient_tables=True,
                                                     repeated=_repeated_headers(report))]


def _pages_note(what: str, pages: list[int], why: str) -> list[str]:
    if not pages:
        return []
    shown = "、".join(str(n) for n in sorted(set(pages))[:10])
    return [f"导出件第{shown}页有{what}（{why}）"]


# ---- Excel


def _cell_value(value):
    """A cell's value as compared: numbers by value, text as it is, blank as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        try:
            return Decimal(str(value)).normalize()
        except InvalidOperation:
            return str(value)
    return str(value)


def _sheet_rows(ws, max_rows: int, max_cols: int) -> tuple[dict, dict, bool]:
    """(row, column) -> value of the non-blank cells, -> their number formats, and whether the
    sheet has content past the bounds."""
    cells, formats, beyond = {}, {}, False
    for r, row in enumerate(ws.iter_rows(), 1):
        if r > max_rows:
            if any(getattr(c, "value", None) not in (None, "") for c in row):
                beyond = True
            if r > max_rows + 50:
                break
            continue
        for c, cell in enumerate(row[: max_cols + 1], 1):
            v = getattr(cell, "value", None)
            if v not in (None, ""):
                if c > max_cols:
                    beyond = True
                    break
                cells[(r, c)] = v
                formats[(r, c)] = getattr(cell, "number_format", "General")
    return cells, formats, beyond


def _check_xlsx(report: Report, path: Path, result: ExportCheck) -> None:
    import tempfile

    import openpyxl
    from openpyxl.utils import get_column_letter

    from .export import xlsx
    from .imports.safety import check_office_file

    check_office_file(path, "xlsx")
    import zipfile

    with zipfile.ZipFile(path) as z:
        pictures = [n for n in z.namelist() if n.startswith(("xl/media/", "xl/charts/", "xl/embeddings/"))
                    or re.match(r"xl/drawings/drawing\d+\.xml$", n)]
    try:
        got_book = openpyxl.load_workbook(path, read_only=True)
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Excel 工作簿读取（{type(e).__name__}）") from None
    with tempfile.TemporaryDirectory(prefix="giapp-verify-") as tmp:
        mine = Path(tmp) / "expected.xlsx"
        xlsx.write_xlsx(report, mine)
        want_book = openpyxl.load_workbook(mine, read_only=True)
        try:
            _compare_books(report, want_book, got_book, result, xlsx, get_column_letter)
            if pictures:
                result.differences.insert(0, "导出件中有图片、图表或嵌入对象（本程序导出的 Excel 附表中没有）")
        finally:
            want_book.close()
            got_book.close()


def _compare_books(report, want_book, got_book, result: ExportCheck, xlsx, column) -> None:
    names: dict[tuple[str, int, int], str] = {}  # (sheet, row, col) -> the cell's name
    for form, table, heading in xlsx.table_sheets(report):
        sheet = heading[:31].replace("：", " ")
        for p in table.places:
            if p.cell:
                names[(sheet, p.r + xlsx.FIRST_ROW, p.c + 1)] = cell_label(report, p.cell)
    diffs: list[str] = []
    texts: list[str] = []
    got_sheets = {ws.title: ws for ws in got_book.worksheets}
    for want_ws in want_book.worksheets:
        title = want_ws.title
        got_ws = got_sheets.pop(title, None)
        if got_ws is None:
            diffs.append(f"缺少工作表“{title}”")
            continue
        want_state = getattr(want_ws, "sheet_state", "visible")
        if want_state == "visible" and getattr(got_ws, "sheet_state", "visible") != "visible":
            diffs.append(f"工作表“{title}”在导出件中被隐藏")
        want, want_formats, _ = _sheet_rows(want_ws, 10_000, 200)
        max_row = max((r for r, _ in want), default=1)
        max_col = max((c for _, c in want), default=1)
        got, got_formats, beyond = _sheet_rows(got_ws, max_row + 5, max_col + 5)
        if beyond:
            diffs.append(f"工作表“{title}”：导出件在表格范围之外还有内容")
        texts += [str(v) for v in got.values()]
        for key in sorted(set(want) | set(got)):
            r, c = key
            if title == xlsx.INFO_SHEET and c == 2 and want.get((r, 1)) == "导出时间":
                continue
            a, b = _cell_value(want.get(key)), _cell_value(got.get(key))
            shown_as = want_formats.get(key, "General"), got_formats.get(key, "General")
            if a == b and shown_as[0] == shown_as[1]:
                continue
            if (title, r, c) in names:
                where = names[(title, r, c)]
            elif title in (xlsx.INFO_SHEET, xlsx.DATA_SHEET) and c == 2 and want.get((r, 1)):
                where = f"工作表“{title}” {want[(r, 1)]}"
            else:
                where = f"工作表“{title}” {column(c)}{r}"
            if a == b:  # the same value, shown otherwise (a number format can print any text)
                diffs.append(f"{where}：显示格式不同（文件“{shown_as[0]}”，导出件“{shown_as[1]}”）")
            else:
                diffs.append(f"{where}：文件 {_shown(a)}，导出件 {_shown(b)}")
    for title in got_sheets:
        diffs.append(f"导出件多出工作表“{title}”")
        texts += [str(v) for row in got_sheets[title].iter_rows(max_row=200, max_col=50, values_only=True)
                  for v in row if v is not None]
    result.code = _found_code("\n".join(texts))
    result.differences = diffs


def _shown(value) -> str:
    if value == "":
        return "空白"
    if isinstance(value, Decimal):
        return format(value, "f")
    return f"“{_clip(value)}”"


def _found_code(text: str) -> str | None:
    found = CODE.search(unicodedata.normalize("NFKC", text))
    return found.group(1) if found else None
