"""Patterns that real published reports print and that were misread: six-decimal fees, a row
label with a typo or the 2019 wording, a 2019 row inside a 2021 table, heading variants, organ
details from web pages. The Word files are made by tests/clerk_files.py, not by giapp."""

from decimal import Decimal

import clerk_files
import pytest

from giapp.form import load_form
from giapp.imports.common import guess_level, level_note, organ_name, website_address
from giapp.imports.tables import nearest_label
from giapp.imports.word import read_word, section_heading
from giapp.rules import check

MAIN = load_form("gov-info-2021")


def ids(findings):
    return {f.rule for f in findings}


def test_a_published_report_with_real_patterns_reads_every_figure(folder, real_json):
    path = clerk_files.published_patterns_docx(folder / "平潭 2025 网页另存.docx", real_json)
    got = read_word(path)
    report = got.report
    assert got.problems == []
    for cid, value in real_json["values"].items():
        expected = Decimal(clerk_files.PUBLISHED_FEES) if cid == "s2.fees" else value
        assert report.values.get(cid) == expected, cid
    assert str(report.values["s2.fees"]) == "5949.088667"  # six decimals, as printed
    # the two labels read as the nearest of the form's, and said so
    guessed = [n for n in got.notes if "最接近" in n]
    assert len(guessed) == 2
    assert "“规范性文件”" in guessed[0] and "“行政规范性文件”" in guessed[0]
    assert clerk_files.PUBLISHED_TYPO_ROW[1] in guessed[1] and "“2.其他法律行政法规禁止公开”" in guessed[1]
    # organ details: no "标题：", the website as its address, a zone's 管委会 as a government, said to be guessed
    assert report.organ.name == clerk_files.PUBLISHED_ORGAN and report.year == real_json["year"]
    assert report.organ.website == clerk_files.PUBLISHED_WEBSITE
    assert report.organ.level == "county-gov"
    assert any("推断" in n and "报告信息" in n and clerk_files.PUBLISHED_ORGAN in n for n in got.notes)
    # headings: 一 run into its first sentence, 五 in other words
    assert report.texts["s1"].split("\n") == [line for line in real_json["texts"]["s1"].split("\n") if line.strip()]
    assert report.texts["s5"].split("\n") == [line for line in real_json["texts"]["s5"].split("\n") if line.strip()]
    assert report.texts["s6"] == clerk_files.PUBLISHED_S6
    # the checks hold: no blank, the fee is stated, the texts agree with the tables
    found = ids(check(report))
    assert found == {"X-carried.natural", "X-carried.total", "W-oversight"}, found


def test_a_2019_row_inside_a_2021_table_gives_one_finding(folder, real_json):
    path = clerk_files.published_patterns_docx(folder / "平潭 2025 旧表.docx", real_json, older_row=True)
    got = read_word(path)
    report = got.report
    rows = [p for p in got.problems if "（六）其他处理" in p]
    assert len(rows) == 1 and "2019年格式" in rows[0] and "总计159" in rows[0]
    assert not any("按空白导入" in p for p in got.problems)
    assert all(report.values.get(f"s3.r6_{k}.{c}") is None for k in (1, 2, 3) for c in ("natural", "total"))
    findings = {f.rule: f for f in check(report)}
    assert "W-older-layout" in findings and "W-blank" not in findings
    assert not any(r.startswith("R3-") for r in findings)  # r7 cannot be checked against rows never printed
    assert "18个单元格" in findings["W-older-layout"].message
    # once the clerk types the three rows, the finding goes and the sums are checked again
    for k in (1, 2, 3):
        for c in ("natural", "commercial", "research", "social", "legal", "other"):
            report.set_value(f"s3.r6_{k}.{c}", real_json["values"][f"s3.r6_{k}.{c}"])
    assert not any(r.startswith(("R3-", "W-older-layout", "W-blank")) for r in ids(check(report)))
    report.set_value("s3.r6_3.natural", 0)  # a typing slip: r7 recomputes, the balance no longer holds
    assert "R3-balance.natural" in ids(check(report))


@pytest.mark.parametrize("printed, expected", [
    ("规范性文件", "行政规范性文件"),  # the 2019 wording
    ("其他法律行政止公开", "其他法律行政法规禁止公开"),  # 法规禁 missing
    ("本机关不掌握相关政府信", "本机关不掌握相关政府信息"),
    ("行政许罚", None),  # as near to 行政许可 as to 行政处罚: not guessed
    ("政府网站建设情况", None),  # far from every label
    ("规章制", None),  # too short to guess
])
def test_nearest_label_only_when_clearly_one(printed, expected):
    from giapp.imports.tables import core

    labels = {core(p.text) for t in MAIN.tables.values() for p in t.places if p.text}
    assert nearest_label(printed, labels) == expected


@pytest.mark.parametrize("text, expected", [
    ("五、存在的主要问题及整改措施", ("s5", "")),
    ("五、存在的主要问题和改进措施", ("s5", "")),
    ("一、工作总体情况", ("s1", "")),
    ("三、收到和处理政府信息公开申请的情况", ("s3", "")),
    ("六、其他需要报告事项", ("s6", "")),
    ("一、总体情况2024年，我区认真贯彻落实《条例》。", ("s1", "2024年，我区认真贯彻落实《条例》。")),
    ("一、总体情况：2024年，我区认真贯彻落实《条例》。", ("s1", "2024年，我区认真贯彻落实《条例》。")),
    ("主动公开政府信息情况", ("s2", "")),
    # a report's own numbering of its sub-headings is not a section
    ("二、工作机制保障", None),
    ("三、主动公开工作情况", None),
    ("五、政府信息管理", None),
    ("六、政府信息公开平台建设", None),
    ("（五）存在的主要问题及整改措施", None),
    ("二是主动公开政府信息情况良好。", None),
])
def test_section_headings_as_real_reports_print_them(text, expected):
    assert section_heading(text, MAIN) == expected


@pytest.mark.parametrize("name, level", [
    ("平潭综合实验区管委会", "county-gov"),
    ("济宁高新区管委会", "county-gov"),
    ("某某经济技术开发区管理委员会", "county-gov"),
    ("福建省平潭综合实验区管理委员会", "city-gov"),
    ("小孟镇", "township"),
    ("济宁市兖州区小孟镇人民政府", "township"),
    ("沭阳县人民政府", "county-gov"),
    ("沭阳县发展和改革局", "county-dept"),
    ("鼓楼街道办事处", "street"),
])
def test_levels_guessed_with_care(name, level):
    assert guess_level(name) == level
    assert "请在“报告信息”中核对" in level_note(name, level)


def test_organ_details_as_web_pages_print_them():
    assert organ_name("标题：平潭综合实验区管委会") == "平潭综合实验区管委会"
    assert organ_name("索引号：001 发布机构：平潭 标题：平潭综合实验区管委会") == "平潭综合实验区管委会"
    assert organ_name("沭阳县人民政府") == "沭阳县人民政府"
    assert website_address("平潭综合实验区门户网站（www.pingtan.gov.cn）") == "www.pingtan.gov.cn"
    assert website_address("市科委网站（https://stcsm.sh.gov.cn）") == "https://stcsm.sh.gov.cn"
    assert website_address("县政府门户网站") == "县政府门户网站"


def test_a_row_whose_nearest_label_is_printed_too_is_not_guessed(folder, real_json):
    """When the table prints the form's label as well, an odd row near it is another row, not a typo."""
    from giapp.imports.tables import Grid, read_table

    table = MAIN.tables["s2"]
    texts = [["第二十条第（一）项"] * 4, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             ["规章", "0", "0", "0"], ["行政规范性文件", "6", "1", "32"], ["规范性文件", "7", "7", "7"]]
    grid = Grid("表", texts, [[r * 10 + (0 if r == 0 else c) for c in range(4)] for r in range(len(texts))])
    got = read_table(grid, MAIN, table)
    assert got.values["s2.normative.in_force"] == 32 and not got.notes
    assert sum("对应不到" in p for p in got.problems) == 3
    texts.pop(3)
    grid = Grid("表", texts, [[r * 10 + (0 if r == 0 else c) for c in range(4)] for r in range(len(texts))])
    got = read_table(grid, MAIN, table)
    assert got.values["s2.normative.in_force"] == 7 and len(got.notes) == 1 and not got.problems
