"""Hostile and careless files (issue 14, sections 4 and 5): crafted Word and Excel files are read
within bounds, odd characters and numbers get a message, and writing into a read-only folder,
onto a full disk or with a very long name says exactly that and leaves nothing behind.

Every crafted file is made here by a generator; none is stored in the repository."""

import contextlib
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import run_giapp
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

from giapp import aggregate
from giapp.errors import GiappError
from giapp.export import write
from giapp.export.xlsx import DATA_SHEET, FIRST_ROW, table_sheets
from giapp.imports.excel import read_excel
from giapp.imports.word import read_word
from giapp.inputs import read_imported
from giapp.report import Report
from giapp.signoff import check_people
from giapp.store import ReportFile

DAY = date(2026, 1, 23)
PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}


@pytest.fixture
def report(real_json) -> Report:
    return Report.from_json(real_json)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def bounded(path: Path, memory_mb: int = 1200) -> subprocess.CompletedProcess:
    """Read a file in a process of its own with its memory capped (the unbounded readers took
    2.5-3.9 GB) and a time limit (they spun for minutes)."""
    code = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20}, {memory_mb << 20}))\n"
            "import sys; from giapp.inputs import read_imported; from giapp.errors import GiappError\n"
            "try:\n    got = read_imported(sys.argv[1])\n"
            "except GiappError as e:\n    print('REFUSED', e)\n"
            "else:\n    print('READ', *got.problems, sep='\\n')\n")
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, encoding="utf-8",
                          timeout=120, cwd=Path(__file__).resolve().parents[1])


def repack(path: Path, change) -> Path:
    """Rewrite the parts of a zip: change(name, data) -> new data (None drops the part)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            data = change(name, data)
            if data is not None:
                z.writestr(name, data)
    return path


def word_with_table(path: Path, rows: list[list[str]], change=None) -> Path:
    """A small report in Word: the title, and one table of the given texts; change(table) may
    alter the table's XML."""
    doc = Document()
    doc.add_paragraph("测试县某镇人民政府2025年政府信息公开工作年度报告")
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for tr, row in zip(table._tbl.tr_lst, rows):  # cell by cell in the XML: table.cell() is slow on long tables
        for tc, text in zip(tr.tc_lst, row):
            _Cell(tc, table).text = text
    if change:
        change(table)
    doc.save(str(path))
    return path


S2_ROWS = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
           ["规章", "1", "0", "5"], ["行政规范性文件", "2", "1", "7"]]


# ---- section 4: untrusted Word and Excel files are bounded


def test_a_column_span_of_a_hundred_million_is_read_within_bounds(folder):
    def huge_span(table):
        tcPr = table.cell(0, 0)._tc.get_or_add_tcPr()
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), "100000000")
        tcPr.append(span)

    path = word_with_table(folder / "跨列 攻击.docx", S2_ROWS, huge_span)
    assert path.stat().st_size < 60_000
    result = bounded(path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "超出读取范围" in result.stdout


def test_many_rows_are_read_up_to_the_bound_and_the_rest_listed(folder):
    path = word_with_table(folder / "很多行.docx", S2_ROWS + [["规章", "1", "0", "5"]] * 400)
    got = read_word(path)
    assert any("超出读取范围" in p for p in got.problems)


def test_a_vertical_merge_continued_in_the_first_row_is_read(folder):
    def continued(table):
        tcPr = table.cell(0, 1)._tc.get_or_add_tcPr()
        tcPr.append(OxmlElement("w:vMerge"))  # "continue" with nothing above

    path = word_with_table(folder / "合并.docx", S2_ROWS, continued)
    got = read_word(path)  # no traceback
    assert got.report.values.get("s2.rules.issued") == 1


def _sheet_xml_change(extra: bytes):
    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b"</sheetData>", b"</sheetData>" + extra)
        return data
    return change


@pytest.mark.parametrize("attack", ["far cell", "whole-sheet merge"])
def test_a_far_cell_or_a_merge_over_the_whole_sheet_is_bounded(folder, attack):
    path = folder / f"攻击 {attack}.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    for row in S2_ROWS:
        ws.append(row)
    if attack == "far cell":
        ws["XFD1048576"] = "很远的单元格"
        book.save(path)
    else:
        book.save(path)
        repack(path, _sheet_xml_change(b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'))
    assert path.stat().st_size < 20_000
    result = bounded(path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "READ" in result.stdout
    if attack == "far cell":
        assert "超出读取范围" in result.stdout


def test_a_dtd_in_a_utf16_part_is_refused(folder, report):
    path = write("docx", report, folder / "十六位.docx", DAY)

    def utf16(name, data):
        if name == "word/document.xml":
            text = data.decode("utf-8").replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", 1)
            text = re.sub(r"^(<\?xml[^>]*\?>)", r'\1<!DOCTYPE d [<!ENTITY a "aaaa">]>', text)
            return text.encode("utf-16")
        return data

    repack(path, utf16)
    with pytest.raises(GiappError, match="实体声明"):
        read_word(path)


def test_a_dtd_in_a_part_reached_by_a_relationship_is_refused(folder, report):
    """A part may be named anything: what a relationship points to is checked whatever its name."""
    path = write("xlsx", report, folder / "关系.xlsx", DAY)

    def add(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/customXml" Target="../customXml/item1.dat"/>'
                                b"</Relationships>")
        return data

    repack(path, add)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("customXml/item1.dat", '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x SYSTEM '
                   '"file:///etc/passwd"><x/>'.encode("utf-16-le"))
    with pytest.raises(GiappError, match="实体声明"):
        read_excel(path)


@pytest.mark.parametrize("text, want, listed", [
    ("517645¹", 517645, "¹"),
    ("517645 ²", 517645, "²"),
    ("１２", 12, None),  # full-width digits stay accepted
])
def test_a_superscript_after_a_number_is_a_footnote_mark(folder, text, want, listed):
    rows = [r[:] for r in S2_ROWS]
    rows[1][3] = text
    got = read_word(word_with_table(folder / "脚注.docx", rows))
    assert got.report.values.get("s2.rules.in_force") == want
    marks = [n for n in got.notes if "脚注标记" in n]
    if listed:
        assert len(marks) == 1 and listed in marks[0] and str(want) in marks[0]
        assert any(listed in line for line in got.summary())  # in the import report
    else:
        assert marks == []


@pytest.mark.parametrize("text", ["①", "٣", "٥١٧", "1²3"])
def test_circled_superscript_inside_and_other_script_digits_are_refused_and_listed(folder, text):
    rows = [r[:] for r in S2_ROWS]
    rows[1][3] = text
    got = read_word(word_with_table(folder / "奇怪数字.docx", rows))
    assert got.report.values.get("s2.rules.in_force") is None
    assert any(text in p and "不能识别的数字符号" in p for p in got.problems)


def test_a_number_of_five_thousand_digits_is_refused_everywhere(folder, report):
    digits = "9" * 5000
    rows = [r[:] for r in S2_ROWS]
    rows[1][3] = digits
    got = read_word(word_with_table(folder / "长数字.docx", rows))
    assert got.report.values.get("s2.rules.in_force") is None
    assert any("数值过大" in p for p in got.problems)

    data = report.to_json()
    source = folder / "长数字.json"
    source.write_text(json.dumps(data, ensure_ascii=False).replace(f'"year": {report.year}', f'"year": {digits}'), encoding="utf-8")
    with pytest.raises(GiappError, match="位数过多"):
        read_imported(source)

    path = folder / "长数字.xlsx"
    book = openpyxl.Workbook()
    for row in S2_ROWS:
        book.active.append(row)
    book.active["D3"] = 7
    book.save(path)
    repack(path, lambda name, data: data.replace(b"<v>7</v>", f"<v>{digits}</v>".encode())
           if name == "xl/worksheets/sheet1.xml" else data)
    got = read_excel(path)  # a message for the sheet, no traceback
    assert any("无法读取的内容" in p for p in got.problems)


@pytest.mark.parametrize("place, bad", [
    ("organ.name", "某镇\ud800人民政府"),  # a lone surrogate
    ("organ.name", "某镇\u000b人民政府"),  # Word's soft line break
    ("texts.s1", "第一段\u0001第二段"),
    ("organ.address", "某路\u2028一号"),
])
def test_control_characters_and_lone_surrogates_are_refused_with_a_message(folder, report, place, bad):
    data = report.to_json()
    block, key = place.split(".")
    data[block][key] = bad
    source = folder / "奇怪字符.json"
    source.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    with pytest.raises(GiappError, match="控制字符或无效字符") as e:
        read_imported(source)
    assert source.name in str(e.value)
    result = run_giapp("import", folder / "新.gireport", source)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "控制字符" in result.stderr
    assert not (folder / "新.gireport").exists()


def test_a_control_character_in_an_excel_cell_gets_a_message(folder, report):
    path = write("xlsx", report, folder / "控制字符.xlsx", DAY)
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    for row in sheet.iter_rows():
        if row[0].value == "organ.name":
            row[1].value = "某镇XCTRLX人民政府"
    book.save(path)
    repack(path, lambda name, data: data.replace(b"XCTRLX", b"&#11;"))  # a soft line break, as a reference
    with pytest.raises(GiappError) as e:
        read_imported(path)
    assert path.name in str(e.value)


def test_duplicate_keys_in_json_are_refused(folder, report):
    text = json.dumps(report.to_json(), ensure_ascii=False)
    text = text.replace(f'"year": {report.year}', f'"year": {report.year}, "year": 2020', 1)
    source = folder / "重复 键.json"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(GiappError, match="“year”出现了两次"):
        read_imported(source)


def test_in_our_own_excel_a_changed_visible_figure_is_taken_and_listed(folder, report):
    path = write("xlsx", report, folder / "改过的附表.xlsx", DAY)
    form, table, heading = next(t for t in table_sheets(report) if t[1].id == "s2")
    place = next(p for p in table.places if p.cell == "s2.rules.issued")
    book = openpyxl.load_workbook(path)
    before = report.values["s2.rules.issued"]
    book[heading[:31].replace("：", " ")].cell(place.r + FIRST_ROW, place.c + 1).value = before + 40
    book.save(path)
    got = read_excel(path)
    assert got.report.values["s2.rules.issued"] == before + 40
    listed = [n for n in got.notes if "s2" in n or "规章" in n]
    assert listed and str(before + 40) in listed[0] and str(before) in listed[0]
    others = {k: v for k, v in got.report.values.items() if k != "s2.rules.issued"}
    assert others == {k: v for k, v in report.values.items() if k != "s2.rules.issued"}


def test_an_untouched_excel_of_ours_lists_no_difference(folder, report):
    got = read_excel(write("xlsx", report, folder / "原样.xlsx", DAY))
    assert got.notes == [] and got.problems == []


@pytest.mark.parametrize("name", ["张三\u000b李四", "张\n三", "王\u0007五", "李\u2028四"])
def test_a_line_break_or_control_character_in_a_signers_name_is_refused(folder, report, name):
    with pytest.raises(GiappError, match="换行或控制字符"):
        check_people(name, "李四", "王五", "2026-01-20")
    path = folder / "签发.gireport"
    with ReportFile.create(path, report) as f:
        with pytest.raises(GiappError, match="换行或控制字符"):
            f.sign({**PEOPLE, "approver": name})
        assert f.report.status == "draft"
    result = run_giapp("sign", path, "--preparer", "张三", "--reviewer", "李四", "--approver", name)
    assert result.returncode == 2 and "换行或控制字符" in result.stderr and "Traceback" not in result.stderr
