"""The rules of format-2021.md and annex-stats.md on real figures."""

from decimal import Decimal

import pytest

from giapp.errors import GiappError
from giapp.form import load_form
from giapp.lastyear import from_last_year
from giapp.report import LastYear, Report
from giapp.rules import check, similarity

MAIN = load_form("gov-info-2021")
COLS = ["natural", "commercial", "research", "social", "legal", "other", "total"]
RESULT_ROWS = ["r1", "r2"] + [f"r3_{i}" for i in range(1, 9)] + [f"r4_{i}" for i in range(1, 4)] \
    + [f"r5_{i}" for i in range(1, 6)] + [f"r6_{i}" for i in range(1, 4)]


def ids(findings, severity=None):
    return {f.rule for f in findings if severity is None or f.severity == severity}


def linked(real_json) -> Report:
    """The real report, linked to a last year whose figures agree with it."""
    report = Report.from_json(real_json)
    last = {f"s3.next.{c}": report.values[f"s3.carried.{c}"] for c in COLS}
    for kind in ("rules", "normative"):
        v = report.values
        last[f"s2.{kind}.in_force"] = v[f"s2.{kind}.in_force"] - v[f"s2.{kind}.issued"] + v[f"s2.{kind}.repealed"]
    report.last_year = LastYear("上年.gireport", report.year - 1, report.organ.name, "0" * 64, last, {})
    return report


def expected_for_printed_change(cid: str) -> set[str]:
    """What the spec says a change of one printed figure breaks (nothing recomputed)."""
    table, row, col = (cid.split(".") + [""])[:3]
    if table == "s3":
        broken = {f"R3-rowtotal.{row}"}
        if row in ("new", "carried", "next"):
            broken.add(f"R3-balance.{col}")
        if row == "r7":
            broken |= {f"R3-balance.{col}", f"R3-results.{col}"}
        if row in RESULT_ROWS:
            broken.add(f"R3-results.{col}")
        if row == "carried":
            broken.add(f"X-carried.{col}")
        if row in ("new", "carried") and col == "total":
            broken.add("W-text-table.new")  # the text says 受理政府信息公开申请749件 (new + carried)
        return broken
    if table == "s4":
        return {f"R4-total.{row}"}
    if row in ("rules", "normative"):
        return {f"W-in-force.{row}"}  # W-rules-level is for townships; the fixture is a county
    return set()


def test_real_report_figures_check_clean(real_json):
    report = linked(real_json)
    findings = check(report)
    assert any(v for v in report.values.values()), "the fixture must have non-zero figures"
    assert report.values["s3.new.total"] == 713 and report.values["s4.review.total"] == 61
    # the only finding is true of the real text: it does not report 工作考核、社会评议和责任追究
    assert ids(findings) == {"W-oversight"}
    report.texts["s1"] += "\n（五）监督保障情况\n本年度未发生责任追究情况，工作考核和社会评议结果良好。"
    assert check(report) == []


def test_unlinked_carry_over_asks_to_link_or_explain(real_json):
    report = Report.from_json(real_json)
    carried = {f.rule: f for f in check(report) if f.rule.startswith("X-carried")}
    assert set(carried) == {"X-carried.natural", "X-carried.total"}  # the columns with something carried
    assert all(f.severity == "warning" for f in carried.values())
    assert "36" in carried["X-carried.total"].message and "关联上年报告" in carried["X-carried.total"].message


@pytest.mark.parametrize("cid", sorted(MAIN.cells))
def test_changing_one_printed_figure_breaks_exactly_its_rules(real_json, cid):
    report = linked(real_json)
    before = ids(check(report))
    report.values[cid] = (report.values[cid] or 0) + 1
    assert ids(check(report)) - before == expected_for_printed_change(cid)
    assert all(f.severity == ("warning" if f.rule.startswith("W-") else "error")
               for f in check(report) if f.rule not in before)


@pytest.mark.parametrize("cid", [c for c in sorted(MAIN.cells) if not MAIN.cells[c].derived and ".carried." not in c])
def test_typing_one_figure_recomputes_totals_and_breaks_only_the_balance(real_json, cid):
    report = linked(real_json)
    before = ids(check(report))
    changes = report.set_value(cid, (report.values[cid] or 0) + 1)
    table, row, col = (cid.split(".") + [""])[:3]
    if table == "s3":
        assert set(changes) == {cid, f"s3.{row}.total"} | ({f"s3.r7.{col}", "s3.r7.total"} if row in RESULT_ROWS else set())
        expected = {f"R3-balance.{col}", "R3-balance.total"} | ({"W-text-table.new"} if row == "new" else set())
    elif table == "s4":
        assert set(changes) == {cid, f"s4.{row}.total"}
        expected = set()
    else:
        expected = {f"W-in-force.{row}"} if row in ("rules", "normative") else set()
    assert ids(check(report)) - before == expected


def test_derived_and_locked_cells_cannot_be_typed(real_json):
    report = linked(real_json)
    with pytest.raises(GiappError, match="自动计算"):
        report.set_value("s3.r7.natural", 1)
    with pytest.raises(GiappError, match="上年报告结转并锁定"):
        report.set_value("s3.carried.natural", 1)


def test_message_names_row_column_and_both_numbers():
    report = Report(year=2024)
    for cid, v in {"s3.new.natural": 10, "s3.carried.natural": 2, "s3.r1.natural": 9, "s3.next.natural": 2}.items():
        report.set_value(cid, v)
    balance = next(f for f in check(report) if f.rule == "R3-balance.natural")
    assert balance.message == "三、收到和处理政府信息公开申请情况 · 自然人：第一项+第二项=12，第三项（七）总计+第四项=11，相差1"
    assert balance.severity == "error"
    assert set(balance.cells) == {"s3.new.natural", "s3.carried.natural", "s3.r7.natural", "s3.next.natural"}


def test_example_annex_gives_exactly_its_two_errors_and_one_warning(demo_json):
    report = Report.from_json(demo_json)
    annex = [f for f in check(report) if f.rule.startswith("A-")]
    assert ids(annex, "error") == {"A-sum.channels", "A-sum.visitors"}
    assert ids(annex, "warning") == {"A-unique.pub"}
    assert len(annex) == 3
    msg = {f.rule: f.message for f in annex}
    assert "填报0" in msg["A-sum.channels"] and "106" in msg["A-sum.channels"]
    assert "填报87" in msg["A-sum.visitors"] and "之和为1" in msg["A-sum.visitors"]
    assert "89" in msg["A-unique.pub"]


def test_example_report_as_a_whole(demo_json):
    """The example's main tables are all 0 and consistent, its texts state the fee (无) and name
    its 政务公开工作考核制度: nothing outside the annex is found."""
    report = Report.from_json(demo_json)
    assert [f for f in check(report) if not f.rule.startswith("A-")] == []


def test_annex_subsets():
    report = Report(year=2024, annex="annex-stats")
    report.values.update({"a.resp.press": 2, "a.resp.press_leader": 3})
    found = {f.rule: f for f in check(report)}
    assert found["A-subset.press_leader"].severity == "error"
    assert "=3" in found["A-subset.press_leader"].message and "=2" in found["A-subset.press_leader"].message


def test_rules_level_is_for_townships_and_streets():
    report = Report(year=2024)
    report.values["s2.rules.issued"] = 1
    report.organ.level = "township"
    assert "W-rules-level" in ids(check(report), "warning")
    report.organ.level = "street"
    assert "W-rules-level" in ids(check(report))
    report.organ.level = "city-gov"
    assert "W-rules-level" not in ids(check(report))
    report.values["s2.rules.issued"] = 0
    report.organ.level = "township"
    assert "W-rules-level" not in ids(check(report))


def test_blank_is_not_zero():
    report = Report(year=2024)
    for cid in MAIN.input_cells:
        report.set_value(cid, 0)
    assert "W-blank" not in ids(check(report))
    report.set_value("s4.direct.pending", None)
    blank = next(f for f in check(report) if f.rule == "W-blank")
    assert blank.cells == ("s4.direct.pending",) and "1个" in blank.message and "尚未审结" in blank.message
    assert report.values["s4.direct.total"] == 0  # the other parts are 0: the sum is 0, not blank


def test_in_force_needs_last_year():
    report = Report(year=2024)
    report.values.update({"s2.normative.issued": 3, "s2.normative.repealed": 1, "s2.normative.in_force": 10})
    assert not any(f.rule.startswith("W-in-force") for f in check(report))
    report.last_year = LastYear("x", 2023, "", "", {"s2.normative.in_force": 8}, {})
    assert not any(f.rule.startswith("W-in-force") for f in check(report))
    report.values["s2.normative.in_force"] = 11
    found = next(f for f in check(report) if f.rule == "W-in-force.normative")
    assert found.severity == "warning" and "=11" in found.message and "=10" in found.message


def test_carry_over_from_a_linked_report():
    prev = Report(year=2023)
    prev.organ.name = "某镇人民政府"
    for c in COLS[:-1]:
        prev.set_value(f"s3.next.{c}", 2)
    report = from_last_year(prev, "某镇2023.gireport")
    assert report.year == 2024 and report.values["s3.carried.total"] == 12
    assert not any(f.rule.startswith("X-carried") for f in check(report))
    report.values["s3.carried.legal"] = 3  # as printed by someone else
    found = [f for f in check(report) if f.rule.startswith("X-carried")]
    assert ids(found) == {"X-carried.legal"} and found[0].severity == "error"
    with pytest.raises(GiappError, match="2024年度"):
        from_last_year(prev, "x", 2025)


def test_same_text_as_last_year():
    report = Report(year=2024)
    text = "本年度，我镇严格落实政府信息公开条例，主动公开各类信息一百二十条，依申请公开工作规范有序。" * 3
    report.last_year = LastYear("x", 2023, "", "", {}, {"s1": text, "s5": "存在的问题：人员不足。"})
    report.texts["s1"] = text.replace("一百二十", "一百三十")
    report.texts["s5"] = "本年度新发现的问题是网站栏目更新不及时，已建立周报制度，由专人负责督促。"
    found = {f.rule: f for f in check(report)}
    assert "W-same-text.s1" in found and "W-same-text.s5" not in found
    assert "%" in found["W-same-text.s1"].message
    assert similarity("完全不同的内容写在这里", text) < 0.2


@pytest.mark.parametrize("s6, stated", [
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况；\n无\n（二）本行政机关落实上级年度政务公开工作要点；\n全部落实", True),
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况：无。", True),
    ("本年度共收取信息处理费380元。", True),
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况。本年度未收取。", True),
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况；\n（二）本行政机关落实上级年度政务公开工作要点；\n全部落实", False),
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况", False),
    ("无", False),
    # real reports state that nothing was charged in words of their own
    ("无收取信息处理费情况", True),
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况\n未发生收费情况", True),
    ("未发生收费情况", True),
    ("1.本年度未收取信息处理费。\n2.本机关全面落实上级年度政务公开工作要点。", True),
    ("2025 年度本机关未收取信息公开处理费。", True),
    ("本年度信息公开处理费收费情况\n2024 年，市科委未发生政府信息公开收费事项。", True),
    # 六 that says nothing about fees
    ("1.本机关全面落实上级年度政务公开工作要点。\n2.本年度无人大代表建议和政协提案。", False),
    ("本年度无其他需要报告的事项。", False),
    ("2.本机关按时公开行政事业性收费目录清单。", False),  # 收费 of another kind, no statement about the fee
    ("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况\n（二）本行政机关落实上级年度政务公开工作要点情况\n无", False),
])
def test_fee_must_be_stated(s6, stated):
    report = Report(year=2024)
    report.texts["s6"] = s6
    assert ("W-fee-stated" not in ids(check(report))) == stated


def test_fee_stated_in_its_item():
    report = Report(year=2024)
    report.texts["s6.1"] = "无"
    assert "W-fee-stated" not in ids(check(report))


def test_oversight_for_people_s_governments_only():
    report = Report(year=2024)
    report.texts["s1"] = "（五）监督保障情况\n加强培训。"
    report.organ.level = "township"
    assert "W-oversight" in ids(check(report))
    report.texts["s1"] += "将政务公开纳入绩效考核。"
    assert "W-oversight" in ids(check(report))  # 绩效考核 is not 工作考核
    report.texts["s1"] += "本年度开展社会评议，结果良好。"
    assert "W-oversight" not in ids(check(report))
    report.texts["s1"] = "（五）监督保障情况\n加强培训。"
    report.organ.level = "county-dept"
    assert "W-oversight" not in ids(check(report))


def test_empty_text_is_an_error_at_sign_off():
    report = Report(year=2024)
    draft = {f.rule: f.severity for f in check(report)}
    signoff = {f.rule: f.severity for f in check(report, "signoff")}
    assert draft["W-text-empty.s5"] == "warning" and signoff["W-text-empty.s5"] == "error"
    report.texts["s5"] = "问题与改进"
    assert "W-text-empty.s5" not in ids(check(report, "signoff"))


def test_explanations_mark_findings():
    report = Report(year=2024)
    report.explanations["W-fee-stated"] = "本机关未收取，见正文"
    found = {f.rule: f for f in check(report)}
    assert found["W-fee-stated"].explained and not found["W-blank"].explained


def test_decimal_amounts_in_rules():
    report = Report(year=2024, annex="annex-stats")
    report.values["a.org.funds"] = Decimal("0.5")
    assert "A-blank" in ids(check(report))


def _with_text(text: str, values: dict, annex: str | None = None, section: str = "s1") -> Report:
    report = Report(year=2024, annex=annex)
    report.texts[section] = text
    report.values.update(values)
    return report


@pytest.mark.parametrize("rule, text, values, agrees", [
    # the real cases: 受理申请 2 件 against 3 in the table; 393 现行有效规范性文件 against 470
    ("W-text-table.new", "本年度，我镇共受理政府信息公开申请2件，均按时答复。", {"s3.new.total": 3}, False),
    ("W-text-table.new", "本年度，我镇共受理政府信息公开申请3件，均按时答复。", {"s3.new.total": 3}, True),
    ("W-text-table.new", "全年收到政府信息公开申请 34 件，上年结转政府信息公开申请 2 件。", {"s3.new.total": 34, "s3.carried.total": 2}, True),
    ("W-text-table.new", "全县全年共受理政府信息公开申请749件，其中自然人申请741件。", {"s3.new.total": 713, "s3.carried.total": 36}, True),
    ("W-text-table.new", "全县全年共受理政府信息公开申请750件。", {"s3.new.total": 713, "s3.carried.total": 36}, False),
    ("W-text-table.new", "本年新收政府信息公开申请两件。", {"s3.new.total": 3}, False),
    ("W-text-table.new", "较上年受理政府信息公开申请5件有所下降。", {"s3.new.total": 3}, True),
    ("W-text-table.new", "2023年受理政府信息公开申请5件，2024年受理政府信息公开申请3件。", {"s3.new.total": 3}, True),
    ("W-text-table.review", "发生政府信息公开行政复议1件，行政诉讼0件。", {"s4.review.total": 2}, False),
    ("W-text-table.review", "发生政府信息公开行政复议2件，行政诉讼0件。", {"s4.review.total": 2}, True),
    ("W-text-table.review", "2024 年市科委有 1 件涉及政府信息公开工作的行政复议，该行政复议件未被纠错。", {"s4.review.total": 0}, False),
    ("W-text-table.review", "全县共办理行政复议、行政诉讼相关案件74件。", {"s4.review.total": 61}, True),
    ("W-text-table.litigation", "涉及的行政诉讼数为 0 件。", {"s4.direct.total": 1, "s4.after_review.total": 0}, False),
    ("W-text-table.litigation", "涉及的行政诉讼数为 3 件。", {"s4.direct.total": 1, "s4.after_review.total": 2}, True),
    ("W-text-table.in_force", "截至年底，现行有效规范性文件393件。", {"s2.normative.in_force": 470}, False),
    ("W-text-table.in_force", "截至年底，现行有效行政规范性文件470件。", {"s2.normative.in_force": 470}, True),
    ("W-text-table.issued", "全年制发规范性文件5件。", {"s2.normative.issued": 4}, False),
    ("W-text-table.issued", "全年制发规范性文件4件。", {"s2.normative.issued": 4}, True),
    ("W-text-table.new", "本年度共受理政府信息公开申请2件。", {}, True),  # the table is blank: nothing to compare
])
def test_a_figure_the_text_states_must_match_the_table(rule, text, values, agrees):
    found = {f.rule: f for f in check(_with_text(text, values))}
    assert (rule not in found) == agrees
    if not agrees:
        f = found[rule]
        assert f.severity == "warning" and f.cells and "一、总体情况" in f.message
        assert text.replace(" ", "").split("。")[0].split("，")[0][-6:] in f.message  # names the sentence


def test_published_figure_against_the_annex_only_when_the_annex_is_there():
    text = "全年主动公开政府信息120条。"
    assert "W-text-table.published" not in ids(check(_with_text(text, {"a.pub.total": 100})))
    with_annex = _with_text(text, {"a.pub.total": 100}, annex="annex-stats")
    assert "W-text-table.published" in ids(check(with_annex))
    with_annex.values["a.pub.total"] = 120
    assert "W-text-table.published" not in ids(check(with_annex))


def test_a_text_figure_explained_takes_its_explanation():
    report = _with_text("（五）本行政机关信息公开工作年度报告数据统计需要说明的事项：现行有效规范性文件393件（不含部门文件）。",
                        {"s2.normative.in_force": 470}, section="s6")
    found = {f.rule: f for f in check(report)}
    assert not found["W-text-table.in_force"].explained and "六、其他需要报告的事项" in found["W-text-table.in_force"].message
    assert "393" in found["W-text-table.in_force"].message and "470" in found["W-text-table.in_force"].message
    report.explanations["W-text-table.in_force"] = "文中为本级政府文件，表中含部门文件"
    assert {f.rule: f for f in check(report)}["W-text-table.in_force"].explained
