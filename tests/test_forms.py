"""The forms in forms/*.json: valid against their schema, complete against the spec, drawable."""

import json
import re

import jsonschema
import pytest
from conftest import ROOT, SPEC

from giapp.form import available_forms, load_form

FORMS = ROOT / "forms"

# From shared/spec/format-2021.md, written out here by hand so that the forms are checked
# against the spec and not against themselves.
S3_COLS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
           "legal": "法律服务机构", "other": "其他", "total": "总计"}
S3_ROWS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried": "二、上年结转政府信息公开申请数量",
    "r1": "（一）予以公开",
    "r2": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "r3_1": "1.属于国家秘密", "r3_2": "2.其他法律行政法规禁止公开", "r3_3": "3.危及“三安全一稳定”",
    "r3_4": "4.保护第三方合法权益", "r3_5": "5.属于三类内部事务信息", "r3_6": "6.属于四类过程性信息",
    "r3_7": "7.属于行政执法案卷", "r3_8": "8.属于行政查询事项",
    "r4_1": "1.本机关不掌握相关政府信息", "r4_2": "2.没有现成信息需要另行制作", "r4_3": "3.补正后申请内容仍不明确",
    "r5_1": "1.信访举报投诉类申请", "r5_2": "2.重复申请", "r5_3": "3.要求提供公开出版物",
    "r5_4": "4.无正当理由大量反复申请", "r5_5": "5.要求行政机关确认或重新出具已获取信息",
    "r6_1": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "r6_2": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "r6_3": "3.其他",
    "r7": "（七）总计",
    "next": "四、结转下年度继续办理",
}
S3_GROUPS = ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
S2_IDS = ["s2.rules.issued", "s2.rules.repealed", "s2.rules.in_force", "s2.normative.issued",
          "s2.normative.repealed", "s2.normative.in_force", "s2.licensing", "s2.penalty", "s2.coercion", "s2.fees"]
S2_LABELS = ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "信息内容",
             "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件", "本年处理决定数量", "行政许可",
             "行政处罚", "行政强制", "本年收费金额（单位：万元）", "行政事业性收费"]
S4_GROUPS = ["review", "direct", "after_review"]
S4_COLS = ["upheld", "corrected", "other", "pending", "total"]
S4_LABELS = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
ANNEX_IDS = """a.pub.total a.pub.normative a.pub.normative_issued a.channels.total a.channels.gazette
a.channels.website a.channels.weibo a.channels.wechat a.channels.other a.resp.total a.resp.press
a.resp.press_leader a.resp.interview a.resp.interview_leader a.resp.explainers a.resp.social a.resp.other
a.sites.total a.sites.city a.sites.county a.sites.township a.points.total a.points.city a.points.county
a.points.township a.visitors.total a.visitors.city a.visitors.county a.visitors.township a.org.units
a.org.staff a.org.staff_full a.org.staff_part a.org.funds a.train.meetings a.train.courses a.train.trainees""".split()

MAIN_CELLS = S2_IDS + [f"s3.{r}.{c}" for r in S3_ROWS for c in S3_COLS] + [f"s4.{g}.{c}" for g in S4_GROUPS for c in S4_COLS]
MAIN_RULES = (
    [f"R3-balance.{c}" for c in S3_COLS] + [f"R3-results.{c}" for c in S3_COLS]
    + [f"R3-rowtotal.{r}" for r in S3_ROWS] + [f"R4-total.{g}" for g in S4_GROUPS]
    + [f"X-carried.{c}" for c in S3_COLS]
    + ["W-rules-level", "W-in-force.rules", "W-in-force.normative", "W-blank", "W-fee-stated", "W-oversight"]
    + [f"W-same-text.{s}" for s in ("s1", "s5", "s6")] + [f"W-text-empty.{s}" for s in ("s1", "s5", "s6")]
    + [f"W-text-table.{p}" for p in ("new", "review", "litigation", "in_force", "issued")] + ["W-older-layout"]
)
ANNEX_RULES = ["A-sum.channels", "A-sum.sites", "A-sum.points", "A-sum.visitors", "A-sum.staff",
               "A-subset.normative", "A-subset.press_leader", "A-subset.interview_leader",
               "A-unique.pub", "A-unique.resp", "W-text-table.published"]


@pytest.mark.parametrize("name", ["gov-info-2021", "annex-stats"])
def test_form_is_valid_against_the_schema(name):
    schema = json.loads((FORMS / "form.schema.json").read_text(encoding="utf-8"))
    data = json.loads((FORMS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_rejects_a_broken_form():
    schema = json.loads((FORMS / "form.schema.json").read_text(encoding="utf-8"))
    data = json.loads((FORMS / "gov-info-2021.json").read_text(encoding="utf-8"))
    data["rules"][0]["kind"] = "python_code"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_both_forms_are_found():
    assert available_forms() == ["annex-stats", "gov-info-2021"]


def test_every_cell_and_rule_of_the_spec_is_in_the_forms():
    main, annex = load_form("gov-info-2021"), load_form("annex-stats")
    assert sorted(main.cells) == sorted(MAIN_CELLS)
    assert len(main.cells) == 10 + 25 * 7 + 15
    assert sorted(annex.cells) == sorted(ANNEX_IDS)
    assert sorted(r["id"] for r in main.rules) == sorted(MAIN_RULES)
    assert sorted(r["id"] for r in annex.rules) == sorted(ANNEX_RULES + ["A-blank"])


@pytest.mark.skipif(not SPEC.is_dir(), reason="shared/spec is not beside this checkout")
def test_every_id_written_in_the_spec_exists():
    """Every literal cell id and rule id in the spec's text names something in the forms."""
    cells = set(load_form("gov-info-2021").cells) | set(load_form("annex-stats").cells)
    rules = {r["id"] for f in ("gov-info-2021", "annex-stats") for r in load_form(f).rules}
    text = (SPEC / "format-2021.md").read_text(encoding="utf-8") + (SPEC / "annex-stats.md").read_text(encoding="utf-8")
    found_cells = {t for t in re.findall(r"`([a-z0-9]+(?:\.[a-z0-9_]+)+)`", text) if t.split(".")[0] in ("s2", "s3", "s4", "a")}
    assert len(found_cells) > 40
    assert found_cells <= cells, found_cells - cells
    for rule in re.findall(r"`([AWRX][0-9]?-[a-z-]+(?:\.[^`]+)?)`", text):
        stem, _, tail = rule.partition(".")
        if tail.startswith("<"):  # a family: R3-balance.<col>, W-in-force.<rules|normative>
            assert any(r.startswith(stem + ".") for r in rules), rule
        else:
            assert rule in rules, rule


def test_labels_are_the_official_ones():
    main = load_form("gov-info-2021")
    texts = {t: [p.text for p in main.tables[t].places if p.text is not None] for t in main.tables}
    for label in S2_LABELS:
        assert label in texts["s2"], label
    for label in list(S3_ROWS.values()) + S3_GROUPS + [S3_NOTE, "申请人情况", "法人或其他组织"] + list(S3_COLS.values()):
        assert label in texts["s3"], label
    for label in S4_LABELS:
        assert label in texts["s4"], label
    for rid, label in S3_ROWS.items():
        assert main.cells[f"s3.{rid}.natural"].row.endswith(label)
    for cid, label in S3_COLS.items():
        assert main.cells[f"s3.new.{cid}"].col == label
    assert [s["heading"] for s in main.sections] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def _grid(table):
    grid = {}
    for p in table.places:
        for r in range(p.r, p.r + p.rs):
            for c in range(p.c, p.c + p.cs):
                assert (r, c) not in grid, f"{table.id}: ({r},{c}) covered twice"
                assert r < table.rows and c < table.cols, f"{table.id}: ({r},{c}) outside"
                grid[r, c] = p
    return grid


@pytest.mark.parametrize("form_id", ["gov-info-2021", "annex-stats"])
def test_layouts_cover_every_position_once_and_place_every_cell(form_id):
    form = load_form(form_id)
    placed = []
    for table in form.tables.values():
        grid = _grid(table)
        assert len(grid) == table.rows * table.cols, table.id
        assert len(table.widths) == table.cols
        placed += [p.cell for p in table.places if p.cell]
    assert sorted(placed) == sorted(form.cells)


def test_official_merges():
    """The merged cells that make the tables look like the official ones (format-2021.md)."""
    main = load_form("gov-info-2021")
    s3 = _grid(main.tables["s3"])
    note = s3[0, 0]
    assert (note.text, note.rs, note.cs) == (S3_NOTE, 3, 3)
    assert (s3[1, 3].text, s3[1, 3].rs) == ("自然人", 2)
    assert (s3[1, 4].text, s3[1, 4].cs) == ("法人或其他组织", 5)
    assert (s3[1, 9].text, s3[1, 9].rs) == ("总计", 2)
    results = s3[5, 0]
    assert results.text == "三、本年度办理结果" and results.rs == 22  # merged down over all of 三
    refused = next(p for p in main.tables["s3"].places if p.text == "（三）不予公开")
    assert refused.rs == 8
    s4 = _grid(main.tables["s4"])
    assert (s4[0, 0].text, s4[0, 0].cs, s4[0, 5].text, s4[0, 5].cs) == ("行政复议", 5, "行政诉讼", 10)
    assert all(s4[1, c].rs == 2 for c in range(5))
    assert (s4[1, 5].text, s4[1, 5].cs, s4[1, 10].text, s4[1, 10].cs) == ("未经复议直接起诉", 5, "复议后起诉", 5)
    assert main.tables["s3"].header_rows == 3 and main.tables["s4"].header_rows == 3


def test_derived_cells_are_those_of_the_spec():
    main, annex = load_form("gov-info-2021"), load_form("annex-stats")
    derived = {c for c, cell in main.cells.items() if cell.derived}
    expected = {f"s3.{r}.total" for r in S3_ROWS} | {f"s3.r7.{c}" for c in S3_COLS} | {f"s4.{g}.total" for g in S4_GROUPS}
    assert derived == expected
    assert main.cells["s3.r7.legal"].parts == tuple(f"s3.{r}.legal" for r in S3_ROWS if r not in ("new", "carried", "r7", "next"))
    # parts come before their sums
    order = main.order
    assert order.index("s3.r1.total") < order.index("s3.r7.total") or "s3.r7.total" in order
    for cid in order:
        for part in main.cells[cid].parts:
            assert not main.cells[part].derived or order.index(part) < order.index(cid)
    assert {c for c, cell in annex.cells.items() if cell.derived} == {
        "a.channels.total", "a.sites.total", "a.points.total", "a.visitors.total", "a.org.staff"}


def test_units_and_types():
    main, annex = load_form("gov-info-2021"), load_form("annex-stats")
    assert main.cells["s2.fees"].unit == "万元" and main.cells["s2.fees"].type.decimals == 6
    assert annex.cells["a.org.funds"].type.decimals == 6
    assert all(c.type.decimals == 0 for k, c in main.cells.items() if k != "s2.fees")


def test_section_six_items_and_outline():
    six = load_form("gov-info-2021").section("s6")
    assert len(six["items"]) == 7
    assert six["items"][0]["required"] and "信息处理费" in six["items"][0]["title"]
    one = load_form("gov-info-2021").section("s1")
    assert one["outline"] == ["（一）主动公开情况", "（二）依申请公开情况", "（三）政府信息管理情况",
                              "（四）政府信息公开平台建设情况", "（五）监督保障情况"]
