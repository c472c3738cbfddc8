"""Real reports as offices published them on their sites, kept in tests/data/ with their source
inside the file: the import reads every printed figure into its cell, lists what it could not
read (nothing here), keeps the site's frame out of the texts, and every rule gives exactly the
findings that are true of the printed report."""

import json
import shutil

import pytest
from conftest import DATA, run_giapp

from giapp.form import load_form
from giapp.imports.word import section_heading
from giapp.inputs import read_imported
from giapp.report import LastYear
from giapp.rules import check

FORMAT = "识别为：中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）"
COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")
FGJ = DATA / "real-2023-shuyang-fgj.html"

# 沭阳县发展和改革局 2023, every figure as the page prints it
FGJ_TABLE_2 = {"s2.rules.issued": 0, "s2.rules.repealed": 0, "s2.rules.in_force": 0,
               "s2.normative.issued": 8, "s2.normative.repealed": 0, "s2.normative.in_force": 18,
               "s2.licensing": 0, "s2.penalty": 0, "s2.coercion": 0, "s2.fees": 0}
# table 三: the page prints 自然人 and 总计 only; the five columns between are left blank
FGJ_TABLE_3 = {"new": (26, 26), "carried": (0, 0), "r1": (26, 26), "r2": (0, 0),
               **{f"r3_{i}": (0, 0) for i in range(1, 9)}, **{f"r4_{i}": (0, 0) for i in range(1, 4)},
               **{f"r5_{i}": (0, 0) for i in range(1, 6)}, **{f"r6_{i}": (0, 0) for i in range(1, 4)},
               "r7": (26, 26), "next": (0, 0)}
FGJ_TABLE_4 = {"review": (0, 0, 0, 1, 1), "direct": (0, 0, 0, 0, 0), "after_review": (0, 0, 0, 0, 0)}
FGJ_S1 = [
    "2023年，县发展和改革局认真贯彻执行省、市、县有关文件精神，不断强化依法公开理念，完善配套制度规范，积极开展各项政务信息公开工作，"
    "不断拓展政府信息公开的内容，取得了良好的效果。",
    "（一）主动公开政府信息情况",
    "2023年，我局严格审签程序，全力做好政府信息公开工作。全年共审核发布各类公开政府信息249条，其中：发布行政公文和政策解读信息9条；"
    "机构设置和人事任免信息7条；重点工作39条；财政预决算信息6条；信息公开年度报告1条；政府信息公开指南1条；政府网站信息185条；"
    "政府信息公开制度1条。全年受理网络问政182件。",
    "（二）依申请公开政府信息情况",
    "2023年度我局共收到依申请信息公开26件，及时回复申请人，并将申请人所申请的信息通过电子邮箱发送给申请人",
    "（三）完善公开制度规范，加强政府信息管理",
    "我局所有发布信息均按照“先审查、后公开，谁提供、谁审核、谁负责”的原则，执行三级审核制度，明确保密审查职责分工及责任追究，"
    "从制度上保证了公开信息的准确性、权威性、完整性和时效性。",
    "（四）加强平台建设，扩展公开渠道",
    "为确保部门网站网络信息安全平稳运行，我局定期对政务信息进行自查，确保应公开尽公开。规范政务信息公开工作流程。各科室起草的拟主动公开的"
    "政务信息，经过内部审批流程后，由局办公室进行保密及公开属性审查，报局分管领导和局长审批核准。提高网站信息更新频率。"
    "全年未发生政府信息公开方面责任追究结果情况。",
    "（五）及时回应关切，自觉接受监督",
    "不断完善公共诉求服务相关工作，根据来件内容由对应业务科室专人负责受理回复公共诉求系统相关来件，按时办结，全力做好政务舆情收集和回应管理。"
    "2023年，我局承办的县人大建议和政协提案办理满意率为100%，办理结果按时在本部门网站主动公开，自觉接受代表、委员和社会的监督。",
]
FGJ_S5 = [
    "（一）存在的主要问题。各科室人员信息公开意识有所松懈，部门文件、新政策发布及解读工作主动性不强；政民互动栏目网民留言回复效率有待提高；"
    "信息公开队伍专业化能力建设有待进一步提升。",
    "（二）整改措施。为进一步规范并加大政府信息公开工作，2023年我局加大贯彻落实新《条例》和有关文件精神的工作力度，一是完善主动公开信息联动机制，"
    "增强全体干部职工政府信息主动公开主动性和时效性，提高机关信息工作人员的业务水平和能力。二是进一步加强平台建设，加大新媒体公开政府信息的力度，"
    "丰富新媒体政务信息公开工作的形式，更好地服务民生，服务公众。",
]
FGJ_S6 = ["2023年度，县发展和改革局政府信息公开未发生收费情况。"]


def fgj_expected() -> dict:
    values = dict(FGJ_TABLE_2)
    for row, (natural, total) in FGJ_TABLE_3.items():
        values.update({f"s3.{row}.{c}": None for c in COLS})
        values[f"s3.{row}.natural"], values[f"s3.{row}.total"] = natural, total
    for row, figures in FGJ_TABLE_4.items():
        values.update(dict(zip((f"s4.{row}.{c}" for c in ("upheld", "corrected", "other", "pending", "total")),
                               figures)))
    return values


def rules(report) -> set[str]:
    return {f.rule for f in check(report)}


@pytest.fixture
def fgj_page(folder):
    """The saved page where a clerk keeps it: a name with Chinese characters and spaces."""
    return shutil.copy(FGJ, folder / "沭阳县发改局 2023年 年报.html")


def test_the_fixture_is_the_real_page_with_its_source():
    text = FGJ.read_text(encoding="utf-8")
    assert "zxj6827111-blip/KIROGOVCOMPARE" in text and "4f01c10d5c244be54ef2655701d3634c7d8e45fe" in text
    assert "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml" in text
    # the page as published: Word markup pasted into the site's editor, the site's frame around it
    assert text.count("<o:p>") > 300 and 'rowspan="22"' in text and "繁體版" in text and "索引号" in text


def test_every_printed_figure_is_placed_and_nothing_is_left_unread(fgj_page):
    got = read_imported(fgj_page)
    assert got.summary() == [
        FORMAT,
        "说明：机关层级按名称“沭阳县发展和改革局”推断为县级人民政府部门，请在“报告信息”中核对",
        "说明：二、主动公开政府信息情况：行“规范性文件”与格式中的行名不完全相同，按最接近的“行政规范性文件”读入，请核对",
    ]  # no "未能读取": every cell and paragraph of the report was read
    report = got.report
    assert (report.format, report.annex, report.year) == ("gov-info-2021", None, 2023)
    cells = load_form("gov-info-2021").cells
    expected = fgj_expected()
    assert set(expected) == set(cells)
    for cid in cells:  # cell by cell, as printed (a blank stays blank, not 0)
        assert report.values.get(cid) == expected[cid], cid


def test_organ_and_texts_as_printed_without_the_sites_frame(fgj_page):
    report = read_imported(fgj_page).report
    assert (report.organ.name, report.organ.level) == ("沭阳县发展和改革局", "county-dept")
    assert report.organ.address == "沭阳县沭城街道苏州东路42号"
    assert report.organ.phone == "0527—83593059"  # as printed
    assert report.organ.website == "http://www.shuyang.gov.cn"  # from "通过沭阳县人民政府网站（http://…/）公布"
    # 一's own parts repeat section names ("（一）主动公开政府信息情况"): they stay in 一
    assert set(report.texts) == {"s1", "s5", "s6"}
    assert report.texts["s1"].split("\n") == FGJ_S1
    assert report.texts["s5"].split("\n") == FGJ_S5
    assert report.texts["s6"].split("\n") == FGJ_S6
    everything = json.dumps(report.texts, ensure_ascii=False)
    for frame in ("繁體版", "智能问答", "索引号", "014314799", "沭阳县发改局", "2024年1月17日", "星期", "以下简称"):
        assert frame not in everything, frame


def test_every_rule_gives_exactly_the_true_findings(fgj_page):
    report = read_imported(fgj_page).report
    found = {f.rule: f for f in check(report)}
    # true of the page: 120 cells of table 三 are printed blank (blank is not 0)
    assert set(found) == {"W-blank"}
    assert "有120个单元格未填写" in found["W-blank"].message
    for cid, value in list(report.values.items()):
        if value is None:
            report.values[cid] = 0
    assert rules(report) == set()  # the sums hold, the texts agree with the tables, 六 states the fees
    v = report.values
    last = {f"s3.next.{c}": v[f"s3.carried.{c}"] for c in COLS}
    for kind in ("rules", "normative"):
        last[f"s2.{kind}.in_force"] = v[f"s2.{kind}.in_force"] - v[f"s2.{kind}.issued"] + v[f"s2.{kind}.repealed"]
    report.last_year = LastYear("上年.html", 2022, report.organ.name, "0" * 64, last, {})
    assert rules(report) == set()  # and so do the cross-year rules, against a consistent last year


def test_a_figure_printed_wrong_on_the_page_is_found(fgj_page):
    """Both ways on the real page: one cell changed in the file breaks exactly its sums."""
    text = fgj_page.read_text(encoding="utf-8")
    cell = '<span style="font-family: 微软雅黑;">26</span>'
    assert text.count(cell) == 6  # 一、本年新收, （一）予以公开, （七）总计: 自然人 and 总计 each
    third = text.find(cell, text.find(cell, text.find(cell) + 1) + 1)  # （一）予以公开 · 自然人
    wrong = fgj_page.with_name("印错的 年报.html")
    wrong.write_text(text[:third] + cell.replace("26", "25") + text[third + len(cell):], encoding="utf-8")
    report = read_imported(wrong).report
    assert report.values["s3.r1.natural"] == 25
    assert rules(report) - {"W-blank"} == {"R3-rowtotal.r1", "R3-results.natural"}


def test_the_text_versus_table_rule_on_this_real_text(fgj_page):
    report = read_imported(fgj_page).report
    assert "W-text-table.new" not in rules(report)
    report.values["s3.new.total"] = 25  # the text says 共收到依申请信息公开26件
    found = {f.rule: f for f in check(report)}
    assert "W-text-table.new" in found
    assert "共收到依申请信息公开26件" in found["W-text-table.new"].message and "25" in found["W-text-table.new"].message


def test_check_and_import_on_the_command_line(fgj_page, folder):
    result = run_giapp("check", fgj_page, "--json")
    assert result.returncode == 0, result.stderr  # a warning, no error
    out = json.loads(result.stdout)
    assert out[0]["read_problems"] == [] and {f["rule"] for f in out[0]["findings"]} == {"W-blank"}
    target = folder / "发改局 2023.gireport"
    result = run_giapp("import", target, fgj_page)
    assert result.returncode == 0, result.stderr
    assert "识别为" in result.stdout and "未能读取" not in result.stdout
    data = json.loads(run_giapp("dump", target).stdout)
    assert (data["organ"]["name"], data["year"]) == ("沭阳县发展和改革局", 2023)
    assert {cid: data["values"].get(cid) for cid in fgj_expected()} == fgj_expected()


def test_a_part_of_one_that_repeats_a_sections_name_is_no_section_heading():
    form = load_form("gov-info-2021")
    assert section_heading("（一）主动公开政府信息情况", form) is None
    assert section_heading("1.主动公开政府信息情况", form) is None
    assert section_heading("(二)依申请公开政府信息情况", form) is None
    assert section_heading("二、主动公开政府信息情况", form) == ("s2", "")
    assert section_heading("主动公开政府信息情况", form) == ("s2", "")
    assert section_heading("（二）主动公开政府信息情况", form) == ("s2", "")  # numbered as its section
    assert section_heading("三、收到和处理政府信息公开申请情况", form) == ("s3", "")
    assert section_heading("五、存在的主要问题及整改措施", form) == ("s5", "")


def test_a_paragraph_under_a_table_section_is_listed_not_lost(fgj_page, folder):
    """Some sites print a sentence under 二's heading ("该部分以表格形式报告。表格如下：", as on
    www.xjnlk.gov.cn's 2023 report of a 镇): it is no text of the report (二 is a table) and is
    listed as not read; the report is still imported."""
    text = fgj_page.read_text(encoding="utf-8")
    heading = "二、主动公开政府信息情况</font></span>"
    at = text.index("</p>", text.index(heading)) + len("</p>")
    page = fgj_page.with_name("加了说明的 年报.html")
    page.write_text(text[:at] + "\n<p>该部分以表格形式报告。表格如下：</p>" + text[at:], encoding="utf-8")
    got = read_imported(page)
    assert got.problems == ["二、主动公开政府信息情况中的段落“该部分以表格形式报告。表格如下：”未导入（这一部分是表格）"]
    assert set(got.report.texts) == {"s1", "s5", "s6"}
    assert {cid: got.report.values.get(cid) for cid in fgj_expected()} == fgj_expected()
    target = folder / "加了说明.gireport"
    result = run_giapp("import", target, page)
    assert result.returncode == 0, result.stderr
    assert "未能读取：二、主动公开政府信息情况中的段落" in result.stdout


# ---- 上海市人民政府办公厅 2025, made into a web page from a text copy of the published PDF

OFFICE = DATA / "real-2025-shanghai-office.html"
OFFICE_JSON = DATA / "real-2025-shanghai-office.json"  # the same report, figures checked against its source
OFFICE_NOTES = [
    FORMAT,
    "说明：没有找到“五、存在的主要问题及改进情况”的标题：四、政府信息公开行政复议、行政诉讼情况之后的7段按这一部分读入，请核对",
    "说明：机关层级按名称“上海市人民政府办公厅”推断为市级人民政府部门，请在“报告信息”中核对",
    "说明：第1个表格 二、主动公开政府信息情况 · 规章 · 本年废止件数：“22（其中修订16件）”读为 22，括号内的“其中修订16件”未导入（可写入说明）",
    "说明：第1个表格 二、主动公开政府信息情况 · 行政规范性文件 · 本年废止件数：“55（含自然失效29件）”读为 55，"
    "括号内的“含自然失效29件”未导入（可写入说明）",
    "未能读取：四、政府信息公开行政复议、行政诉讼情况中的段落“注：行政复议、行政诉讼数量含上年度结转数量。”未导入（这一部分是表格）",
]


@pytest.fixture
def office_page(folder):
    return shutil.copy(OFFICE, folder / "上海市政府办公厅 2025年 年报.html")


def test_a_year_first_title_a_missing_heading_and_remarks_in_cells(office_page):
    """The title prints the year first; 五's text follows table 四 without "五、…"; two cells of
    table 二 carry a remark in brackets: every figure is placed, what is left out is said."""
    expected = json.loads(OFFICE_JSON.read_text(encoding="utf-8"))
    assert "zxj6827111-blip/KIROGOVCOMPARE" in OFFICE.read_text(encoding="utf-8")
    got = read_imported(office_page)
    assert got.summary() == OFFICE_NOTES
    report = got.report
    assert (report.organ.name, report.organ.level, report.year) == ("上海市人民政府办公厅", "city-dept", 2025)
    assert report.organ.website == "www.shanghai.gov.cn"
    for cid in load_form("gov-info-2021").cells:
        assert report.values.get(cid) == expected["values"][cid], cid
    assert report.texts == expected["texts"]
    assert rules(report) == set(expected["findings_true"])  # only: 上年结转 not linked to last year


def test_a_heading_for_five_after_the_note_takes_its_text(office_page):
    """Both ways: with "五、…" printed after table 四's note, 五 is read under its heading and the
    note alone is listed."""
    text = office_page.read_text(encoding="utf-8")
    at = text.index("<p>（一）2024年工作中存在问题的改进情况</p>")
    office_page.write_text(text[:at] + "<p>五、存在的主要问题及改进情况</p>\n" + text[at:], encoding="utf-8")
    got = read_imported(office_page)
    assert got.summary() == [line for line in OFFICE_NOTES if "没有找到" not in line]
    expected = json.loads(OFFICE_JSON.read_text(encoding="utf-8"))
    assert got.report.texts == expected["texts"]


def test_titles_year_first_and_remarks_in_cells_as_real_reports_print_them():
    from giapp.imports.common import TITLE
    from giapp.values import split_remark

    assert TITLE.match("2025年上海市人民政府办公厅政府信息公开工作年度报告") == {"organ": "上海市人民政府办公厅", "year": "2025"}
    assert TITLE.match("2024年上海市科委政府信息公开工作年度报告") == {"organ": "上海市科委", "year": "2024"}
    assert TITLE.match("沭阳县人民政府2025年政府信息公开工作年度报告") == {"organ": "沭阳县人民政府", "year": "2025"}
    assert TITLE.match("2025年度政府信息公开工作年度报告") == {"organ": "", "year": "2025"}  # the organ on the line above
    assert TITLE.match("2025年1月1日至12月31日") is None
    assert split_remark("22（其中修订16件）") == ("22", "其中修订16件")
    assert split_remark("55 (含自然失效29件)") == ("55", "含自然失效29件")
    assert split_remark("22(3)") == ("22(3)", "") and split_remark("（一）予以公开") == ("（一）予以公开", "")


# ---- 上海市科委 2024, made into a web page from a text copy of the published PDF

KEWEI = DATA / "real-2024-shanghai-kewei.html"
KEWEI_JSON = DATA / "real-2024-shanghai-kewei.json"
# the office numbers the parts of its 总体情况 二 … 六 and its tables 一 … 三 (the JSON fixture shows the parts as （一）…)
KEWEI_PARTS = {"（一）工作机制保障": "二、工作机制保障", "（二）主动公开工作情况": "三、主动公开工作情况",
               "（三）政府信息公开申请情况": "四、政府信息公开申请情况", "（四）政府信息管理": "五、政府信息管理",
               "（五）政府信息公开平台建设": "六、政府信息公开平台建设"}


def test_an_office_that_numbers_its_own_parts_and_tables(folder):
    """Parts of 一 numbered 二 … 六 stay in 一; the tables under 一、二、三 are found by their
    headings; 五's text without a heading is read as 五; no sum is called wrong for a 总计 printed
    blank."""
    expected = json.loads(KEWEI_JSON.read_text(encoding="utf-8"))
    assert "zxj6827111-blip/KIROGOVCOMPARE" in KEWEI.read_text(encoding="utf-8")
    got = read_imported(shutil.copy(KEWEI, folder / "上海市科委 2024年 年报.html"))
    assert got.summary() == [
        FORMAT,
        "说明：没有找到“五、存在的主要问题及改进情况”的标题：四、政府信息公开行政复议、行政诉讼情况之后的5段按这一部分读入，请核对",
        "说明：机关层级按名称“上海市科委”推断为市级人民政府部门，请在“报告信息”中核对",
        "说明：二、主动公开政府信息情况：行“规范性文件”与格式中的行名不完全相同，按最接近的“行政规范性文件”读入，请核对",
    ]
    report = got.report
    assert (report.organ.name, report.year, report.organ.website) == ("上海市科委", 2024, "https://stcsm.sh.gov.cn")
    printed = dict(expected["values"], **{"s3.next.total": None})  # the copy prints no 总计 for 四
    for cid in load_form("gov-info-2021").cells:
        assert report.values.get(cid) == printed[cid], cid
    s1 = [KEWEI_PARTS.get(line, line) for line in expected["texts"]["s1"].split("\n")]
    assert report.texts["s1"].split("\n") == s1
    assert (report.texts["s5"], report.texts["s6"]) == (expected["texts"]["s5"], expected["texts"]["s6"])
    # a 总计 left blank is not given (as in a detail row): no "R3-balance.total 相差1" for it
    assert rules(report) == set(expected["findings_true"])
    report.values["s3.next.total"] = 1  # as the PDF prints it (34 + 2 = 35 + 1)
    assert rules(report) == set(expected["findings_true"])
    report.values["s3.next.total"] = 2  # and a 总计 printed wrong is an error again
    assert {"R3-balance.total", "R3-rowtotal.next"} <= rules(report)


def test_the_county_office_checks_the_real_pages_at_once(folder):
    """`giapp check` on several published pages: each one's findings are the true ones."""
    pages = [shutil.copy(src, folder / name) for src, name in (
        (FGJ, "发改局 2023.html"), (OFFICE, "市政府办公厅 2025.html"), (KEWEI, "市科委 2024.html"))]
    result = run_giapp("check", *pages, "--json")
    assert result.returncode == 0, result.stderr  # warnings only: no page has a wrong sum
    out = json.loads(result.stdout)
    office = json.loads(OFFICE_JSON.read_text(encoding="utf-8"))["findings_true"]
    kewei = json.loads(KEWEI_JSON.read_text(encoding="utf-8"))["findings_true"]
    assert [{f["rule"] for f in o["findings"]} for o in out] == [{"W-blank"}, set(office), set(kewei)]
    assert [len(o["read_problems"]) for o in out] == [0, 1, 0]  # the office's note under table 四
