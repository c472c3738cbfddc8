"""Reading last year's report: our own exports exactly, other people's Word and Excel files by
their labels, and refusing files that are damaged, disguised or hostile."""

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
import clerk_files
from conftest import run_giapp

from giapp.errors import GiappError
from giapp.export import write
from giapp.imports.excel import read_excel
from giapp.imports.word import read_word
from giapp.inputs import read_imported
from giapp.report import Report
from giapp.rules import check

DAY = date(2026, 1, 23)


@pytest.fixture
def full(real_json, demo_json) -> Report:
    report = Report.from_json(real_json)
    report.annex = "annex-stats"
    report.values.update({k: v for k, v in Report.from_json(demo_json).values.items() if k.startswith("a.")})
    return report


def all_values(report: Report) -> dict:
    return {cid: report.values.get(cid) for form in report.forms() for cid in form.cells}


def test_our_word_export_reads_back_exactly(full, folder):
    got = read_word(write("docx", full, folder / "沭阳 2025.docx", DAY))
    assert all_values(got.report) == all_values(full)
    assert got.problems == []
    assert (got.report.organ.name, got.report.year, got.report.annex) == ("沭阳县人民政府", 2025, "annex-stats")
    assert got.report.organ.address == full.organ.address and got.report.organ.phone == full.organ.phone
    assert got.report.organ.website == full.organ.website and got.report.organ.level == "county-gov"
    assert {k: got.report.texts[k] for k in full.texts} == full.texts


def test_our_word_export_of_the_demo_keeps_the_items_of_six(demo_json, folder):
    demo = Report.from_json(demo_json)
    got = read_word(write("docx", demo, folder / "小孟镇.docx", DAY))
    assert got.report.texts == {k: v for k, v in demo.texts.items() if v}
    assert got.report.settings["s6_items"] == demo.settings["s6_items"]
    assert got.problems == []


def test_our_excel_export_reads_back_exactly(full, folder):
    full.texts["s5"] = "=1+1 不是公式"
    full.explanations["W-oversight"] = "已说明"
    got = read_excel(write("xlsx", full, folder / "附表.xlsx", DAY))
    assert got.report.to_json() == full.to_json()
    assert got.problems == []


def test_excel_without_its_data_sheet_is_read_by_labels(full, folder):
    import openpyxl

    path = write("xlsx", full, folder / "附表.xlsx", DAY)
    book = openpyxl.load_workbook(path)
    del book["giapp数据"]
    book.save(path)
    got = read_excel(path)
    assert all_values(got.report) == all_values(full)
    assert (got.report.organ.name, got.report.year) == ("沭阳县人民政府", 2025)
    assert any("公式未经 Excel 计算" in n for n in got.notes)


def test_check_on_a_word_report_reports_what_is_printed(full, folder):
    full.values["s3.r1.natural"] = 300  # printed wrong: the total no longer adds up
    path = write("docx", full, folder / "印错的.docx", DAY)
    findings = {f.rule for f in check(read_imported(path).report)}
    assert {"R3-results.natural", "R3-rowtotal.r1"} <= findings
    result = run_giapp("check", path, "--json")
    assert result.returncode == 1
    [out] = json.loads(result.stdout)
    assert "R3-results.natural" in {f["rule"] for f in out["findings"]} and out["read_problems"] == []


def test_new_from_last_year_word_report(full, folder):
    source = write("docx", full, folder / "上年 报告.docx", DAY)
    target = folder / "本年.gireport"
    result = run_giapp("new", target, "--from", source)
    assert result.returncode == 0, result.stderr
    assert "识别为" in result.stdout
    data = json.loads(run_giapp("dump", target).stdout)
    assert data["year"] == 2026 and data["organ"]["name"] == "沭阳县人民政府"
    assert data["values"]["s3.carried.natural"] == full.values["s3.next.natural"]
    assert data["last_year"]["file"] == "上年 报告.docx" and data["annex"] == "annex-stats"
    assert data["texts"]["s1"] == full.texts["s1"] and data["settings"]["from_last_year"]


def test_import_lists_what_it_could_not_read(full, folder):
    from docx import Document

    path = write("docx", full, folder / "改过的.docx", DAY)
    word = Document(str(path))
    s3 = word.tables[1]
    s3.cell(3, 3).paragraphs[0].runs[0].text = "七百零五"  # words in a number cell
    s3.cell(4, 4).paragraphs[0].runs[0].text = "-3"
    word.add_table(rows=2, cols=2).cell(0, 0).text = "与报告无关的表格"
    word.save(str(path))
    got = read_word(path)
    assert got.report.values.get("s3.new.natural") is None  # not guessed
    assert got.report.values.get("s3.carried.commercial") is None
    text = "\n".join(got.problems)
    assert "本年新收政府信息公开申请数量 · 自然人" in text  # the word, reported as not found
    assert "负数" in text and "商业企业" in text
    assert "与报告无关的表格" in text


# ---- files that are not what they say, damaged or hostile


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"%PDF-1.4 not a word file"), "不是Word 文档"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "旧版"),
    (lambda p: p.write_bytes(b""), "不是Word 文档"),
    (lambda p: _zip(p, {"hello.txt": b"hi"}), "缺少 word/document.xml"),
    (lambda p: _zip(p, {"word/document.xml": b"\0" * (60 * 1024 * 1024)}), "压缩比异常"),
    (lambda p: _zip(p, {"word/document.xml": b"<?xml version='1.0'?><!DOCTYPE d [<!ENTITY a 'aaaa'>]><d>&a;</d>"}),
     "实体声明"),
])
def test_hostile_or_broken_word_files_are_refused(folder, make, message):
    path = folder / "上年 报告.docx"
    make(path)
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(GiappError) as e:
        read_word(path)
    assert message in str(e.value) and path.name in str(e.value)
    result = run_giapp("new", folder / "新.gireport", "--from", path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before


def test_too_much_when_unpacked_is_refused(folder):
    import os

    chunk = os.urandom(16 * 1024) * 64  # 1 MB packing to some 17 KB: each part looks harmless
    path = folder / "很大.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w/>")
        for i in range(110):
            z.writestr(f"word/media/image{i}.bin", chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(GiappError, match="解压后超过"):
        read_word(path)


def test_zip_bomb_ratio_is_refused(folder):
    path = _zip(folder / "炸弹.xlsx", {"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b" " * (30 * 1024 * 1024)})
    with pytest.raises(GiappError, match="压缩比异常"):
        read_excel(path)


def test_truncated_word_file_is_refused(full, folder):
    path = write("docx", full, folder / "截断.docx", DAY)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(GiappError, match="截断.docx"):
        read_word(path)


def test_a_word_file_that_is_not_a_report(folder):
    path = clerk_files.not_a_report_docx(folder / "会议 通知.docx")
    with pytest.raises(GiappError, match="不是政府信息公开工作年度报告"):
        read_word(path)
    result = run_giapp("check", path)
    assert result.returncode == 2 and "不是政府信息公开工作年度报告" in result.stdout


# ---- files as clerks make them (tests/clerk_files.py), not as our exporter writes them


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def test_the_example_report_as_its_word_file(folder, demo_json):
    got = read_word(clerk_files.example_docx(folder / "小孟镇 2021年报告.docx"))
    demo = Report.from_json(demo_json)
    assert got.problems == []
    assert (got.report.organ.name, got.report.year, got.report.organ.level) == ("济宁市兖州区小孟镇人民政府", 2021, "township")
    assert got.report.organ.address == "济宁市兖州区小孟镇府前路49号" and got.report.organ.phone == "0537-3842211"
    assert all_values(got.report) == all_values(demo)
    for key in ("s1", "s5", "s6.1", "s6.3", "s6.4", "s6.7"):
        assert lines(got.report.texts[key]) == lines(demo.texts[key]), key
    findings = check(got.report)
    assert {(f.rule, f.severity) for f in findings} == {
        ("A-sum.channels", "error"), ("A-sum.visitors", "error"), ("A-unique.pub", "warning")}


def test_another_clerks_template_with_split_table_blanks_and_odd_digits(folder, real_json):
    path = clerk_files.other_template_docx(folder / "沭阳 他人模板.docx", real_json)
    got = read_word(path)
    assert got.problems == []
    assert (got.report.organ.name, got.report.year) == ("沭阳县人民政府", 2025)
    blank = set(clerk_files.BLANK_MARKED) | set(clerk_files.TOTAL_LEFT_BLANK)
    for cid, value in real_json["values"].items():
        expected = None if cid in blank else value
        assert got.report.values.get(cid) == expected, cid
    assert got.report.values["s3.new.natural"] == 705 and got.report.values["s2.licensing"] == 517645
    assert str(got.report.values["s2.fees"]) == "4068.208"
    findings = check(got.report)
    assert not [f for f in findings if f.severity == "error"]  # totals left blank are "not given"
    blank_finding = next(f for f in findings if f.rule == "W-blank")
    assert set(blank_finding.cells) == set(clerk_files.BLANK_MARKED)
    assert lines(got.report.texts["s1"]) == lines(real_json["texts"]["s1"])


def test_a_2019_format_report_gives_its_carry_over(folder):
    path = clerk_files.format_2019_docx(folder / "2020年 报告.docx")
    got = read_word(path)
    assert "2019" in got.format_name
    assert {k: v for k, v in got.report.values.items() if v is not None} == clerk_files.FORMAT_2019_NEXT
    assert got.report.texts["s1"] and got.report.texts["s5"]
    target = folder / "2021.gireport"
    assert run_giapp("new", target, "--from", path).returncode == 0
    data = json.loads(run_giapp("dump", target).stdout)
    assert data["year"] == 2021
    carried = {k: v for k, v in data["values"].items() if k.startswith("s3.carried.")}
    assert carried == {k.replace("next", "carried"): v for k, v in clerk_files.FORMAT_2019_NEXT.items()}


def test_someone_elses_excel_sheets_by_their_labels(folder, real_json):
    got = read_excel(clerk_files.official_layout_xlsx(folder / "别人的 附表.xlsx", real_json))
    assert got.problems == []
    assert (got.report.organ.name, got.report.year) == ("沭阳县人民政府", 2025)
    for cid, value in real_json["values"].items():
        assert got.report.values.get(cid) == value, cid


def test_a_report_from_before_2019_gives_its_texts_only(folder):
    from docx import Document

    word = Document()
    for text in ["某某镇人民政府2017年政府信息公开工作年度报告", "本报告依据《中华人民共和国政府信息公开条例》编制。",
                 "一、概述", "2017年，我镇认真贯彻条例。", "二、主动公开政府信息的情况", "全年主动公开信息120条。",
                 "三、依申请公开政府信息的情况", "全年未收到申请。", "四、政府信息公开的收费及减免情况", "未收取任何费用。",
                 "五、因政府信息公开申请提起行政复议、行政诉讼的情况", "无。",
                 "六、政府信息公开工作存在的主要问题及改进情况", "公开形式较单一。", "七、其他需要报告的事项", "无"]:
        word.add_paragraph(text)
    table = word.add_table(rows=3, cols=3)
    for r, row in enumerate([["统计指标", "单位", "统计数"], ["（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "120"],
                             ["三、开通政府信息公开网站（或设立门户网站信息公开专栏）数", "个", "1"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    word.save(str(folder / "2017.docx"))
    got = read_word(folder / "2017.docx")
    assert "2019年以前" in got.format_name
    assert (got.report.organ.name, got.report.year) == ("某某镇人民政府", 2017)
    assert "认真贯彻条例" in got.report.texts["s1"] and "公开形式较单一" in got.report.texts["s5"]
    assert all(v is None for v in got.report.values.values())  # its numbers do not carry over
