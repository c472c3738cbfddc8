"""Every rule stays quiet on consistent real reports: the real published reports kept in
tests/data/ (each with its source) give exactly the findings that are true of them, as JSON, as
a Word file another clerk made of them and linked to a consistent last year's report."""

import clerk_files
import pytest
from conftest import DATA, load_json

from giapp.imports.word import read_word
from giapp.report import LastYear, Report
from giapp.rules import check

REAL = sorted(DATA.glob("real-*.json"))
COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def rules(report) -> set[str]:
    return {f.rule for f in check(report)}


def consistent_last_year(report: Report) -> LastYear:
    """Last year as this year's figures say it was: 结转 and 现行有效 follow."""
    v = report.values
    last = {f"s3.next.{c}": v[f"s3.carried.{c}"] for c in COLS}
    for kind in ("rules", "normative"):
        last[f"s2.{kind}.in_force"] = v[f"s2.{kind}.in_force"] - v[f"s2.{kind}.issued"] + v[f"s2.{kind}.repealed"]
    return LastYear("上年.json", report.year - 1, report.organ.name, "0" * 64, last, {})


def test_there_are_real_reports():
    assert len(REAL) >= 3
    for path in REAL:
        data = load_json(path)
        assert data["source"]["url"].startswith("https://") and data["source"]["note"]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_a_real_report_gives_only_its_true_findings(path):
    data = load_json(path)
    report = Report.from_json(data)
    assert rules(report) == set(data["findings_true"])
    report.last_year = consistent_last_year(report)
    assert rules(report) == {r for r in data["findings_true"] if not r.startswith("X-carried")}


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_a_real_report_as_another_clerk_s_word_file_gives_the_same_findings(path, folder):
    data = load_json(path)
    got = read_word(clerk_files.other_template_docx(folder / f"{path.stem} 他人模板.docx", data))
    report = got.report
    report.organ.level = data["organ"]["level"]
    # the template prints some zeros as "—" or "/" (blank, not 0): those cells are given back
    for cid, mark in clerk_files.BLANK_MARKED.items():
        if report.values.get(cid) is None and data["values"][cid] in (0, None):
            report.values[cid] = data["values"][cid]
    for cid in clerk_files.TOTAL_LEFT_BLANK:  # the template leaves these totals blank
        report.values[cid] = data["values"][cid]
    assert rules(report) == set(data["findings_true"])


def test_the_text_versus_table_rule_on_real_texts():
    """Both ways on real texts: a figure changed in the table breaks exactly the sentence's rule."""
    kewei = Report.from_json(load_json(DATA / "real-2024-shanghai-kewei.json"))
    office = Report.from_json(load_json(DATA / "real-2025-shanghai-office.json"))
    base_k, base_o = rules(kewei), rules(office)
    kewei.values["s3.new.total"] = 33  # the text says 全年收到政府信息公开申请34件
    found = {f.rule: f for f in check(kewei)}
    assert set(found) - base_k >= {"W-text-table.new"}
    assert "全年收到政府信息公开申请34件" in found["W-text-table.new"].message and "33" in found["W-text-table.new"].message
    kewei.values["s3.new.total"] = 34
    kewei.values["s4.review.total"] = 2  # 1件涉及政府信息公开工作的行政复议
    assert rules(kewei) - base_k == {"W-text-table.review"} | ({"R4-total.review"})
    kewei.values["s4.review.total"] = 1
    kewei.values["s4.direct.total"] = 1  # 涉及的行政诉讼数为0件
    assert "W-text-table.litigation" in rules(kewei)
    office.values["s3.new.total"] = 1296  # 市政府共受理政府信息公开申请1295件
    assert "W-text-table.new" in rules(office) - base_o
    office.values["s3.new.total"] = 1295 - 189  # new + carried is accepted too
    assert "W-text-table.new" not in rules(office)
