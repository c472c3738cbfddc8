"""The PDF (reportlab): the published paper, and what is printed. Every font is embedded as a
subset; no built-in PDF font is ever used. Text is set on the grid of GB/T 9704 (22 lines of 28
characters) with the Chinese line-breaking rules (typeset.py); headings keep with what follows, the
signature block keeps with the last lines of the body, and a table that fits on a page is not split."""

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Table, TableStyle

from ..report import Report
from . import fonts
from .blocks import Block, Document, build
from .paper import (BODY_PT, BOTTOM_MM, CELL_LINE_PT, CELL_PADDING_PT, CHAR_PITCH_PT, LEFT_MM, LINE_PITCH_PT, MM, PAGE_HEIGHT_MM,
                    PAGE_NUMBER_GAP_MM, PAGE_NUMBER_PT, PAGE_WIDTH_MM, RIGHT_MM, SIZES, TABLE_PT, TEXT_HEIGHT_PT,
                    TEXT_WIDTH_PT, TITLE_PT, TOP_MM, closing_offsets)
from .typeset import GridParagraph, Style, atoms

PAGE = (PAGE_WIDTH_MM * MM, PAGE_HEIGHT_MM * MM)
CODE_PT = SIZES["小五"]
TEXT_WIDTH = TEXT_WIDTH_PT
LATIN = frozenset(chr(c) for c in range(0x21, 0x7F))  # figures and Latin text: Times New Roman, as in Word


class FontSet:
    """The registered fonts of one export: a font a role, the fallback, and what each covers."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.covers: dict[str, dict] = {}
        for role, found in {**fonts.resolve_all(), "fallback": fonts.fallback()}.items():
            if found is None:
                continue
            name = f"giapp-{found.path.stem}"  # a font file is parsed once a process (it takes 0.1 s)
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(found.path), subfontIndex=0))
            self.names[role] = name
            self.covers[name] = pdfmetrics.getFont(name).face.charToGlyph
        self._pickers: dict = {}

    def font_of(self, ch: str, role: str) -> str:
        """The font of a character in a role: figures and Latin letters in the Latin face (numbers in one
        face in the text and the tables alike), what the role's font lacks from the fallback."""
        main = self.names[role]
        if ch in LATIN and role != "page" and "latin" in self.names and ord(ch) in self.covers[self.names["latin"]]:
            return self.names["latin"]
        if ord(ch) not in self.covers[main] and not ch.isspace():
            return self.names["fallback"]
        return main

    def picker(self, role: str):
        pick = self._pickers.get(role)
        if pick is None:
            cache: dict = {}

            def pick(ch, role=role, cache=cache):
                font = cache.get(ch)
                if font is None:
                    font = cache[ch] = self.font_of(ch, role)
                return font

            self._pickers[role] = pick
        return pick

    def atoms(self, text: str, role: str, size: float, spacing: float = 0.0):
        return atoms(text, self.picker(role), size, spacing)

    def markup(self, text: str, role: str) -> str:
        """reportlab Paragraph markup (the sign-off sheet's form): each run in the font that covers it."""
        pick, out, run, run_font = self.picker(role), [], [], None
        for ch in text:
            font = pick(ch)
            if font != run_font and run:
                out.append(f'<font name="{run_font}">{escape("".join(run))}</font>')
                run = []
            run_font = font
            run.append(ch)
        if run:
            out.append(f'<font name="{run_font}">{escape("".join(run))}</font>')
        return "".join(out)


SPACING = CHAR_PITCH_PT - BODY_PT  # condenses 三号 type to 28 characters a line


def _styles() -> dict[str, Style]:
    body = dict(size=BODY_PT, leading=LINE_PITCH_PT, spacing=SPACING, first_indent=2 * CHAR_PITCH_PT,
                squeeze=CHAR_PITCH_PT)
    title = dict(size=TITLE_PT, leading=TITLE_PT * 1.5, align="center", squeeze=TITLE_PT)
    return {
        "title": Style(**title, space_after=LINE_PITCH_PT),
        "body": Style(**body),
        "h1": Style(**body),
        "h2": Style(**body),
        "attachment": Style(**body, space_before=LINE_PITCH_PT),
        "annex_label": Style(**{**body, "first_indent": 0.0}, align="left"),
        "annex_title": Style(**title, space_after=LINE_PITCH_PT / 2),
    }


ROLES = {"title": "title", "annex_title": "title", "h1": "h1", "annex_label": "h1", "h2": "h2"}


class KeepWithNext(Flowable):
    """A heading and what follows it: the heading never stays alone at the foot of a page."""

    def __init__(self, head: Flowable, body: Flowable):
        super().__init__()
        self.head, self.body = head, body

    def wrap(self, availWidth, availHeight):
        _, self._hh = self.head.wrap(availWidth, availHeight)
        _, self._bh = self.body.wrap(availWidth, availHeight - self._hh)
        self.width, self.height = availWidth, self._hh + self._bh
        return self.width, self.height

    def getSpaceAfter(self):
        return self.body.getSpaceAfter()

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        top = _at_top(self)
        if self._hh > availHeight:
            return []
        parts = _split(self.body, availWidth, availHeight - self._hh, False)
        if not parts and top:
            parts = _split(self.body, availWidth, availHeight - self._hh, True)
            if not parts:
                return [self.head, self.body]
        return [self.head, *parts] if parts else []

    def drawOn(self, canvas, x, y, _sW=0):
        self.head.drawOn(canvas, x, y + self._bh)
        self.body.drawOn(canvas, x, y)


class Unbroken(Flowable):
    """A table that fits on an empty page is not split: it starts a new page instead."""

    def __init__(self, table: Table, space_after: float):
        super().__init__()
        self.table, self.spaceAfter = table, space_after

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.table.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight, force: bool = False):
        self.wrap(availWidth, availHeight)
        if self.height <= TEXT_HEIGHT_PT and not force and not _at_top(self):
            return []
        parts = self.table.split(availWidth, availHeight)
        if parts:
            parts[-1].spaceAfter = self.spaceAfter
        return parts

    def drawOn(self, canvas, x, y, _sW=0):
        self.table.drawOn(canvas, x, y, _sW)


class Closing(Flowable):
    """The signature block and the last lines before it (at least two of the last paragraph): never
    split, and never alone on a page."""

    def __init__(self, last: Flowable, tail: list[Flowable]):
        super().__init__()
        self.last, self.tail = last, tail

    def wrap(self, availWidth, availHeight):
        self._heights = [f.wrap(availWidth, availHeight)[1] for f in [self.last, *self.tail]]
        self.width, self.height = availWidth, sum(self._heights)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        top = _at_top(self)
        last = self.last
        if isinstance(last, GridParagraph):
            n = len(last.lines)
            k = min(last.lines_fitting(availHeight), n - 2 if n > 2 else 0)
            if k <= 0 and top:  # taller than a page: as much as fits
                k = min(last.lines_fitting(availHeight), n - 1)
            if k <= 0:
                return []
            first, rest = last.split_lines(k)
            return [first, Closing(rest, self.tail)]
        if not top and self.height <= TEXT_HEIGHT_PT:
            return []
        parts = _split(last, availWidth, availHeight, True)
        return [*parts[:-1], Closing(parts[-1], self.tail)] if parts else []

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        for f, h in zip([self.last, *self.tail], self._heights):
            top -= h
            f.drawOn(canvas, x, top)


def _at_top(flowable) -> bool:
    frame = getattr(flowable, "_frame", None)
    return bool(getattr(frame, "_atTop", False))


def _split(f: Flowable, width: float, height: float, force: bool) -> list:
    f.wrap(width, height)
    if isinstance(f, Unbroken):
        return f.split(width, height, force)
    if isinstance(f, (KeepWithNext, Closing)):
        f._frame = _Top() if force else None
    return f.split(width, height)


class _Top:
    _atTop = True


def _table(block: Block, doc: Document, f: FontSet) -> Unbroken:
    table = block.table
    size = TABLE_PT
    cell = Style(size=size, leading=CELL_LINE_PT, align="center", squeeze=size)
    label = Style(size=size, leading=CELL_LINE_PT, align="left", squeeze=size)
    data = [["" for _ in range(table.cols)] for _ in range(table.rows)]
    left, right, top, bottom = CELL_PADDING_PT
    commands = [("FONTNAME", (0, 0), (-1, -1), f.names["table"]),  # else reportlab sets Helvetica for empty cells
                ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), left), ("RIGHTPADDING", (0, 0), (-1, -1), right),
                ("TOPPADDING", (0, 0), (-1, -1), top), ("BOTTOMPADDING", (0, 0), (-1, -1), bottom)]
    for p in table.places:
        if p.cell:
            text, style, role = doc.cell_text(p.cell), cell, "table"
        else:
            text = "\u3000" * p.indent + (p.text or "")
            head = p.role in ("head", "block", "heading")
            style = cell if head or p.role == "note" else label
            role = "h1" if head else "table"
        data[p.r][p.c] = GridParagraph(f.atoms(text, role, size), style)
        if p.rs > 1 or p.cs > 1:
            commands.append(("SPAN", (p.c, p.r), (p.c + p.cs - 1, p.r + p.rs - 1)))
    scale = TEXT_WIDTH / sum(table.widths)
    grid = Table(data, colWidths=[w * scale for w in table.widths], repeatRows=table.header_rows,
                 style=TableStyle(commands), hAlign="CENTER")
    return Unbroken(grid, LINE_PITCH_PT / 2)


def _paragraph(f: FontSet, text: str, role: str, style: Style, lead: str = "") -> GridParagraph:
    items = f.atoms(lead, "h2", style.size, style.spacing) if lead else []
    return GridParagraph(items + f.atoms(text, role, style.size, style.spacing), style)


def _closing(doc: Document, f: FontSet, name: str, day: str) -> list[Flowable]:
    """The organ's name and the date, each right-aligned at its distance from the right edge."""
    base = dict(size=BODY_PT, leading=LINE_PITCH_PT, spacing=SPACING, align="right")
    widths = [sum(a.width for a in f.atoms(t, "body", BODY_PT, SPACING)) for t in (name, day)]
    name_right, date_right = closing_offsets(*widths)
    return [_paragraph(f, name, "body", Style(**base, right_indent=name_right, space_before=LINE_PITCH_PT)),
            _paragraph(f, day, "body", Style(**base, right_indent=date_right))]


def _flowables(doc: Document, f: FontSet) -> list:
    styles = _styles()
    out: list = []
    closing_at = None
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        kind = block.kind
        if kind == "page_break":
            out.append(PageBreak())
        elif kind == "table":
            out.append(_table(block, doc, f))
        elif kind == "closing":
            day = blocks[i + 1].text if i + 1 < len(blocks) and blocks[i + 1].kind == "date" else ""
            closing_at = len(out)
            out += _closing(doc, f, block.text, day)
        elif kind == "date":
            continue  # set with the closing
        else:
            para = _paragraph(f, block.text, ROLES.get(kind, "body"), styles.get(kind, styles["body"]), block.lead)
            para.bookmark, para.kind = block.bookmark, kind
            para.head = kind in ("h1", "h2", "annex_label", "annex_title")
            out.append(para)
    if closing_at is not None and closing_at > 0:  # the body's last lines (and the 附件 line) with the name
        start = closing_at - 1
        if start > 0 and getattr(out[start], "kind", "") == "attachment":
            start -= 1
        group = Closing(out[start], out[start + 1:closing_at + 2])
        out[start:closing_at + 2] = [group]
    folded: list = []  # each heading with what follows it
    for flowable in reversed(out):
        if getattr(flowable, "head", False) and folded and not isinstance(folded[-1], PageBreak):
            folded[-1] = KeepWithNext(flowable, folded[-1])
        else:
            folded.append(flowable)
    return folded[::-1]


def bookmarks(flowable) -> list[str]:
    """The outline entries a flowable starts, in order."""
    if isinstance(flowable, KeepWithNext):
        return bookmarks(flowable.head) + bookmarks(flowable.body)
    if isinstance(flowable, Closing):
        return bookmarks(flowable.last)
    mark = getattr(flowable, "bookmark", "")
    return [mark] if mark and getattr(flowable, "first", False) else []


class _Template(BaseDocTemplate):
    def __init__(self, target, doc: Document, f: FontSet, **kw):
        super().__init__(str(target), pagesize=PAGE, leftMargin=LEFT_MM * MM, rightMargin=RIGHT_MM * MM,
                         topMargin=TOP_MM * MM, bottomMargin=BOTTOM_MM * MM, title=doc.title, author=doc.organ,
                         subject="政府信息公开工作年度报告", creator="giapp",
                         # the canvas starts with an embedded font, not reportlab's Helvetica
                         initialFontName=f.names["body"], initialFontSize=BODY_PT, **kw)
        self.report_doc, self.fonts, self._marks = doc, f, 0
        frame = Frame(LEFT_MM * MM, BOTTOM_MM * MM, TEXT_WIDTH, TEXT_HEIGHT_PT, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def afterFlowable(self, flowable):
        for mark in bookmarks(flowable):
            self._marks += 1
            key = f"s{self._marks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(mark, key, level=0, closed=False)

    def _decorate(self, canvas, _doc):
        """Page number "— N —": odd pages right, even pages left, one character in; a signed report's
        verification code under it in small print (no names); 草稿 on drafts."""
        f = self.fonts
        number = canvas.getPageNumber()
        text = f"— {number} —"
        canvas.saveState()
        canvas.setFont(f.names["page"], PAGE_NUMBER_PT)
        y = (BOTTOM_MM - PAGE_NUMBER_GAP_MM) * MM - PAGE_NUMBER_PT
        if number % 2:
            canvas.drawRightString(LEFT_MM * MM + TEXT_WIDTH - PAGE_NUMBER_PT, y, text)
        else:
            canvas.drawString(LEFT_MM * MM + PAGE_NUMBER_PT, y, text)
        if self.report_doc.code_line and not self.report_doc.draft:  # small print under the page number
            canvas.setFont(f.names["table"], CODE_PT)
            canvas.setFillColorRGB(0.25, 0.25, 0.25)
            canvas.drawCentredString(LEFT_MM * MM + TEXT_WIDTH / 2, y - CODE_PT * 1.6, self.report_doc.code_line)
        if self.report_doc.draft:
            canvas.setFont(f.names["h1"], 96)
            canvas.setFillColorRGB(0.85, 0.85, 0.85)
            canvas.translate(PAGE[0] / 2, PAGE[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, -30, "草稿")
            canvas.rotate(-35)
            canvas.translate(-PAGE[0] / 2, -PAGE[1] / 2)
            canvas.setFillColorRGB(0.75, 0.1, 0.1)
            canvas.setFont(f.names["h1"], PAGE_NUMBER_PT)
            canvas.drawRightString(LEFT_MM * MM + TEXT_WIDTH, PAGE[1] - (TOP_MM - 12) * MM, "草稿")
        canvas.restoreState()


def write_pdf(report: Report, target, today: date | None = None) -> Path:
    """Write the report as PDF to target; returns the path."""
    target = Path(target)
    doc = build(report, today)
    f = FontSet()
    _Template(target, doc, f).build(_flowables(doc, f))
    return target
