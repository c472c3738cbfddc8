"""The PDF (reportlab): the published paper, and what is printed. Every font is embedded as a
subset; no built-in PDF font is ever used."""

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, PageBreak, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)

from ..report import Report
from . import fonts
from .blocks import Block, Document, build
from .paper import (BODY_PT, BOTTOM_MM, LEFT_MM, LINE_PITCH_PT, MM, PAGE_HEIGHT_MM, PAGE_NUMBER_GAP_MM,
                    PAGE_NUMBER_PT, PAGE_WIDTH_MM, RIGHT_MM, SIZES, TABLE_PT, TEXT_HEIGHT_MM, TEXT_WIDTH_PT, TITLE_PT, TOP_MM,
                    WIDE_TABLE_COLS, WIDE_TABLE_PT, closing_indents)

PAGE = (PAGE_WIDTH_MM * MM, PAGE_HEIGHT_MM * MM)
CODE_PT = SIZES["小五"]
TEXT_WIDTH = TEXT_WIDTH_PT
LATIN = set("0123456789")


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

    def markup(self, text: str, role: str) -> str:
        """Paragraph markup: runs the role's font lacks go to the fallback; digits to the Latin font."""
        main = self.names[role]
        latin = self.names.get("latin") if role in ("body", "title", "h1", "h2") else None
        out, run, run_font = [], [], main
        for ch in text:
            font = main
            if latin and ch in LATIN:
                font = latin
            elif ord(ch) not in self.covers[main] and not ch.isspace():
                font = self.names["fallback"]
            if font != run_font and run:
                out.append(self._run("".join(run), run_font, main))
                run = []
            run_font = font
            run.append(ch)
        if run:
            out.append(self._run("".join(run), run_font, main))
        return "".join(out)

    @staticmethod
    def _run(text: str, font: str, main: str) -> str:
        text = escape(text)
        return text if font == main else f'<font name="{font}">{text}</font>'


def _styles(f: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=f.names["body"], bulletFontName=f.names["body"], fontSize=BODY_PT,
                          leading=LINE_PITCH_PT, firstLineIndent=2 * BODY_PT, alignment=TA_JUSTIFY, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontName=f.names["title"], firstLineIndent=0, fontSize=TITLE_PT, leading=TITLE_PT * 1.5,
                                alignment=TA_CENTER, wordWrap="CJK", spaceAfter=LINE_PITCH_PT),
        "body": body,
        "h1": ParagraphStyle("h1", parent=body, fontName=f.names["h1"]),
        "h2": ParagraphStyle("h2", parent=body, fontName=f.names["h2"]),
        "attachment": ParagraphStyle("attachment", parent=body, spaceBefore=LINE_PITCH_PT),
        "closing": ParagraphStyle("closing", parent=body, firstLineIndent=0, alignment=TA_LEFT),
        "annex_label": ParagraphStyle("annex_label", parent=body, fontName=f.names["h1"], firstLineIndent=0),
        "annex_title": ParagraphStyle("annex_title", parent=body, fontName=f.names["title"], fontSize=TITLE_PT,
                                      leading=TITLE_PT * 1.5, alignment=TA_CENTER, firstLineIndent=0,
                                      spaceAfter=LINE_PITCH_PT / 2),
    }


def _table(block: Block, doc: Document, f: FontSet) -> Table:
    table = block.table
    size = WIDE_TABLE_PT if table.cols > WIDE_TABLE_COLS else TABLE_PT
    cell_style = ParagraphStyle("cell", fontName=f.names["table"], bulletFontName=f.names["table"], fontSize=size,
                                leading=size * 1.3, alignment=TA_CENTER, wordWrap="CJK")
    label_style = ParagraphStyle("label", parent=cell_style, alignment=TA_LEFT)
    head_style = ParagraphStyle("head", parent=cell_style, fontName=f.names["h1"])
    data = [["" for _ in range(table.cols)] for _ in range(table.rows)]
    commands = [("FONTNAME", (0, 0), (-1, -1), f.names["table"]),  # else reportlab sets Helvetica for empty cells
                ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    for p in table.places:
        if p.cell:
            text, style = doc.cell_text(p.cell), cell_style
        else:
            text = "\u3000" * p.indent + (p.text or "")
            style = head_style if p.role in ("head", "block", "heading") else (
                cell_style if p.role == "note" else label_style)
        role = "h1" if style is head_style else "table"
        data[p.r][p.c] = Paragraph(f.markup(text, role), style)
        if p.rs > 1 or p.cs > 1:
            commands.append(("SPAN", (p.c, p.r), (p.c + p.cs - 1, p.r + p.rs - 1)))
    scale = TEXT_WIDTH / sum(table.widths)
    return Table(data, colWidths=[w * scale for w in table.widths], repeatRows=table.header_rows,
                 style=TableStyle(commands), hAlign="CENTER")


def _flowables(doc: Document, f: FontSet) -> list:
    styles = _styles(f)
    out = []
    date_left = 0.0
    for i, block in enumerate(doc.blocks):
        if block.kind == "page_break":
            out.append(PageBreak())
            continue
        if block.kind == "table":
            out.append(_table(block, doc, f))
            out.append(Spacer(1, LINE_PITCH_PT / 2))
            continue
        if block.kind in ("closing", "date"):
            style = styles["closing"]
            if block.kind == "closing":  # the date follows the name
                day = doc.blocks[i + 1].text if i + 1 < len(doc.blocks) else ""
                name_left, date_left = closing_indents(*(pdfmetrics.stringWidth(t, style.fontName, style.fontSize)
                                                         for t in (block.text, day)))
                out.append(Spacer(1, LINE_PITCH_PT))
            left = name_left if block.kind == "closing" else date_left
            out.append(Paragraph(f.markup(block.text, "body"), ParagraphStyle(block.kind, parent=style, leftIndent=left)))
            continue
        text = block.text
        role = {"title": "title", "annex_title": "title", "h1": "h1", "annex_label": "h1", "h2": "h2"}.get(block.kind, "body")
        style = styles.get(block.kind, styles["body"])
        markup = f.markup(text, role).replace("\n", "<br/>")
        if block.lead:
            markup = f'<font name="{f.names["h2"]}">{f.markup(block.lead, "h2")}</font>{markup}'
        para = Paragraph(markup, style)
        if block.kind in ("h1", "h2"):  # no heading alone at the foot of a page: 3 lines must follow it
            out.append(CondPageBreak(4 * LINE_PITCH_PT))
        if block.bookmark:
            para._bookmark = block.bookmark
        out.append(para)
    return out


class _Template(BaseDocTemplate):
    def __init__(self, target, doc: Document, f: FontSet, **kw):
        super().__init__(str(target), pagesize=PAGE, leftMargin=LEFT_MM * MM, rightMargin=RIGHT_MM * MM,
                         topMargin=TOP_MM * MM, bottomMargin=BOTTOM_MM * MM, title=doc.title, author=doc.organ,
                         subject="政府信息公开工作年度报告", creator="giapp",
                         # the canvas starts with an embedded font, not reportlab's Helvetica
                         initialFontName=f.names["body"], initialFontSize=BODY_PT, **kw)
        self.report_doc, self.fonts, self._marks = doc, f, 0
        frame = Frame(LEFT_MM * MM, BOTTOM_MM * MM, TEXT_WIDTH, TEXT_HEIGHT_MM * MM, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def afterFlowable(self, flowable):
        mark = getattr(flowable, "_bookmark", None)
        if mark:
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
