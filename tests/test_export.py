"""Word, PDF and Excel written from real reports and read back by other programs: python-docx,
poppler (pdftotext, pdffonts, pdfinfo), pypdfium2, openpyxl, and LibreOffice headless."""

import re
import shutil
import subprocess
from datetime import date
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
    assert round(body.line_spacing.pt) == 29 and body.first_line_indent.pt == 32
    assert word.paragraphs[1].style.element.rPr.rFonts.get(qn("w:ascii")) == "Times New Roman"
    lead = next(p for p in word.paragraphs if re.match(r"^（[一二三四五六七八九十]）", p.text) and len(p.runs) > 1)
    assert font(lead, 0) == "楷体_GB2312" and font(lead, 1) == "仿宋_GB2312"  # a run-in heading
    # the closing: organ and date
    assert texts[-1] != "2026年1月23日" and "2026年1月23日" in texts and "附件：政府信息公开情况统计表" in texts
    assert texts.index("沭阳县人民政府") == texts.index("2026年1月23日") - 1
    # the annex on a new page, with its label
    label = texts.index("附件")
    assert any(br.get(qn("w:type")) == "page" for br in word.paragraphs[label - 1]._p.iter(qn("w:br")))


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


@pytest.mark.needs_linux_tools
def test_signed_report_has_no_draft_mark_and_its_date(real, folder):
    real.status = "signed"
    real.signoff = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
    word = WordDocument(str(write("docx", real, folder / "s.docx", DAY)))
    header = word.sections[0].header.paragraphs[0].text
    assert "草稿" not in header and "签发人：王五" in header
    assert "2026年1月20日" in [p.text for p in word.paragraphs]
    pdf = write("pdf", real, folder / "s.pdf", DAY)
    assert "草稿" not in pdf_text(pdf)
    book = openpyxl.load_workbook(write("xlsx", real, folder / "s.xlsx", DAY))
    assert "草稿" not in (book.worksheets[0].oddHeader.right.text or "")


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
    markup = f.markup(f"张{missing}", "body")
    assert markup == f'张<font name="{fallback}">{missing}</font>'


def test_roles_have_fonts_and_latin_digits():
    roles = resolve_all()
    assert all(roles[r] is not None for r in ("title", "body", "h1", "h2", "table", "page"))
    f = FontSet()
    if roles["latin"]:
        assert f.markup("2021年", "body") == f'<font name="{f.names["latin"]}">2021</font>年'


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
    assert s3.page_setup.orientation == "landscape" and s3.page_setup.fitToWidth == 1
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
                        checked += 1
    assert checked >= 30


def test_export_refuses_a_wrong_suffix(real, folder):
    with pytest.raises(GiappError, match=r"\.pdf"):
        write("pdf", real, folder / "x.docx", DAY)
