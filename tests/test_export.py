"""Word, PDF and Excel written from real reports and read back by other programs: python-docx,
poppler (pdftotext, pdffonts, pdfinfo), pypdfium2, openpyxl, and LibreOffice headless."""

import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from giapp.errors import GiappError
from giapp.export import write
from giapp.export.fonts import resolve_all
from giapp.export.pdf import FontSet
from giapp.export.xlsx import DATA_SHEET
from giapp.form import load_form
from giapp.report import Report
from giapp.values import format_value

DAY = date(2026, 1, 23)


@pytest.fixture
def real(real_json, demo_json) -> Report:
    report = Report.from_json(real_json)
    report.annex = "annex-stats"  # the annex too, with the example's figures
    example = Report.from_json(demo_json).values
    report.values.update({k: v for k, v in example.items() if k.startswith("a.")})
    return report


@pytest.fixture
def demo(demo_json) -> Report:
    return Report.from_json(demo_json)


def run(*cmd, timeout=240) -> str:
    result = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


def pdf_text(path: Path, first: int | None = None, mode: str = "-layout") -> str:
    args = ["pdftotext", mode] + (["-f", first, "-l", first] if first else []) + [path, "-"]
    return run(*args)


def pdffonts(path: Path) -> list[list[str]]:
    lines = run("pdffonts", path).splitlines()[2:]
    return [line.split() for line in lines]


def font(paragraph, run: int = 0) -> str | None:
    """The East-Asian font a run is set in: its own, its character style's, else its paragraph style's."""
    r = paragraph.runs[run] if paragraph.runs else None
    for element in (r._element.rPr if r is not None else None, r.style.element.rPr if r is not None and r.style.type == 2 else None,
                    paragraph.style.element.rPr):
        fonts = element.rFonts if element is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    return None


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- Word


def test_word_layout_fonts_and_text(real, folder):
    path = write("docx", real, folder / "沭阳 2025 报告.docx", DAY)
    word = WordDocument(str(path))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "沭阳县人民政府\n2025年政府信息公开工作年度报告"  # broken after the organ's name
    assert texts[1].startswith("本报告由沭阳县人民政府按照《中华人民共和国政府信息公开条例》")
    headings = [t for t in texts if re.match(r"^[一二三四五六]、", t)]
    assert headings == [s["heading"] for s in load_form("gov-info-2021").sections]
    fonts = {p.text: font(p) for p in word.paragraphs}
    assert fonts["一、总体情况"] == "黑体"
    assert fonts[texts[1]] == "仿宋_GB2312"
    assert fonts[texts[0]] == "方正小标宋简体" and word.paragraphs[0].style.font.size.pt == 22
    body = word.paragraphs[1].style.paragraph_format
    # two characters of 三号 condensed to 15.7 pt: the first line's characters stand over those of the next
    assert round(body.line_spacing.pt) == 29 and body.first_line_indent.pt == pytest.approx(2 * 15.7)
    assert word.paragraphs[1].style.element.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
    lead = next(p for p in word.paragraphs if re.match(r"^（[一二三四五六七八九十]）", p.text) and len(p.runs) > 1)
    assert font(lead, 0) == "楷体_GB2312" and font(lead, 1) == "仿宋_GB2312"  # a run-in heading
    # the closing: organ and date
    assert texts[-1] != "2026年1月23日" and "2026年1月23日" in texts and "附件：政府信息公开情况统计表" in texts
    assert texts.index("沭阳县人民政府") == texts.index("2026年1月23日") - 1
    # the annex on a new page, with its label
    label = texts.index("附件")
    assert any(br.get(qn("w:type")) == "page" for br in word.paragraphs[label - 1]._p.iter(qn("w:br")))


@pytest.mark.needs_linux_tools
def test_an_empty_item_is_never_printed_as_a_bare_heading(real, folder):
    real.settings["s6_items"] = ["s6.1", "s6.2", "s6.4"]  # switched on; only （四） has a text
    real.texts["s6.4"] = "开设政务公开体验区。"
    titles = {i["id"]: i["title"] for i in load_form("gov-info-2021").section("s6")["items"]}
    word = [p.text for p in WordDocument(str(write("docx", real, folder / "空项.docx", DAY))).paragraphs]
    pdf = squash(pdf_text(write("pdf", real, folder / "空项.pdf", DAY)))
    for printed in (word, pdf):
        assert (titles["s6.4"] in printed) and ("开设政务公开体验区。" in printed or "开设政务公开体验区。" in "".join(printed))
        assert not any(titles[i] in printed for i in ("s6.1", "s6.2", "s6.3"))


def test_word_tables_merged_like_the_official_ones(real, folder):
    word = WordDocument(str(write("docx", real, folder / "r.docx", DAY)))
    assert len(word.tables) == 4
    s2, s3, s4, annex = word.tables
    assert s3.cell(0, 0)._tc is s3.cell(2, 2)._tc  # the note: 3 rows × 3 columns
    assert s3.cell(0, 0).text.startswith("（本列数据的勾稽关系为")
    assert s3.cell(1, 4)._tc is s3.cell(1, 8)._tc and s3.cell(1, 4).text == "法人或其他组织"
    assert s3.cell(5, 0)._tc is s3.cell(26, 0)._tc and s3.cell(5, 0).text == "三、本年度办理结果"
    assert [s3.cell(3, c).text for c in range(3, 10)] == ["705", "3", "0", "0", "5", "0", "713"]
    assert s4.cell(0, 5)._tc is s4.cell(0, 14)._tc and s4.cell(0, 5).text == "行政诉讼"
    assert [s4.cell(3, c).text for c in range(5)] == ["27", "10", "9", "15", "61"]
    assert s2.cell(13, 1).text == format_value(real.values["s2.fees"])
    for table, header_rows in ((s3, 3), (s4, 3), (annex, 1)):
        flags = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert flags[:header_rows] == [True] * header_rows and not any(flags[header_rows:])
    cell = s3.cell(3, 3).paragraphs[0]
    assert font(cell) == "宋体" and cell.style.font.size.pt == 9
    assert font(s3.cell(1, 3).paragraphs[0]) == "黑体"
    assert s3._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_word_page_numbers_and_draft_mark(demo, folder):
    word = WordDocument(str(write("docx", demo, folder / "d.docx", DAY)))
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.text == "—  —" and align in str(p.alignment).lower()
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
    assert section.header.paragraphs[0].text == "草稿" and section.even_page_header.paragraphs[0].text == "草稿"
    for header in (section.header, section.even_page_header):  # and a watermark across every page
        shapes = header._element.findall(".//{urn:schemas-microsoft-com:vml}textpath[@string]")
        assert [t.get("string") for t in shapes] == ["草稿"]
    assert not any("校验码" in p.text for f in (section.footer, section.even_page_footer) for p in f.paragraphs)


NAMES = ("张三", "李四", "王五")


def sign(report: Report) -> str:
    """Signed as the store signs; returns the verification code."""
    from giapp.signoff import code, signoff_fingerprint

    people = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
    report.status, report.signoff = "signed", {**people, "fingerprint": signoff_fingerprint(report, people)}
    return code(report.signoff["fingerprint"])


def docx_xml(path: Path) -> dict[str, str]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")}


@pytest.mark.needs_linux_tools
@pytest.mark.parametrize("organ", ["沭阳县人民政府", "江苏省宿迁市沭阳县沭城街道办事处社会事业和公共服务局（政务公开办）"])
def test_signed_report_has_no_draft_mark_its_date_and_only_its_code(organ, real, folder):
    real.organ.name = organ
    the_code = sign(real)
    path = write("docx", real, folder / "s.docx", DAY)
    word = WordDocument(str(path))
    section = word.sections[0]
    assert not "".join(p.text for h in (section.header, section.even_page_header) for p in h.paragraphs)
    for footer in (section.footer, section.even_page_footer):  # under the page number, in small print
        number, code_line = footer.paragraphs
        assert "PAGE" in "".join(t.text for t in number._p.iter(qn("w:instrText")))
        assert code_line.text == f"校验码：{the_code}" and code_line.runs[0].font.size.pt <= 9
    assert "2026年1月20日" in [p.text for p in word.paragraphs]
    xml = "".join(docx_xml(path).values())  # no staff names anywhere in the file, nor a watermark
    assert not any(name in xml for name in NAMES) and "PowerPlusWaterMarkObject" not in xml
    pdf = write("pdf", real, folder / "s.pdf", DAY)
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    for n in range(1, pages + 1):
        text = pdf_text(pdf, n)
        assert "草稿" not in text and not any(name in text for name in NAMES), n
        assert f"校验码：{the_code}" in text.split(f"— {n} —")[-1], n  # below the page number
    pdfium = pypdfium2.PdfDocument(str(pdf))
    page = pdfium[0].get_textpage()
    found = page.search("校验码").get_next()
    assert page.get_charbox(found[0])[1] < 20 * 72 / 25.4  # in the footer, about 18 mm from the edge
    pdfium.close()
    xlsx = write("xlsx", real, folder / "s.xlsx", DAY)
    book = openpyxl.load_workbook(xlsx)
    for ws in book.worksheets:  # the hidden data sheet is never printed
        if ws.sheet_state == "visible":
            assert "草稿" not in str(ws.oddHeader) and f"校验码：{the_code}" in str(ws.oddFooter), ws.title
        cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        assert not any(name in v for v in cells for name in NAMES), ws.title


@pytest.mark.needs_linux_tools
def test_drafts_say_so_on_every_page_and_carry_no_code(demo, folder):
    xlsx = openpyxl.load_workbook(write("xlsx", demo, folder / "d.xlsx", DAY))
    for ws in xlsx.worksheets:
        if ws.sheet_state == "visible":
            assert "草稿" in str(ws.oddHeader) and "校验码" not in str(ws.oddFooter), ws.title
    pdf = write("pdf", demo, folder / "d.pdf", DAY)
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    assert all("草稿" in pdf_text(pdf, n) and "校验码" not in pdf_text(pdf, n) for n in range(1, pages + 1))


# The xsd:sequence of each property element in ECMA-376 Part 1 (wml.xsd), transcribed here on its
# own (not imported from the writer), so that a writer's mistake cannot hide in the test.
W_SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
           "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr "
           "shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
             "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
            "headers cellIns cellDel cellMerge tcPrChange",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
              "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
              "sectPrChange",
}


def property_order_problems(xml: str) -> list[str]:
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    problems = []
    root = etree.fromstring(xml.encode("utf-8"))
    for parent, sequence in W_SEQUENCES.items():
        order = sequence.split()
        for element in root.iter(w + parent):
            names = [child.tag.replace(w, "") for child in element if isinstance(child.tag, str)]
            unknown = [n for n in names if n not in order]
            ranks = [order.index(n) for n in names if n in order]
            repeated = {n for n in names if names.count(n) > 1 and n not in ("headerReference", "footerReference")}
            if unknown or repeated or ranks != sorted(ranks):
                problems.append(f"{parent}: {' '.join(names)}")
    return problems


@pytest.mark.parametrize("which", ["demo", "signed-real"])
def test_word_property_elements_in_schema_order_and_chinese_by_default(which, demo, real, folder):
    report = demo if which == "demo" else real
    if which == "signed-real":
        sign(report)
    parts = docx_xml(write("docx", report, folder / f"{which}.docx", DAY))
    checked = [n for n in parts if re.match(r"word/(document|styles|header\d+|footer\d+)\.xml$", n)]
    assert "word/document.xml" in checked and len(checked) >= 4
    for name in checked:
        assert property_order_problems(parts[name]) == [], name
    assert parts["word/document.xml"].count("<w:tblLayout") == len(re.findall(r"<w:tbl>", parts["word/document.xml"]))
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", parts["word/styles.xml"], re.S).group(0)
    assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', defaults)


def test_the_order_check_sees_what_word_would_repair():
    bad = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tbl><w:tblPr>'
           '<w:tblLayout w:type="fixed"/><w:tblW w:w="0"/><w:tblLayout w:type="fixed"/></w:tblPr></w:tbl>'
           '<w:p><w:pPr><w:outlineLvl w:val="0"/><w:jc w:val="left"/></w:pPr></w:p></w:document>')
    assert len(property_order_problems(bad)) == 2


# ---- PDF


@pytest.mark.needs_linux_tools
def test_pdf_fonts_all_embedded_a4_and_metadata(real, folder):
    path = write("pdf", real, folder / "沭阳 2025.pdf", DAY)
    fonts = pdffonts(path)
    assert fonts and all(row[-5] == "yes" and row[-4] == "yes" for row in fonts), fonts  # emb, sub
    assert not any(row[0].split("+")[-1] in ("Helvetica", "Times-Roman", "Courier") for row in fonts)
    info = run("pdfinfo", path)
    assert re.search(r"Page size:\s+595.2\d* x 841.8\d* pts \(A4\)", info)
    assert "Title:           沭阳县人民政府2025年政府信息公开工作年度报告" in info
    assert "Author:          沭阳县人民政府" in info


@pytest.mark.needs_linux_tools
def test_pdf_text_in_reading_order(real, folder):
    path = write("pdf", real, folder / "r.pdf", DAY)
    text = pdf_text(path)
    flat = squash(text)
    order = ["沭阳县人民政府2025年政府信息公开工作年度报告", "本报告由沭阳县人民政府按照"] + \
        [s["heading"] for s in load_form("gov-info-2021").sections] + ["附件：政府信息公开情况统计表", "2026年1月23日", "附件"]
    at = 0
    for t in order:  # each after the one before
        found = flat.find(squash(t), at)
        assert found >= 0, (t, flat[at:at + 200])
        at = found + 1
    rows = {squash(line) for line in text.splitlines()}
    assert "一、本年新收政府信息公开申请数量705300507" + "13" in rows or any(
        r.startswith("一、本年新收政府信息公开申请数量705300") for r in rows)
    assert re.search(r"行政许可\s+517645", text) and re.search(r"行政处罚\s+693957", text)


@pytest.mark.needs_linux_tools
def test_pdf_pages_numbered_odd_right_even_left_and_drafts_marked(demo, folder):
    path = write("pdf", demo, folder / "d.pdf", DAY)
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", path)).group(1))
    assert pages >= 3
    pdf = pypdfium2.PdfDocument(str(path))
    for n in (1, 2, 3):
        text = pdf_text(path, n)
        assert f"— {n} —" in text and "草稿" in text
        page = pdf[n - 1]
        textpage = page.get_textpage()
        found = textpage.search(f"— {n} —").get_next()
        assert found is not None
        left, bottom, right, top = textpage.get_charbox(found[0])
        width = page.get_width()
        if n % 2:  # odd: right, one character (14 pt) in from the text area's right edge (26 mm margin)
            last = textpage.get_charbox(found[0] + found[1] - 1)
            assert abs((width - 26 * 72 / 25.4 - 14) - last[2]) < 3, last
        else:  # even: left, one character in from the left edge of the text (28 mm margin)
            assert abs(left - (28 * 72 / 25.4 + 14)) < 3, left
        assert bottom < (35 - 7) * 72 / 25.4  # below the text area, about 7 mm down
    pdf.close()


def test_pdf_bookmarks(real, folder):
    path = write("pdf", real, folder / "b.pdf", DAY)
    pdf = pypdfium2.PdfDocument(str(path))
    titles = [item.get_title() for item in pdf.get_toc()]
    pdf.close()
    assert titles == [s["heading"] for s in load_form("gov-info-2021").sections] + ["附件：政府信息公开情况统计表"]


def test_characters_missing_from_a_role_font_come_from_the_fallback():
    f = FontSet()
    body, fallback = f.names["body"], f.names["fallback"]
    missing = next((chr(c) for c in sorted(f.covers[fallback]) if 0x4E00 <= c <= 0x9FFF and c not in f.covers[body]), None)
    if body == fallback or missing is None:
        pytest.skip("the body font is the fallback, or covers all the fallback does")
    assert [a.runs for a in f.atoms(f"张{missing}", "body", 16)] == [[("张", body)], [(missing, fallback)]]


def test_roles_have_fonts_and_latin_digits():
    roles = resolve_all()
    assert all(roles[r] is not None for r in ("title", "body", "h1", "h2", "table", "page"))
    f = FontSet()
    if roles["latin"]:  # numbers in one face, in the text and in the tables
        for role in ("body", "table", "h1"):
            assert [a.runs for a in f.atoms("2021年", role, 16)] == [[("2021", f.names["latin"])], [("年", f.names[role])]]


# ---- Excel


def test_excel_layout_formulas_and_print_setup(real, folder):
    path = write("xlsx", real, folder / "沭阳 附表.xlsx", DAY)
    book = openpyxl.load_workbook(path)
    s3 = book["三、收到和处理政府信息公开申请情况"]
    assert "A3:C5" in [str(r) for r in s3.merged_cells.ranges]  # the note, 3 × 3
    assert "D3:J3" in [str(r) for r in s3.merged_cells.ranges]  # 申请人情况
    assert s3["A3"].value.startswith("（本列数据的勾稽关系为")
    assert s3["D6"].value == 705 and s3["J6"].value == "=SUM(D6:I6)"
    assert s3["D29"].value == "=SUM(D8:D28)"  # （七）总计
    assert s3["D6"].number_format == "0" and s3["A6"].border.left.style == "thin"
    assert s3.page_setup.orientation == "landscape" and (s3.page_setup.fitToWidth or 1) == 1  # 1: the default
    assert s3.sheet_properties.pageSetUpPr.fitToPage and s3.page_setup.fitToHeight == 0
    assert s3.print_title_rows == "$3:$5" and int(s3.page_setup.paperSize) == int(s3.PAPERSIZE_A4)
    s2 = book["二、主动公开政府信息情况"]
    assert s2.page_setup.orientation == "portrait" and s2["B16"].value == float(real.values["s2.fees"])
    assert "草稿" in s3.oddHeader.right.text
    info = book["报告信息与校验结果"]
    assert info["B1"].value == "沭阳县人民政府"
    data = book[DATA_SHEET]
    assert data.sheet_state == "hidden"
    stored = {data.cell(r, 1).value: data.cell(r, 2).value for r in range(1, data.max_row + 1)}
    for form in real.forms():
        for cid in form.cells:
            assert stored[f"value.{cid}"] == format_value(real.values.get(cid)), cid
    assert stored["organ.name"] == "沭阳县人民政府" and stored["text.s1"] == real.texts["s1"]


@pytest.mark.parametrize("organ", ["沭阳县人民政府", "江苏省宿迁市沭阳县沭城街道办事处社会事业和公共服务局（政务公开办）"])
def test_excel_totals_readable_without_recalculation_and_protected(organ, real, folder):
    real.organ.name = organ
    the_code = sign(real)
    path = write("xlsx", real, folder / "总计 附表.xlsx", DAY)
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    checked = 0
    for form in real.forms():
        for section in form.sections:
            if section["kind"] != "table":
                continue
            table = form.tables[section["table"]]
            name = (section["heading"] if form.kind == "report" else f"附件 {table.title}")[:31]
            ws, shown = formulas[name], values[name]
            assert ws.protection.sheet and not ws.protection.password  # protected, no password
            title, subtitle = shown["A1"].value, " ".join(str(c.value) for c in shown[2] if c.value)
            assert title == (section["heading"] if form.kind == "report" else f"附件 {table.title}"), title
            assert f"填报单位：{organ}" in subtitle and f"报告年度：{real.year}年" in subtitle, subtitle
            assert re.search(r"单位：(件|见)", subtitle), subtitle  # and the unit of measure
            for p in table.places:
                if not p.cell:
                    continue
                at = (p.r + 3, p.c + 1)
                expected = real.values.get(p.cell)
                if form.cells[p.cell].derived and str(ws.cell(*at).value).startswith("="):
                    assert ws.cell(*at).protection.locked, p.cell  # a total is not typed over
                    assert Decimal(str(shown.cell(*at).value)) == Decimal(format_value(expected) or "0"), p.cell
                    checked += 1
                else:
                    assert not ws.cell(*at).protection.locked or form.cells[p.cell].derived, p.cell
    assert checked >= 30
    info = values["报告信息与校验结果"]
    rows = {info.cell(r, 1).value: info.cell(r, 2).value for r in range(1, 15)}
    assert rows["报告年度"] == real.year and isinstance(rows["报告年度"], int)
    assert rows["签发日期"] == datetime(2026, 1, 20) and isinstance(rows["导出时间"], datetime)
    assert rows["校验码"] == the_code and "填报人" not in rows and "签发人" not in rows


def test_excel_keeps_printed_totals_that_do_not_add_up(demo, folder):
    book = openpyxl.load_workbook(write("xlsx", demo, folder / "d.xlsx", DAY))
    annex = book["附件 政府信息公开情况统计表"]
    cells = {annex.cell(r, 1).value.strip("\u3000"): annex.cell(r, 3) for r in range(4, annex.max_row) if annex.cell(r, 1).value}
    channels = cells["（二）通过不同渠道和方式公开政府信息的情况"]
    assert channels.value == 0 and "不符" in channels.comment.text  # as printed, not silently corrected
    assert str(cells["三、开通政府信息公开网站（或设立门户网站信息公开专栏）数"].value).startswith("=SUM(")
    checks = book["报告信息与校验结果"]
    rules = [checks.cell(r, 1).value for r in range(1, checks.max_row + 1)]
    assert "A-sum.channels" in rules and "A-sum.visitors" in rules


def test_text_starting_with_equals_stays_text(real, folder):
    real.texts["s5"] = "=HYPERLINK(\"http://x\",\"点我\")"
    real.explanations["W-oversight"] = "=1+1"
    book = openpyxl.load_workbook(write("xlsx", real, folder / "t.xlsx", DAY))
    data = book[DATA_SHEET]
    stored = {data.cell(r, 1).value: data.cell(r, 2) for r in range(1, data.max_row + 1)}
    assert stored["text.s5"].data_type == "s" and stored["text.s5"].value == real.texts["s5"]
    info = book["报告信息与校验结果"]
    explanation = next(info.cell(r, 4) for r in range(1, info.max_row + 1) if info.cell(r, 1).value == "W-oversight")
    assert explanation.value == "=1+1" and explanation.data_type == "s"


# ---- LibreOffice, an independent reader


@pytest.fixture(scope="module")
def soffice():
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.fail("LibreOffice is needed for these tests; packaging/setup.sh installs it")
    return exe


def convert(soffice, source: Path, to: str, outdir: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    run(soffice, "--headless", f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--convert-to", to,
        "--outdir", outdir, source, timeout=300)
    return outdir / f"{source.stem}.{to.split(':')[0]}"


@pytest.mark.needs_linux_tools
def test_libreoffice_reads_our_word_report(soffice, real, folder):
    docx = write("docx", real, folder / "沭阳 报告.docx", DAY)
    pdf = convert(soffice, docx, "pdf", folder / "lo")
    text = pdf_text(pdf)
    flat = squash(pdf_text(pdf, mode="-raw"))  # a merged cell's lines one after the other
    for label in [s["heading"] for s in load_form("gov-info-2021").sections] + \
            ["本列数据的勾稽关系为", "三、本年度办理结果", "未经复议直接起诉",
             "政府信息公开情况统计表", "结转下年度继续办理"]:
        assert squash(label) in flat, label
    assert re.search(r"行政许可\s+517645", text) and "693957" in text
    assert "\ufffd" not in text  # no replacement characters
    fonts = pdffonts(pdf)
    assert all(row[-5] == "yes" for row in fonts)
    assert any(re.search(r"Ming|WenKai|Kai|Hei|Song|CJK", row[0]) for row in fonts), fonts
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    assert 6 <= pages <= 20


@pytest.mark.needs_linux_tools
def test_libreoffice_recomputes_our_excel_formulas_to_our_values(soffice, real, folder):
    xlsx = write("xlsx", real, folder / "附表.xlsx", DAY)
    again = convert(soffice, xlsx, "xlsx:Calc MS Excel 2007 XML", folder / "lo")
    ours, theirs = openpyxl.load_workbook(xlsx), openpyxl.load_workbook(again, data_only=True)
    cached = openpyxl.load_workbook(xlsx, data_only=True)
    checked = 0
    for form in real.forms():
        for section in form.sections:
            if section["kind"] != "table":
                continue
            table = form.tables[section["table"]]
            name = (section["heading"] if form.kind == "report" else f"附件 {table.title}")[:31]
            for p in table.places:
                if p.cell and form.cells[p.cell].derived:
                    formula = ours[name].cell(p.r + 3, p.c + 1).value
                    computed = theirs[name].cell(p.r + 3, p.c + 1).value
                    if isinstance(formula, str) and formula.startswith("="):
                        assert Decimal(str(computed)) == Decimal(format_value(real.values[p.cell]) or "0"), p.cell
                        assert cached[name].cell(p.r + 3, p.c + 1).value == computed, p.cell  # what we stored
                        checked += 1
    assert checked >= 30


def test_export_refuses_a_wrong_suffix(real, folder):
    with pytest.raises(GiappError, match=r"\.pdf"):
        write("pdf", real, folder / "x.docx", DAY)
