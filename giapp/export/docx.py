"""The Word report (python-docx), in the paper layout of GB/T 9704; fonts named by role so that
Word and WPS use the offices' fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体)."""

from datetime import date
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..report import Report
from .blocks import Block, Document, build
from .ooxml import put_parts_in_order
from .paper import (BODY_CONDENSE_TWIPS, BODY_PT, BOTTOM_MM, CELL_LINE_PT, CELL_PADDING_PT, GRID_CHAR_SPACE,
                    LEFT_MM, LINE_PITCH_PT, LINE_PITCH_TWIPS, PAGE_HEIGHT_MM, PAGE_NUMBER_GAP_MM, PAGE_NUMBER_PT,
                    PAGE_WIDTH_MM, RIGHT_MM, SIZES, TABLE_PT, TEXT_HEIGHT_PT, TEXT_WIDTH_PT, TITLE_PT, TOP_MM,
                    WIDE_TABLE_COLS, WIDE_TABLE_PT, WORD_FONTS, closing_offsets)



def set_font(target, role: str, size: float, bold: bool = False) -> None:
    """East-Asian font by role, Arabic numerals and Latin in Times New Roman (a run or a style)."""
    target.font.size = Pt(size)
    target.font.bold = bold
    latin = WORD_FONTS["latin"] if role != "page" else WORD_FONTS[role]  # numbers in one face, tables too
    target.font.name = latin
    element = target.element if hasattr(target, "element") else target._element
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), WORD_FONTS[role])
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


# Paragraph styles by block kind: (role, size, first-line indent, alignment, line pitch)
STYLES = {
    "title": ("title", TITLE_PT, False, WD_ALIGN_PARAGRAPH.CENTER, TITLE_PT * 1.5),
    "body": ("body", BODY_PT, True, WD_ALIGN_PARAGRAPH.JUSTIFY, LINE_PITCH_PT),
    "h1": ("h1", BODY_PT, True, WD_ALIGN_PARAGRAPH.JUSTIFY, LINE_PITCH_PT),
    "h2": ("h2", BODY_PT, True, WD_ALIGN_PARAGRAPH.JUSTIFY, LINE_PITCH_PT),
    "plain": ("body", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, LINE_PITCH_PT),
    "label": ("h1", BODY_PT, False, WD_ALIGN_PARAGRAPH.LEFT, LINE_PITCH_PT),
    "cell": ("table", TABLE_PT, False, WD_ALIGN_PARAGRAPH.CENTER, CELL_LINE_PT),
    "cell-head": ("h1", TABLE_PT, False, WD_ALIGN_PARAGRAPH.CENTER, CELL_LINE_PT),
    "cell-label": ("table", TABLE_PT, False, WD_ALIGN_PARAGRAPH.LEFT, CELL_LINE_PT),
    "wide": ("table", WIDE_TABLE_PT, False, WD_ALIGN_PARAGRAPH.CENTER, CELL_LINE_PT),
    "wide-head": ("h1", WIDE_TABLE_PT, False, WD_ALIGN_PARAGRAPH.CENTER, CELL_LINE_PT),
    "wide-label": ("table", WIDE_TABLE_PT, False, WD_ALIGN_PARAGRAPH.LEFT, CELL_LINE_PT),
}
STYLE_NAMES = {kind: f"年报-{kind}" for kind in STYLES}


def _styles(word) -> None:
    """Named styles (年报-正文 …): small files, and clerks can adjust them in Word."""
    from docx.enum.style import WD_STYLE_TYPE

    for kind, (role, size, indent, align, pitch) in STYLES.items():
        style = word.styles.add_style(STYLE_NAMES[kind], WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = word.styles["Normal"]
        set_font(style, role, size)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before = fmt.space_after = Pt(0)
        if pitch:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(pitch)
        if indent:  # two characters: on a grid, the first line's text starts on the columns of the next
            fmt.first_line_indent = Pt(2 * _width("字"))
        if kind in ("h1", "h2", "label"):
            fmt.keep_with_next = True  # a heading never ends a page
        _off_grid(style.element.get_or_add_pPr())
        if pitch == LINE_PITCH_PT:
            _condense(style.element.get_or_add_rPr())
        if pitch:
            for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space around figures, as in the PDF
                off = OxmlElement(name)
                off.set(qn("w:val"), "0")
                _insert_ppr(style.element.get_or_add_pPr(), off)
    lead = word.styles.add_style("年报-楷体", WD_STYLE_TYPE.CHARACTER)
    set_font(lead, "h2", BODY_PT)
    _condense(lead.element.get_or_add_rPr())


RPR_AFTER_SPACING = ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                     "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def _condense(rpr) -> None:
    """三号 text condensed by 0.3 pt: 15.7 pt a character, 28 characters in the 156 mm line, in Word
    and in LibreOffice alike (paper.BODY_CONDENSE_TWIPS)."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(BODY_CONDENSE_TWIPS))
    for child in rpr:
        if child.tag.split("}")[1] in RPR_AFTER_SPACING:
            child.addprevious(spacing)
            return
    rpr.append(spacing)


PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


PPR_RANK = {qn(f"w:{name}"): i for i, name in enumerate(PPR_ORDER)}


def _off_grid(ppr) -> None:
    """A paragraph set by its own exact line pitch and condensed characters, not by the document grid.

    LibreOffice (7.4) gives every character larger than the grid's character pitch two cells: on the
    GB/T 9704 grid (15.79 pt for 16 pt type) it sets 14 characters a line. So our paragraphs, tables,
    headers and footers keep off the grid in both programs and set 22 × 28 themselves (exact 28.95 pt
    lines, characters condensed to 15.7 pt); the grid, with its line and character pitch, is the
    section's page setup that Word shows and applies to text typed in the Normal style."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _insert_ppr(ppr, snap)


def _no_hanging_punctuation(word) -> None:
    """w:overflowPunct on, in the document's defaults, so that LibreOffice keeps every punctuation mark.

    LibreOffice (7.4) reads the element the other way round from Word: on = no hanging; off or absent =
    hanging punctuation. Where it hangs a mark at the end of a full justified line it often loses it
    (the demo's "开展以来，我镇" came out as "开展以来我镇"); with the element on, it takes a character down
    with the mark (its 禁则) and loses nothing. For Word "on" is its default (a closing mark at the
    end of a full line may stand just past the margin, as in any Word document), so Word is unchanged;
    "off" would make LibreOffice hang and lose marks again. No value keeps marks inside in both."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    punct = OxmlElement("w:overflowPunct")
    punct.set(qn("w:val"), "1")
    _insert_ppr(ppr, punct)


def _insert_ppr(ppr, element) -> None:
    """Put a paragraph property in its place in the schema's sequence (Word may repair a file otherwise)."""
    rank = PPR_RANK[element.tag]
    for i, child in enumerate(ppr):
        if PPR_RANK.get(child.tag, -1) > rank:
            ppr.insert(i, element)
            return
    ppr.append(element)


def _outline(paragraph, level: int) -> None:
    """Make the paragraph an entry of Word's navigation pane without changing its look."""
    ppr = paragraph._p.get_or_add_pPr()
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), str(level))
    ppr.append(lvl)


def _style_id(word, name: str) -> str:
    ids = word.__dict__.setdefault("_giapp_style_ids", {})
    if name not in ids:
        ids[name] = word.styles[name].style_id
    return ids[name]


def _paragraph(word, text: str, kind: str = "body", lead: str = ""):
    """A paragraph in its style; `lead` is a run-in heading set in 楷体 before the text."""
    p = word.add_paragraph()
    p._p.get_or_add_pPr().style = _style_id(word, STYLE_NAMES[kind])
    if lead:
        p.add_run(lead)._r.get_or_add_rPr().style = _style_id(word, "年报-楷体")
    for i, line in enumerate(text.split("\n")):
        run = p.add_run(line)
        if i < text.count("\n"):
            run.add_break()
    return p


def _field(paragraph, instruction: str, role: str, size: float) -> None:
    """A field such as PAGE, as Word computes it when the page is laid out."""
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, end):
        run = paragraph.add_run()
        set_font(run, role, size)
        run._r.append(element)


CODE_PT = SIZES["小五"]  # the verification code, in small print under the page number
WATERMARK = """<w:r {ns}><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136" fillcolor="#d9d9d9" stroked="f"
 style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:325;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin">
<v:fill opacity=".6"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="草稿"/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def _watermark(paragraph, n: int) -> None:
    """草稿 across the middle of the page, behind the text: Word's own kind of watermark (a WordArt
    shape in the header), which Word, WPS and LibreOffice show and print on every page."""
    from docx.oxml import parse_xml

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:w10="urn:schemas-microsoft-com:office:word"')
    paragraph._p.append(parse_xml(WATERMARK.format(ns=ns, n=n, spid=2049 + n, font=WORD_FONTS["h1"])))


def _page_numbers(section, draft: bool, code_line: str = "") -> None:
    """— N — in 宋体 四号: odd pages right, even pages left, one character in. A signed report has
    its verification code under it in small print (no names); a draft has 草稿 at the top right
    of every page and as a watermark."""
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        if odd:
            p.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
        set_font(p.add_run("— "), "page", PAGE_NUMBER_PT)
        _field(p, "PAGE", "page", PAGE_NUMBER_PT)
        set_font(p.add_run(" —"), "page", PAGE_NUMBER_PT)
        if code_line and not draft:
            line = footer.add_paragraph()
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            line.paragraph_format.line_spacing = Pt(CODE_PT * 1.3)
            line.paragraph_format.space_before = line.paragraph_format.space_after = Pt(0)
            run = line.add_run(code_line)
            set_font(run, "table", CODE_PT)
            run.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    if draft:
        for n, header in enumerate((section.header, section.even_page_header), 1):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run("草稿")
            set_font(run, "h1", PAGE_NUMBER_PT, bold=True)
            run.font.color.rgb = RGBColor(0xB0, 0x1C, 0x1C)
            _watermark(p, n)
    for part in (section.footer, section.even_page_footer, section.header, section.even_page_header):
        for p in part.paragraphs:  # 四号 and 小五 lines, off the 三号 grid
            _off_grid(p._p.get_or_add_pPr())


def _table(word, block: Block, doc: Document) -> None:
    table = block.table
    base = "wide" if table.cols > WIDE_TABLE_COLS else "cell"  # both 小五
    styles = {k: word.styles[STYLE_NAMES[k]].style_id for k in (base, f"{base}-head", f"{base}-label")}
    grid = word.add_table(rows=table.rows, cols=table.cols)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    scale = TEXT_WIDTH_PT / sum(table.widths)
    widths = [Pt(w * scale) for w in table.widths]
    for column, width in zip(grid.columns, widths):  # the table grid, which LibreOffice and WPS follow
        column.width = width
    tblpr = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")  # fixed: the grid's widths hold, whatever the text
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")  # a little room above and below the text of each cell
    left, right, top, bottom = CELL_PADDING_PT
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(round(value * 20)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    look = tblpr.find(qn("w:tblLook"))
    for element in (layout, margins):
        if look is not None:
            look.addprevious(element)
        else:
            tblpr.append(element)
    cells = grid._cells  # once: python-docx recomputes the whole grid at every table.cell()
    for r, row in enumerate(grid.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))  # a row does not break across pages
        if r < table.header_rows:  # header rows repeat on every page
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            trpr.append(header)
    merges = []
    for place in table.places:
        cell = cells[place.r * table.cols + place.c]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        if place.cell:
            text, kind = doc.cell_text(place.cell), base
        else:
            text = "\u3000" * place.indent + (place.text or "")
            kind = (f"{base}-head" if place.role in ("head", "block", "heading")
                    else base if place.role == "note" else f"{base}-label")
        _styled_text(p, styles[kind], text)
        if place.rs > 1 or place.cs > 1:
            merges.append(place)
    for place in merges:  # the regions are disjoint: merging one leaves the others' cells valid
        _merge(cells, table.cols, place)
    _cell_widths(grid._tbl)
    if _estimated_height(table, [w * scale for w in table.widths], doc) <= TEXT_HEIGHT_PT:
        _keep_rows_together(grid._tbl)  # a longer table breaks where it must, its title kept with it


def _styled_text(p, style_id: str, text: str) -> None:
    """A table cell's paragraph: its style (by id) and its text in one run, written as python-docx
    would write them, without its object model (a table has hundreds of cells)."""
    if "\n" in text or "\t" in text:  # line breaks and tabs: python-docx's run text makes them
        p._p.get_or_add_pPr().style = style_id
        p.add_run(text)
        return
    ppr, style, run, t = (OxmlElement(tag) for tag in ("w:pPr", "w:pStyle", "w:r", "w:t"))
    style.set(qn("w:val"), style_id)
    ppr.append(style)
    p._p.insert(0, ppr)
    if text:
        t.text = text
        if text != text.strip():
            t.set(qn("xml:space"), "preserve")
        run.append(t)
    p._p.append(run)


def _merge(cells, cols: int, place) -> None:
    """Merge the place's region of a table as Word does (gridSpan across, vMerge down), as python-docx's
    Cell.merge does for an empty region but without recomputing the whole table's grid each time."""
    for r in range(place.r, place.r + place.rs):
        first = cells[r * cols + place.c]._tc
        for c in range(place.c + 1, place.c + place.cs):
            tc = cells[r * cols + c]._tc
            tc.getparent().remove(tc)
        tcpr = first.get_or_add_tcPr()
        if place.cs > 1:
            tcpr.grid_span = place.cs
        if place.rs > 1:
            tcpr.vMerge_val = "restart" if r == place.r else "continue"


def _estimated_height(table, widths: list[float], doc: Document) -> float:
    """The table's height in points, as its cells' text wraps (an estimate: each character an em)."""
    left, right, top, bottom = CELL_PADDING_PT
    rows = [1] * table.rows
    for place in table.places:
        if place.rs > 1:
            continue
        text = doc.cell_text(place.cell) if place.cell else "\u3000" * place.indent + (place.text or "")
        width = sum(widths[place.c:place.c + place.cs]) - left - right
        ems = sum(0.5 if ch.isascii() else 1 for ch in text)
        rows[place.r] = max(rows[place.r], -(-ems * TABLE_PT // max(width, TABLE_PT)))
    return sum(n * CELL_LINE_PT + top + bottom for n in rows)


TC, TCPR, TCW, SPAN, VAL, WIDTH, TYPE = (qn(t) for t in ("w:tc", "w:tcPr", "w:tcW", "w:gridSpan", "w:val", "w:w",
                                                         "w:type"))


def _cell_widths(tbl) -> None:
    """Each cell's width (w:tcW) is the sum of the grid columns it spans, so that Word and LibreOffice
    lay the table out alike. (lxml directly: python-docx inserts children slowly.)"""
    cols = [int(c.get(WIDTH)) for c in tbl.tblGrid.iter(qn("w:gridCol"))]
    for tr in tbl.tr_lst:
        at = 0
        for tc in tr.iterchildren(TC):
            tcpr = tc.find(TCPR)
            if tcpr is None:
                tcpr = tc.get_or_add_tcPr()
            span = tcpr.find(SPAN)
            n = int(span.get(VAL)) if span is not None else 1
            width = tcpr.find(TCW)
            if width is None:
                width = tcpr.get_or_add_tcW()
            width.set(WIDTH, str(sum(cols[at:at + n])))
            width.set(TYPE, "dxa")
            at += n


def _keep_rows_together(tbl) -> None:
    """Every row but the last kept with the next, so that Word keeps a table that fits on a page whole."""
    ppr_tag = qn("w:pPr")
    for tr in tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            ppr = p.find(ppr_tag)
            if ppr is None:
                ppr = OxmlElement("w:pPr")
                p.insert(0, ppr)
            _insert_ppr(ppr, OxmlElement("w:keepNext"))


def write_docx(report: Report, target, today: date | None = None) -> Path:
    target = Path(target)
    doc = build(report, today)
    word = WordDocument()
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(BOTTOM_MM - PAGE_NUMBER_GAP_MM) - Pt(PAGE_NUMBER_PT * 1.3)
    if doc.code_line and not doc.draft:  # the code's line goes below, the page number stays put
        section.footer_distance -= Pt(CODE_PT * 1.3)
    normal = word.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = WORD_FONTS["latin"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), WORD_FONTS["body"])
    _east_asian_language(word)
    _no_hanging_punctuation(word)
    word.core_properties.title = doc.title
    word.core_properties.author = doc.organ
    word.core_properties.subject = "政府信息公开工作年度报告"
    _styles(word)
    _page_numbers(section, doc.draft, doc.code_line)
    _grid(section)
    first_paragraph = word.paragraphs[0] if word.paragraphs else None
    date_right = 0.0
    before_closing = []  # the last body paragraph and the 附件 line: kept with the signature block
    for i, block in enumerate(doc.blocks):
        kind = block.kind
        if kind == "title":
            _paragraph(word, block.text, "title").paragraph_format.space_after = Pt(LINE_PITCH_PT)
        elif kind in ("body", "attachment"):
            p = _paragraph(word, block.text, "body", lead=block.lead)
            if kind == "attachment":
                p.paragraph_format.space_before = Pt(LINE_PITCH_PT)
                before_closing.append(p)
            else:
                before_closing = [p]
        elif kind in ("h1", "h2"):
            p = _paragraph(word, block.text, kind)
            before_closing = [p]
            if kind == "h1":
                _outline(p, 0)
        elif kind == "table":
            _table(word, block, doc)
            _paragraph(word, "", "plain").paragraph_format.line_spacing = Pt(LINE_PITCH_PT / 2)
            before_closing = []
        elif kind == "closing":
            # right-aligned with a right indent: an edited name keeps its place (GB/T 9704 §7.3.5.2)
            blank = _paragraph(word, "", "plain")
            day = doc.blocks[i + 1].text if i + 1 < len(doc.blocks) else ""
            name_right, date_right = closing_offsets(_width(block.text), _width(day), _width("字"))
            name = _paragraph(word, block.text, "plain")
            name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            name.paragraph_format.right_indent = Pt(name_right)
            for p in (*before_closing, blank, name):  # never split, never alone: the body's last lines go along
                p.paragraph_format.keep_with_next = True
        elif kind == "date":
            p = _paragraph(word, block.text, "plain")
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(date_right)
        elif kind == "page_break":
            _paragraph(word, "", "plain").runs[0].add_break(WD_BREAK.PAGE)
        elif kind == "annex_label":
            _paragraph(word, block.text, "label")
        elif kind == "annex_title":
            p = _paragraph(word, block.text, "title")
            p.paragraph_format.keep_with_next = True
            _outline(p, 0)
    if first_paragraph is not None and not first_paragraph.text:
        first_paragraph._p.getparent().remove(first_paragraph._p)
    put_parts_in_order(word)
    word.save(str(target))
    return target


def _east_asian_language(word) -> None:
    """Chinese (zh-CN) as the document's default East-Asian language: spelling, line breaking and
    punctuation rules in Word and WPS follow it."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _width(text: str) -> float:
    """Width at 三号, condensed: Chinese characters 15.7 pt, Arabic numerals (Times New Roman) half an em."""
    condense = BODY_CONDENSE_TWIPS / 20
    return sum(BODY_PT / 2 + condense if ch.isascii() else BODY_PT + condense for ch in text)


def _grid(section) -> None:
    """The document grid of GB/T 9704, as Word's page setup shows it: 22 lines of 28 characters (type
    linesAndChars; line pitch 28.95 pt, character pitch 15.79 pt for the Normal style's 三号). Our own
    paragraphs keep off it and set the same 22 × 28 themselves (see _off_grid)."""
    sectpr = section._sectPr
    grid = sectpr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectpr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(GRID_CHAR_SPACE))


