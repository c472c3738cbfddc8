"""The paper a county reviewer accepts (issue 13, PDF typesetting), checked on the exported files: the
PDF's lines, positions and pages read back with poppler (pdftotext -bbox-layout) and pypdfium2, the
Word file's XML, and LibreOffice's rendering of the Word file. On the demo report and on a signed,
consistent real report with a short and with a long organ name."""

import ctypes
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from giapp.export import fonts, write
from giapp.export.blocks import build
from giapp.export.paper import BOTTOM_MM, LEFT_MM, MM, PAGE_WIDTH_MM, RIGHT_MM, TOP_MM
from giapp.report import Report

pytestmark = pytest.mark.needs_linux_tools  # poppler and LibreOffice read what we write

DAY = date(2026, 1, 23)
LEFT, RIGHT = LEFT_MM * MM, (PAGE_WIDTH_MM - RIGHT_MM) * MM
TOP, BOTTOM = TOP_MM * MM, (297 - BOTTOM_MM) * MM  # the text area, from the top of the page
SHORT, LONG = "城关镇", "内蒙古自治区呼和浩特市赛罕区巴彦街道办事处"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NO_START, NO_END = "，。、；：？！）》」』】〕〉”’", "（《「『【〔〈“‘"  # as issue 13 lists them
LINE_PITCH_PT = 579 / 20  # the largest pitch in Word's twentieths of a point with 22 lines in 225 mm
CHAR_PITCH_PT = 156 * MM / 28
WORD_CHAR_PT = 15.7  # Word file: 三号 condensed by 0.3 pt, so that LibreOffice too sets 28 a line


@pytest.fixture
def demo(demo_json) -> Report:
    return Report.from_json(demo_json)


def consistent(real_json, demo_json, organ: str) -> Report:
    """The real report (its checks give warnings only) with the annex, signed, under another name."""
    report = Report.from_json(real_json)
    report.annex = "annex-stats"
    report.values.update({k: v for k, v in Report.from_json(demo_json).values.items() if k.startswith("a.")})
    report.organ.name = organ
    return sign(report)


def sign(report: Report) -> Report:
    """Signed as the store signs (export refuses a signed report whose fingerprint does not match)."""
    from giapp.signoff import signoff_fingerprint

    people = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
    report.status = "signed"
    report.signoff = {**people, "fingerprint": signoff_fingerprint(report, people)}
    return report


@pytest.fixture(params=[SHORT, LONG], ids=["short-name", "long-name"])
def signed(request, real_json, demo_json) -> Report:
    return consistent(real_json, demo_json, request.param)


def pdf_pages(path: Path) -> list[list[dict]]:
    """Per page, the lines in the text area (no running header, page number or 草稿 watermark), each
    with its words: text and box in points from the top left."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(re.sub(r'xmlns="[^"]+"', "", out))
    pages = []
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            box = {k: float(line.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")}
            if box["yMax"] - box["yMin"] > 40 or box["yMin"] < TOP - 1 or box["yMax"] > BOTTOM + 1:
                continue  # the watermark, the header, the page number
            words = [{"text": w.text or "", **{k: float(w.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")}}
                     for w in line.iter("word")]
            lines.append({"text": "".join(w["text"] for w in words), "words": words, **box})
        pages.append(lines)
    return pages


def body_lines(lines: list[dict], high: tuple = (14, 19)) -> list[dict]:
    """Lines of 三号 text (16 pt high boxes; LibreOffice's are 20.8), not table cells (小五) nor the title (二号)."""
    return [ln for ln in lines if high[0] < ln["yMax"] - ln["yMin"] < high[1]]


# ---- 禁则 and the text area


@pytest.mark.parametrize("which", ["demo", "short", "long"])
def test_no_line_begins_with_a_closing_mark_nor_ends_with_an_opening_one(which, demo, real_json, demo_json, folder):
    report = demo if which == "demo" else consistent(real_json, demo_json, SHORT if which == "short" else LONG)
    path = write("pdf", report, folder / f"{which} 报告.pdf", DAY)
    words = [w for page in pdf_pages(path) for line in page for w in line["words"]]
    assert len(words) > 300
    # a word is a run of glyphs without a gap: it starts a line (of the text or of a table cell)
    starts = [w["text"] for w in words if w["text"][0] in NO_START]
    ends = [w["text"] for w in words if w["text"][-1] in NO_END]
    assert not starts and not ends, (starts, ends)
    for w in words:  # nothing beyond the text area
        assert LEFT - 0.5 <= w["xMin"] and w["xMax"] <= RIGHT + 0.5, w


def test_closing_marks_are_pulled_in_or_pushed_down_on_the_grid(folder, demo):
    """Texts made so that a closing mark falls at the start of a line, and an opening one at the end."""
    row = "政府信息公开工作" * 4  # 32 characters
    demo.texts["s1"] = "\n".join([
        row[:26] + "，" + row[:10],  # 2 indent + 26: the comma is the 29th character: pulled in, condensed
        row[:25] + "”。" + row[:10],  # two marks as the 28th and 29th: the 29th pulled in
        row[:25] + "（" + row[:10],  # an opening mark as the 28th character: pushed to the next line
    ])
    path = write("pdf", demo, folder / "禁则.pdf", DAY)
    lines = [ln for page in pdf_pages(path) for ln in body_lines(page)]
    first = next(i for i, ln in enumerate(lines) if ln["text"].startswith(row[:10]))
    a, b, c = lines[first], lines[first + 2], lines[first + 4]
    assert a["text"] == row[:26] + "，" and lines[first + 1]["text"].startswith("政府")
    assert b["text"] == row[:25] + "”。"
    assert c["text"] == row[:25] and lines[first + 5]["text"].startswith("（政府")
    for line in (a, b, c):
        assert abs(line["xMax"] - RIGHT) < 0.5 and abs(line["xMin"] - (LEFT + 2 * CHAR_PITCH_PT)) < 0.5


# ---- 22 lines of 28 characters


def test_full_pages_hold_22_lines_of_28_characters(demo, folder):
    path = write("pdf", demo, folder / "网格.pdf", DAY)
    pages = [body_lines(page) for page in pdf_pages(path)]
    assert max(len(p) for p in pages) == 22
    assert sum(len(p) == 22 for p in pages) >= 2
    for page in pages:  # consecutive lines of a paragraph (same font, so same boxes): one line pitch apart
        for a, b in zip(page, page[1:]):
            if all(abs(ln["xMin"] - LEFT) < 0.5 and not re.search(r"[ -~]", ln["text"]) for ln in (a, b)):
                assert abs(b["yMin"] - a["yMin"] - LINE_PITCH_PT) < 0.1, (a["text"], b["text"])
    assert LINE_PITCH_PT * 22 <= 225 * MM and LINE_PITCH_PT > 28.9
    full = [ln for p in pages for ln in p if abs(ln["xMin"] - LEFT) < 0.5 and abs(ln["xMax"] - RIGHT) < 0.5
            and not re.search(r"[ -~]", ln["text"])]
    assert len(full) > 40
    # 29: a closing mark pulled in; 27: an opening mark pushed down to the next line
    assert all(len(ln["text"]) in (27, 28, 29) for ln in full), [ln["text"] for ln in full if len(ln["text"]) not in (28, 29)]
    assert sum(len(ln["text"]) == 28 for ln in full) > 0.8 * len(full)
    assert all(ln["text"][-1] in NO_START for ln in full if len(ln["text"]) == 29)  # pulled in, condensed
    # character pitch 156 mm / 28: a full line's glyphs are evenly spaced
    pdf = pypdfium2.PdfDocument(str(path))
    page = pdf[1]
    textpage = page.get_textpage()
    height = page.get_height()
    line = next(ln for ln in full if ln is not None and ln in pages[1])
    boxes = [textpage.get_charbox(i, loose=True) for i in range(textpage.count_chars())]
    lefts = sorted(b[0] for b in boxes if abs((height - b[3]) - line["yMin"]) < 3 and b[2] - b[0] > 10)
    assert len(lefts) == 28
    pitches = [b - a for a, b in zip(lefts, lefts[1:])]
    assert all(abs(p - CHAR_PITCH_PT) < 0.05 for p in pitches), pitches
    pdf.close()


# ---- keep together


def test_headings_never_end_a_page_and_table_three_stays_on_one_page(demo, signed, folder):
    for report in (demo, signed):
        doc = build(report, DAY)
        headings = {b.text.split("\n")[0] for b in doc.blocks if b.kind in ("h1", "h2", "annex_label", "annex_title")}
        path = write("pdf", report, folder / "标题.pdf", DAY)
        pages = pdf_pages(path)
        for n, page in enumerate(pages[:-1], 1):
            assert page and page[-1]["text"] not in headings, (n, page[-1]["text"])
        three = [n for n, page in enumerate(pages) if any(ln["text"].startswith("三、收到和处理") for ln in page)]
        assert len(three) == 1
        page = "".join(ln["text"] for ln in pages[three[0]])
        assert "申请人情况" in page and "四、结转下年度继续办理" in page


def test_signature_block_never_split_nor_alone(demo, folder):
    """The last text made one line longer at a time, over a whole page: the name and the date are always
    on one page, with at least two lines of the body before them."""
    key = demo.s6_items()[-1]
    base = demo.text(key)
    name, day = demo.organ.name, "2026年1月23日"
    for extra in range(0, 23):
        demo.texts[key] = base + ("规范政务公开" * 5)[:28] * extra + "完毕。"
        path = write("pdf", demo, folder / f"落款 {extra}.pdf", DAY)
        pages = pdf_pages(path)
        where = [(n, i) for n, page in enumerate(pages) for i, ln in enumerate(page) if ln["text"] == day]
        assert len(where) == 1, (extra, where)
        n, i = where[0]
        page = pages[n]
        assert i > 0 and page[i - 1]["text"] == name, (extra, [ln["text"] for ln in page])  # on the same page
        before = [ln for ln in page[:i - 1] if not ln["text"].startswith("附件：")]
        assert len(before) >= 2, (extra, [ln["text"] for ln in page])


# ---- the signature block (GB/T 9704 §7.3.5.2)


def closing_lines(path: Path, name: str, day: str) -> tuple[dict, dict]:
    lines = [ln for page in pdf_pages(path) for ln in page]
    return [ln for ln in lines if ln["text"] == name][-1], [ln for ln in lines if ln["text"] == day][-1]


def test_signature_block_two_characters_from_the_right(signed, folder):
    path = write("pdf", signed, folder / "落款.pdf", DAY)
    name, day = closing_lines(path, signed.organ.name, "2026年1月20日")
    c = CHAR_PITCH_PT
    assert abs(day["yMin"] - name["yMin"] - LINE_PITCH_PT) < 3.5  # the next line (the figures' boxes are taller)
    if signed.organ.name == LONG:  # the name ends 2 characters in; the date starts 2 characters right of it
        assert abs(name["xMax"] - (RIGHT - 2 * c)) < 1
        assert abs(day["xMin"] - (name["xMin"] + 2 * c)) < 1
    else:  # the date would run past: it ends 2 characters in, the name keeps 2 characters to its left
        assert abs(day["xMax"] - (RIGHT - 2 * c)) < 1
        assert abs(name["xMin"] - (day["xMin"] - 2 * c)) < 1
        assert name["xMax"] < RIGHT - 2 * c


def test_word_signature_block_right_aligned_with_right_indents(signed, folder):
    path = write("docx", signed, folder / "落款.docx", DAY)
    body = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
    paragraphs = list(body.iter(f"{W}p"))
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs]
    at = texts.index(signed.organ.name)
    name, day = paragraphs[at], paragraphs[at + 1]
    assert texts[at + 1] == "2026年1月20日"
    indents = []
    for p in (name, day):
        ppr = p.find(f"{W}pPr")
        assert ppr.find(f"{W}jc").get(f"{W}val") == "right"
        ind = ppr.find(f"{W}ind")
        assert ind.get(f"{W}left") is None and ind.get(f"{W}firstLine") is None
        indents.append(int(ind.get(f"{W}right")) / 20)
    c = WORD_CHAR_PT
    if signed.organ.name == LONG:
        assert indents[0] == pytest.approx(2 * c, abs=0.1) and indents[1] > 2 * c
    else:
        assert indents[1] == pytest.approx(2 * c, abs=0.1) and indents[0] > 4 * c
    # kept together with the body's last lines: every paragraph from the last text to the name keeps with next
    last_text = max(i for i, t in enumerate(texts[:at]) if t and not t.startswith("附件"))
    for p in paragraphs[last_text:at + 1]:
        assert p.find(f"{W}pPr/{W}keepNext") is not None


# ---- tables


def five_digit(report: Report) -> Report:
    for cid in list(report.values):
        if cid.startswith("s4."):
            report.values[cid] = Decimal(23456)
    return sign(report) if report.status == "signed" else report


def test_tables_in_small_five_with_one_number_face_and_five_digit_figures_on_one_line(signed, folder):
    report = five_digit(signed)
    path = write("pdf", report, folder / "表格.pdf", DAY)
    pages = pdf_pages(path)
    four = next(n for n, page in enumerate(pages) if any(ln["text"].startswith("四、政府信息公开行政复议") for ln in page))
    assert sum(w["text"] == "23456" for ln in pages[four] for w in ln["words"]) >= 15
    pdf = pypdfium2.PdfDocument(str(path))
    faces, sizes = set(), set()
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for n in range(len(pdf)):
        textpage = pdf[n].get_textpage()
        for i in range(textpage.count_chars()):
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, i)
            top = pdf[n].get_height() - textpage.get_charbox(i)[3]
            if ch.isdigit() and size < 12 and TOP < top < BOTTOM:  # a figure in a table
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, ctypes.byref(flags))
                faces.add(buffer.value.decode().split("+")[-1])
                sizes.add(round(size, 1))
    pdf.close()
    assert sizes == {9.0}, sizes
    assert len(faces) == 1, faces


def test_word_tables_cell_widths_sum_their_grid_columns_in_small_five(signed, folder):
    path = write("docx", five_digit(signed), folder / "表格.docx", DAY)
    package = zipfile.ZipFile(path)
    root = ET.fromstring(package.read("word/document.xml"))
    tables = list(root.iter(f"{W}tbl"))
    assert len(tables) == 4
    for tbl in tables:
        cols = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
        for tr in tbl.iter(f"{W}tr"):
            at = 0
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span = tcpr.find(f"{W}gridSpan")
                n = int(span.get(f"{W}val")) if span is not None else 1
                assert int(tcpr.find(f"{W}tcW").get(f"{W}w")) == sum(cols[at:at + n])
                at += n
            assert at == len(cols)
        margins = tbl.find(f"{W}tblPr/{W}tblCellMar")
        assert int(margins.find(f"{W}top").get(f"{W}w")) > 0 and int(margins.find(f"{W}bottom").get(f"{W}w")) > 0
        # every row but the last keeps with the next: the table is not split when it fits on a page; the
        # annex's table is longer than a page and breaks where it must (its title not left alone)
        rows = tbl.findall(f"{W}tr")
        kept = [p.find(f"{W}pPr/{W}keepNext") is not None for tr in rows[:-1] for p in tr.iter(f"{W}p")]
        assert all(kept) if tbl is not tables[-1] else not any(kept)
    styles = ET.fromstring(package.read("word/styles.xml"))
    sizes = {s.get(f"{W}styleId"): s.find(f"{W}rPr/{W}sz").get(f"{W}val") for s in styles.iter(f"{W}style")
             if s.find(f"{W}rPr/{W}sz") is not None}
    used = {p.get(f"{W}val") for tbl in tables for p in tbl.iter(f"{W}pStyle")}
    assert used and all(sizes[s] == "18" for s in used), {s: sizes[s] for s in used}  # 小五 = 9 pt


# ---- Word: the grid and keep-with-next


def test_word_grid_22_lines_of_28_characters_and_headings_kept_with_next(demo, folder):
    path = write("docx", demo, folder / "网格.docx", DAY)
    package = zipfile.ZipFile(path)
    root = ET.fromstring(package.read("word/document.xml"))
    grid = root.find(f"{W}body/{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"  # line and character pitch, as GB/T 9704 templates have
    pitch = int(grid.get(f"{W}linePitch"))
    assert pitch * 22 <= 225 * MM * 20 and pitch / 20 == LINE_PITCH_PT  # the PDF's pitch
    styles = {s.get(f"{W}styleId"): s for s in ET.fromstring(package.read("word/styles.xml")).iter(f"{W}style")}
    by_name = {s.find(f"{W}name").get(f"{W}val"): s for s in styles.values()}
    # ECMA-376 §17.6.5: the character pitch is the Normal style's size plus charSpace/4096 points
    normal = int(by_name["Normal"].find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2
    char_pitch = normal + int(grid.get(f"{W}charSpace")) / 4096
    assert normal == 16 and 28 * char_pitch <= 156 * MM < 29 * char_pitch
    assert char_pitch == pytest.approx(CHAR_PITCH_PT, abs=0.001)  # the PDF's pitch
    for name in ("年报-body", "年报-h1", "年报-h2"):
        style = by_name[name]
        spacing = int(style.find(f"{W}rPr/{W}spacing").get(f"{W}val")) / 20
        assert 16 + spacing == WORD_CHAR_PT and 28 * (16 + spacing) <= 156 * MM < 29 * (16 + spacing)
        assert int(style.find(f"{W}pPr/{W}spacing").get(f"{W}line")) == pitch
        assert int(style.find(f"{W}pPr/{W}ind").get(f"{W}firstLine")) == 2 * WORD_CHAR_PT * 20  # two characters
    # every paragraph of ours sets its own 22 × 28 off the grid (LibreOffice puts a 16 pt character in two
    # cells of a 15.79 pt grid); table cells in 小五 and the 二号 title stay as they are
    for style in by_name.values():
        if style.find(f"{W}name").get(f"{W}val").startswith("年报-") and style.get(f"{W}type") == "paragraph":
            assert style.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0"
    for part in [n for n in package.namelist() if re.match(r"word/(header|footer)\d+\.xml", n)]:
        for p in ET.fromstring(package.read(part)).iter(f"{W}p"):
            assert p.find(f"{W}pPr/{W}snapToGrid").get(f"{W}val") == "0", part
    # LibreOffice reads w:overflowPunct inverted (on = no hanging) and loses marks it hangs: on, Word's default
    defaults = ET.fromstring(package.read("word/styles.xml")).find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    assert defaults.find(f"{W}overflowPunct").get(f"{W}val") == "1"
    for name in ("年报-h1", "年报-h2", "年报-label"):
        assert by_name[name].find(f"{W}pPr/{W}keepNext") is not None


def body_texts(report: Report) -> list[str]:
    """The texts set in 三号, in reading order, without white space."""
    kinds = ("body", "h1", "h2", "attachment", "closing", "date", "annex_label")
    return [re.sub(r"\s", "", b.lead + b.text) for b in build(report, DAY).blocks if b.kind in kinds and b.text]


@pytest.mark.parametrize("which", ["demo", "real"])
def test_libreoffice_sets_the_word_report_on_the_grid(which, demo, real_json, demo_json, folder):
    """LibreOffice as an independent reader of the Word file: 22 lines of 28 characters on a full page,
    and every character of the texts there, in order (it used to drop a comma hung at a line end)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is needed for this test")
    report = five_digit(demo) if which == "demo" else consistent(real_json, demo_json, SHORT)
    docx = write("docx", report, folder / f"{which} 报告.docx", DAY)
    out = folder / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--convert-to",
                    "pdf", "--outdir", str(out), str(docx)], capture_output=True, timeout=300, check=True)
    pages = pdf_pages(out / f"{which} 报告.pdf")
    lines = [ln for page in pages for ln in body_lines(page, (19, 22))]
    assert max(len(body_lines(page, (19, 22))) for page in pages) == 22
    assert all(ln["xMax"] <= RIGHT + 0.5 for ln in lines)  # nothing hangs in the margin
    full = [ln for ln in lines if abs(ln["xMin"] - LEFT) < 2 and abs(ln["xMax"] - RIGHT) < 2
            and not re.search(r"[ -~]", ln["text"])]
    # LibreOffice's own 禁则 takes a character down with a closing mark: 27 in a few lines, never 29
    assert len(full) > 40 and sum(len(ln["text"]) == 28 for ln in full) > 0.75 * len(full)
    assert all(26 <= len(ln["text"]) <= 28 for ln in full), [ln["text"] for ln in full if len(ln["text"]) > 28]
    text, at = "".join(ln["text"] for ln in lines), 0
    for paragraph in body_texts(report):
        found = text.find(paragraph, at)
        assert found >= 0, (paragraph, text[at:at + len(paragraph) + 10])
        at = found + len(paragraph)
    if which != "demo":
        return
    words = [w["text"] for page in pages for ln in page for w in ln["words"]]
    assert words.count("23456") >= 15  # table 四's five-digit figures on one line
    headings = {re.sub(r"\s", "", b.text) for b in build(report, DAY).blocks if b.kind in ("h1", "h2")}
    for page in pages:  # a heading never ends a page: its text or its table follows it there (table rows
        # are as tall as in the PDF, so LibreOffice keeps 三's heading with its table too)
        content = [ln for ln in page if not re.fullmatch(r"—\s*\d+\s*—|草稿", ln["text"])]
        last = max(content, key=lambda ln: ln["yMax"])
        assert last["text"] not in headings, last["text"]
    n, i = next((n, i) for n, page in enumerate(pages) for i, ln in enumerate(page) if ln["text"] == "2026年1月23日")
    name, date = pages[n][i - 1], pages[n][i]
    assert name["text"] == demo.organ.name  # on the same page
    assert abs(name["xMax"] - (RIGHT - 2 * WORD_CHAR_PT)) < 1.5  # 2 characters from the right edge
    # LibreOffice puts a little space between figures and Chinese characters (Word does not: autoSpaceDN
    # is off), so its date is a character wider and starts up to a character early; it ends in its place
    assert name["xMin"] + 10 < date["xMin"] <= name["xMin"] + 2 * WORD_CHAR_PT + 1


# ---- titles


def test_long_titles_break_between_words(signed, folder):
    path = write("pdf", signed, folder / "标题.pdf", DAY)
    first = pdf_pages(path)[0]
    title = [ln["text"] for ln in first if 19 < ln["yMax"] - ln["yMin"] < 24]
    assert "".join(title) == f"{signed.organ.name}2025年政府信息公开工作年度报告"
    assert (len(title) > 1) == (signed.organ.name == LONG)
    for line in title[:-1]:
        assert not line.endswith(("政", "政府", "政府信", "公", "年度", "工", "自治", "街道"))
    if signed.organ.name == LONG:  # between words: the units of the name whole, the year with its 年
        assert title[-1] == "2025年政府信息公开工作年度报告"
        assert any("街道办事处" in line for line in title) and any("自治区" in line for line in title)
    word = write("docx", signed, folder / "标题.docx", DAY)
    from docx import Document as WordDocument

    assert WordDocument(str(word)).paragraphs[0].text == "\n".join(title)


# ---- fonts


def test_fallback_roles_name_what_is_not_an_official_face(tmp_path, monkeypatch):
    """With Windows' own faces installed (FangSong, KaiTi, SimHei, SimSun) only the title falls back (to a
    regular 宋体); without them, the shipped WenQuanYi is reported for every role it serves."""
    real = fonts.installed_fonts()
    source = next(p for p in real.values() if fonts.truetype_outlines(p))  # any TrueType font stands in
    windows = tmp_path / "Windows"
    (windows / "Fonts").mkdir(parents=True)
    for name in ("simfang.ttf", "simkai.ttf", "simhei.ttf", "simsun.ttc", "times.ttf"):
        shutil.copyfile(source, windows / "Fonts" / name)
    monkeypatch.setenv("WINDIR", str(windows))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(fonts, "font_dirs", lambda: [windows / "Fonts"])
    try:
        for f in (fonts.installed_fonts, fonts.resolve):
            f.cache_clear()
        assert set(fonts.fallback_roles()) == {"title"}
        assert fonts.resolve("body").path.name == "simfang.ttf" and not fonts.resolve("body").substitute
        assert "标题（小标宋）" in fonts.fallback_notice() and "本单位" in fonts.fallback_notice()
        (windows / "Fonts" / "FZXBSJW.TTF").write_bytes((windows / "Fonts" / "simsun.ttc").read_bytes())
        for f in (fonts.installed_fonts, fonts.resolve):
            f.cache_clear()
        assert fonts.fallback_roles() == {} and fonts.fallback_notice() == ""
        for name in list((windows / "Fonts").iterdir()):
            name.unlink()
        for f in (fonts.installed_fonts, fonts.resolve):
            f.cache_clear()
        shipped = fonts.fallback_roles()
        assert {"title", "body", "h1", "h2", "table", "page"} <= set(shipped)
        assert all(found.shipped for found in shipped.values())
    finally:
        monkeypatch.undo()
        for f in (fonts.installed_fonts, fonts.resolve):
            f.cache_clear()


def test_manual_says_how_to_install_the_faces():
    manual = (Path(__file__).resolve().parents[1] / "resources" / "manual" / "index.html").read_text(encoding="utf-8")
    assert "安装公文字体" in manual and "方正小标宋" in manual and "本单位" in manual
    for face in ("仿宋_GB2312", "楷体_GB2312", "黑体", "宋体"):
        assert face in manual


def test_hostile_texts_and_a_name_longer_than_a_line_stay_in_the_text_area(real_json, demo_json, folder):
    name = "新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市伊车嘎善锡伯族乡人民政府办公室"  # 36 characters
    report = consistent(real_json, demo_json, name)
    report.texts["s1"] = ("x" * 300 + "，（https://www.example.gov.cn/" + "a" * 80 + "）。\t\u00a0\u3000"
                          + "（" * 33 + "，。" * 30 + "\n" + "“" * 3 + "”" * 40)
    sign(report)
    path = write("pdf", report, folder / "超长.pdf", DAY)
    write("docx", report, folder / "超长.docx", DAY)
    lines = [ln for page in pdf_pages(path) for ln in page]
    assert all(LEFT - 0.5 <= ln["xMin"] and ln["xMax"] <= RIGHT + 0.5 for ln in lines)
    day = [i for i, ln in enumerate(lines) if ln["text"] == "2026年1月20日"]
    assert len(day) == 1 and name.endswith(lines[day[0] - 1]["text"])  # the name wrapped, right-aligned
    assert "".join(ln["text"] for ln in lines).count("x" * 300) == 1
