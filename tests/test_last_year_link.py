"""Linking imported and published reports to last year's: `import --last-year`, `check --last-year`
and `aggregate --last-year-folder`, so that X-carried and W-in-force run on them."""

import copy
import json

import clerk_files
from conftest import run_giapp

from giapp.aggregate import scan
from giapp.lastyear import organ_key

COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def last_year_of(real_json, **changes) -> dict:
    """Last year's report of the real unit, whose figures agree with this year's unless changed."""
    prev = copy.deepcopy(real_json)
    prev["year"] = real_json["year"] - 1
    v = real_json["values"]
    for c in COLS:
        prev["values"][f"s3.next.{c}"] = v[f"s3.carried.{c}"]
    for kind in ("rules", "normative"):
        prev["values"][f"s2.{kind}.in_force"] = (v[f"s2.{kind}.in_force"] - v[f"s2.{kind}.issued"]
                                                  + v[f"s2.{kind}.repealed"])
    prev["values"].update(changes)
    prev["texts"] = {"s1": "上年总体情况。", "s5": "上年问题。", "s6": "上年未收取信息处理费。"}
    return prev


def rules_of(check_result) -> set[str]:
    [r] = json.loads(check_result.stdout)
    return {f["rule"] for f in r["findings"]}


def test_check_with_last_year_runs_the_cross_year_rules(folder, real_json):
    this = write_json(folder / "沭阳 2025.json", real_json)
    unlinked = rules_of(run_giapp("check", this, "--json"))
    assert {"X-carried.natural", "X-carried.total"} <= unlinked  # asks to link
    agrees = write_json(folder / "沭阳 2024 一致.json", last_year_of(real_json))
    result = run_giapp("check", this, "--last-year", agrees, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any(r.startswith(("X-carried", "W-in-force")) for r in rules_of(result))
    # one zone's real series: 现行有效 643 expected, 470 printed
    differs = write_json(folder / "沭阳 2024 不一致.json",
                         last_year_of(real_json, **{"s2.normative.in_force": 638, "s3.next.natural": 30, "s3.next.total": 30}))
    result = run_giapp("check", this, "--last-year", differs, "--json")
    assert result.returncode == 1  # X-carried is an error once linked
    [r] = json.loads(result.stdout)
    found = {f["rule"]: f for f in r["findings"]}
    assert found["X-carried.natural"]["severity"] == "error" and "36" in found["X-carried.natural"]["message"]
    assert "30" in found["X-carried.natural"]["message"]
    assert found["W-in-force.normative"]["severity"] == "warning"
    assert "现行有效件数=32" in found["W-in-force.normative"]["message"] and "643" in found["W-in-force.normative"]["message"]
    assert any("沭阳 2024 不一致.json" in n for n in r["last_year"])
    text = run_giapp("check", this, "--last-year", differs)
    assert "[上年报告]" in text.stdout and "W-in-force.normative" in text.stdout


def test_import_a_word_report_with_last_year(folder, real_json):
    word = clerk_files.other_template_docx(folder / "沭阳 2025 他人模板.docx", real_json)
    prev = write_json(folder / "沭阳 2024.json", last_year_of(real_json, **{"s2.normative.in_force": 100}))
    out = folder / "沭阳 2025.gireport"
    result = run_giapp("import", out, word, "--last-year", prev)
    assert result.returncode == 0, result.stderr
    assert "已关联上年报告“沭阳 2024.json”" in result.stdout
    dumped = json.loads(run_giapp("dump", out).stdout)
    assert dumped["last_year"]["year"] == 2024 and dumped["last_year"]["file"] == "沭阳 2024.json"
    assert dumped["values"]["s3.carried.natural"] == 36  # as printed, not overwritten
    found = rules_of(run_giapp("check", out, "--json"))
    assert "W-in-force.normative" in found and not any(r.startswith("X-carried") for r in found)


def test_import_with_last_year_fills_the_carry_over_the_link_locks(folder, real_json):
    """The report file made from an import holds last year's 结转 (the link locks it); each printed
    figure that differed is named in the import report, and the table's balance then shows it."""
    word = clerk_files.other_template_docx(folder / "沭阳 2025.docx", real_json)
    prev = write_json(folder / "沭阳 2024.json", last_year_of(real_json, **{"s3.next.natural": 30, "s3.next.total": 30}))
    out = folder / "沭阳 2025.gireport"
    result = run_giapp("import", out, word, "--last-year", prev)
    assert result.returncode == 0, result.stderr
    assert "二、上年结转政府信息公开申请数量 · 自然人：文件中为36，上年报告“结转下年度继续办理”为30" in result.stdout
    assert "总计：文件中为36" in result.stdout and "商业企业：文件中" not in result.stdout
    dumped = json.loads(run_giapp("dump", out).stdout)
    assert dumped["values"]["s3.carried.natural"] == 30 and dumped["values"]["s3.carried.total"] == 30
    found = rules_of(run_giapp("check", out, "--json"))
    assert {"R3-balance.natural", "R3-balance.total"} <= found and not any(r.startswith("X-carried") for r in found)
    # checking the published file itself reports what is printed
    assert "X-carried.natural" in rules_of(run_giapp("check", word, "--last-year", prev, "--json"))


def test_last_year_of_the_wrong_year_is_refused(folder, real_json):
    this = write_json(folder / "沭阳 2025.json", real_json)
    old = last_year_of(real_json)
    old["year"] = 2023
    prev = write_json(folder / "沭阳 2023.json", old)
    result = run_giapp("import", folder / "x.gireport", this, "--last-year", prev)
    assert result.returncode == 2 and "2023年度" in result.stderr and "2024" in result.stderr
    assert not (folder / "x.gireport").exists()
    missing = run_giapp("check", this, "--last-year", folder / "没有.json")
    assert missing.returncode == 2 and "上年报告" in missing.stderr and "Traceback" not in missing.stderr


def test_organ_names_compare_without_format_characters():
    assert organ_key("沭阳县\u200b人民政府") == organ_key("沭阳县人民政府 ") == organ_key("沭阳县人民政府\ufeff")
    assert organ_key("ＡＢ镇人民政府") == organ_key("AB镇人民政府")
    assert organ_key("沭阳县人民政府") != organ_key("泗阳县人民政府")


def test_aggregate_links_each_unit_to_its_own_last_year(folder, real_json, demo_json):
    units, last = folder / "本年", folder / "上年"
    units.mkdir(), last.mkdir()
    write_json(units / "沭阳.json", real_json)
    other = copy.deepcopy(real_json)
    other["organ"]["name"] = "泗阳县人民政府"
    write_json(units / "泗阳.json", other)
    prev = last_year_of(real_json, **{"s2.normative.in_force": 100})
    prev["organ"]["name"] = "沭阳县\u200b人民政府"  # a zero-width space, as pasted from a web page
    write_json(last / "沭阳 上年.json", prev)
    agg = scan([units], last_year_folder=last)
    rows = {r.unit: r for r in agg.roster}
    assert rows["沭阳县人民政府"].last_year == "沭阳 上年.json"
    assert rows["泗阳县人民政府"].last_year == ""
    shuyang = {f.rule for f in rows["沭阳县人民政府"].findings}
    siyang = {f.rule for f in rows["泗阳县人民政府"].findings}
    assert "W-in-force.normative" in shuyang and not any(r.startswith("X-carried") for r in shuyang)
    assert "X-carried.total" in siyang and "W-in-force.normative" not in siyang
    assert any("已关联上年报告：1个单位" in n and "泗阳县人民政府" in n for n in agg.notes)
    out = folder / "汇总.xlsx"
    result = run_giapp("aggregate", units, "-o", out, "--last-year-folder", last)
    assert result.returncode == 0, result.stderr
    assert "已关联上年报告：1个单位" in result.stdout


def test_last_year_in_the_2019_format_checks_the_carry_over_only(folder, real_json):
    """A 2019-format report gives 结转下年度继续办理 but no 现行有效件数: X-carried runs, W-in-force stays quiet."""
    prev = clerk_files.format_2019_docx(folder / "某某镇 2020.docx")
    this = copy.deepcopy(real_json)
    this["year"] = clerk_files.FORMAT_2019_YEAR + 1
    for c in COLS:
        this["values"][f"s3.carried.{c}"] = clerk_files.FORMAT_2019_NEXT[f"s3.next.{c}"]
    path = write_json(folder / "某某镇 2021.json", this)
    found = rules_of(run_giapp("check", path, "--last-year", prev, "--json"))
    assert not any(r.startswith(("X-carried", "W-in-force")) for r in found), found
    this["values"]["s3.carried.natural"] = 5
    path = write_json(folder / "某某镇 2021 不一致.json", this)
    found = rules_of(run_giapp("check", path, "--last-year", prev, "--json"))
    assert "X-carried.natural" in found and not any(r.startswith("W-in-force") for r in found)
