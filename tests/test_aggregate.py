"""The county office's 汇总 (issue 8): many units' files read, checked and added up; what is not
added is flagged with the reason; the aggregate as a report file and as an Excel workbook."""

import json
import re
from copy import deepcopy
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import clerk_files
from file_attacks import edit

from giapp import aggregate
from giapp.aggregate import Cancelled, collect, combine, scan, write_aggregate_file
from giapp.errors import GiappError
from giapp.export import county, write
from giapp.export.county import write_workbook
from giapp.export.xlsx import FIRST_ROW
from giapp.form import load_form
from giapp.inputs import read_imported
from giapp.report import Report
from giapp.rules import check, counts, sorted_findings
from giapp.store import ReportFile

YEAR = 2024
DAY = date(2025, 1, 20)


def unit(data: dict, name: str, year: int = YEAR) -> Report:
    data = deepcopy(data)
    data["organ"]["name"] = name
    data["year"] = year
    return Report.from_json(data)


def save(report: Report, path: Path) -> Path:
    """A unit's file on disk: .gireport, .json, .docx or .xlsx."""
    suffix = path.suffix
    if suffix == ".gireport":
        ReportFile.create(path, report).close()
    elif suffix == ".json":
        path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    else:
        write(suffix[1:], report, path, DAY)
    return path


@pytest.fixture
def units(folder, real_json, demo_json) -> dict[Path, Report]:
    """Four units of one county, one file of each kind; the real report has no annex, the demo
    has one (with totals that do not add up, as printed)."""
    made = {
        "甲镇.gireport": unit(real_json, "测试县甲镇人民政府"),
        "乙镇.json": unit(demo_json, "测试县乙镇人民政府"),
        "丙镇 报告.docx": unit(real_json, "测试县丙镇人民政府"),
        "丁镇.xlsx": unit(demo_json, "测试县丁镇人民政府"),
    }
    return {save(r, folder / name): r for name, r in made.items()}


def expected_sum(reports: list[Report]) -> dict:
    """Added up by hand: every input cell over the units that give it; totals from their parts."""
    out = {}
    forms = [load_form("gov-info-2021"), load_form("annex-stats")]
    for form in forms:
        if form.kind == "annex" and not any(r.annex for r in reports):
            continue
        for cid, cell in form.cells.items():
            if cell.derived:
                continue
            given = [r.values.get(cid) for r in reports if r.values.get(cid) is not None]
            out[cid] = sum(given) if given else None
        for cid in form.order:
            parts = [out[p] for p in form.cells[cid].parts if out[p] is not None]
            out[cid] = sum(parts) if parts else None
    return out


def all_values(report: Report) -> dict:
    return {cid: report.values.get(cid) for form in report.forms() for cid in form.cells}


def row_of(agg, path: Path):
    return next(r for r in agg.roster if r.file.name == path.name)


# ---- collecting files


def test_collect_expands_folders_and_skips_temporary_files(folder, tmp_path):
    sub = folder / "二季度 报送"
    sub.mkdir()
    printing = folder / "giapp-print-abc"
    printing.mkdir()
    for p in (folder / "a.json", sub / "b.GIREPORT", sub / "c.docx", folder / "d.xlsx", folder / "~$c.docx",
              folder / ".a.json.123.tmp", folder / ".~lock.d.xlsx#", folder / "说明.txt", printing / "p.json",
              folder / "a.gireport.v1.bak"):
        p.write_bytes(b"x")
    other = tmp_path / "single.pdf"
    other.write_bytes(b"%PDF")
    got = collect([folder, folder / "a.json", other])
    assert got == sorted(got, key=lambda f: (str(f.parent), f.name))
    assert {p.name for p in got} == {"a.json", "b.GIREPORT", "c.docx", "d.xlsx", "single.pdf"}
    assert len(got) == 5  # a.json named twice, listed once


# ---- adding up


def test_the_sum_is_the_sum_of_the_units(units):
    agg = scan([next(iter(units)).parent])
    reports = list(units.values())
    assert len(agg.roster) == len(agg.included) == 4 and all(r.flags == [] for r in agg.roster)
    assert all_values(agg.report) == expected_sum(reports)
    # by hand: two real reports' fees (4068.208 万元) and the demo's 0; the annex only from the demo
    assert agg.report.values["s2.fees"] == Decimal("8136.416")
    assert agg.report.values["a.org.funds"] == Decimal("1")
    assert agg.report.annex == "annex-stats"
    assert any("有附件的2个单位" in n for n in agg.notes)
    # the demo prints annex totals that do not add up: the sum takes its parts, and says so
    assert agg.report.values["a.channels.total"] == 2 * sum(
        reports[1].values[p] for p in load_form("annex-stats").cells["a.channels.total"].parts)
    assert any("按汇总后的各项之和计算" in n and "测试县乙镇人民政府" in n for n in agg.notes)
    rep = agg.report
    assert (rep.organ.name, rep.organ.level, rep.year, rep.format, rep.status) == (
        "测试县汇总（4个单位）", "other", YEAR, "gov-info-2021", "draft")
    listed = rep.settings["aggregate"]["units"]
    assert {u["name"] for u in listed} == {r.organ.name for r in reports}
    assert {Path(u["file"]).name for u in listed} == {p.name for p in units}


def test_the_roster_shows_each_unit_as_the_check_does(units):
    agg = scan(list(units))
    kinds = {".gireport": "报告文件", ".json": "JSON", ".docx": "Word", ".xlsx": "Excel"}
    for path in units:
        row = row_of(agg, path)
        report = read_imported(path).report
        assert (row.errors, row.warnings) == counts(check(report))
        assert list(row.findings) == sorted_findings(check(report))
        assert (row.unit, row.level, row.year, row.format, row.status) == (
            report.organ.name, report.organ.level, YEAR, "gov-info-2021", "draft")
        assert row.kind == kinds[path.suffix] and row.read_problems == [] and row.read_error is None
        assert row.values() == {cid: report.values.get(cid) for form in report.forms() for cid in form.cells}
        cells = dict(zip(aggregate.ROSTER_HEADERS, row.cells()))
        assert cells["单位"] == report.organ.name and cells["错误"] == row.errors and cells["汇总"] == "是"
        assert any(line.startswith(("错误", "警告")) for line in row.details())


def test_a_cell_blank_in_every_unit_stays_blank(folder, real_json, demo_json):
    a, b = unit(real_json, "测试县甲镇人民政府"), unit(demo_json, "测试县乙镇人民政府")
    for r in (a, b):
        r.values["s2.rules.issued"] = None
    a.values["s2.rules.repealed"] = None  # blank in one unit: the other's figure is the sum
    save(a, folder / "a.json")
    save(b, folder / "b.json")
    agg = scan([folder])
    assert agg.report.values.get("s2.rules.issued") is None
    assert agg.report.values["s2.rules.repealed"] == b.values["s2.rules.repealed"]
    assert all_values(agg.report) == expected_sum([a, b])


def test_other_years_and_formats_are_flagged_and_not_added(units, real_json):
    folder = next(iter(units)).parent
    save(unit(real_json, "测试县戊镇人民政府", 2023), folder / "戊镇 2023.json")
    old = clerk_files.format_2019_docx(folder / "己镇 2020.docx")
    agg = scan([folder])
    late = row_of(agg, folder / "戊镇 2023.json")
    assert not late.included and late.flags[0].startswith("年度不同") and "2023" in late.flags[0]
    row = row_of(agg, old)
    assert not row.included and row.format == "gov-info-2019"
    assert any(f.startswith("年度不同") for f in row.flags) and any(f.startswith("格式不同") for f in row.flags)
    assert all_values(agg.report) == expected_sum(list(units.values()))
    assert any("2个文件未汇总" in n for n in agg.notes)
    # the year chosen by the caller: the 2019-format report is still not added (its figures were not read)
    agg = scan([folder], year=2020)
    row = row_of(agg, old)
    assert row.flags == [f for f in row.flags if f.startswith("格式不同")] and not row.included
    assert agg.included == [] and all(r.flags for r in agg.roster)
    with pytest.raises(GiappError, match="不能按"):
        scan([folder], format="gov-info-2019")


def test_two_files_of_one_unit_are_flagged_and_neither_added(units, real_json):
    folder = next(iter(units)).parent
    twin = save(unit(real_json, "测试县甲镇　人民政府"), folder / "甲镇 重报.json")  # a full-width space
    first = next(p for p in units if p.suffix == ".gireport")
    agg = scan([folder])
    for path in (first, twin):
        row = row_of(agg, path)
        assert not row.included and row.flags[0].startswith("同一单位多个文件")
        assert first.name in row.flags[0] and twin.name in row.flags[0]
    others = [r for p, r in units.items() if p != first]
    assert all_values(agg.report) == expected_sum(others)
    # the caller chooses one: that one is added, the other is not
    chosen = combine(agg.roster, prefer={twin})
    assert row_of(chosen, twin).included and not row_of(chosen, first).included
    assert "已选用" in row_of(chosen, first).flags[0]
    assert all_values(chosen.report) == expected_sum(others + [unit(real_json, "x")])
    # or excludes one
    chosen = combine(agg.roster, exclude={twin})
    assert row_of(chosen, first).included and row_of(chosen, twin).flags[0].startswith("已排除")
    assert len(chosen.included) == 4


def test_an_unreadable_file_is_listed_and_the_rest_added(units):
    folder = next(iter(units)).parent
    (folder / "损坏.gireport").write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    (folder / "坏的.json").write_text("{\"year\": 2024,", encoding="utf-8")
    agg = scan([folder])
    broken = row_of(agg, folder / "损坏.gireport")
    assert broken.read_error and "损坏.gireport" in broken.read_error and re.search(r"[\u4e00-\u9fff]", broken.read_error)
    assert broken.flags == ["无法读取"] and not broken.included
    bad = row_of(agg, folder / "坏的.json")
    assert "JSON 格式错误" in bad.read_error
    assert bad.cells()[7] == bad.read_error  # 未能读取
    assert all_values(agg.report) == expected_sum(list(units.values()))
    assert any("无法读取2个" in n for n in agg.notes)


def test_an_aggregate_is_not_added_again(units, folder):
    agg = scan([folder])
    write_aggregate_file(agg, folder / "县汇总.gireport")
    write_workbook(agg, folder / "县汇总.xlsx")
    again = scan([folder])
    for name in ("县汇总.gireport", "县汇总.xlsx"):
        assert row_of(again, folder / name).flags[0].startswith("汇总报告")
    assert all_values(again.report) == all_values(agg.report)


def test_progress_and_cancel(units, folder):
    seen = []
    scan([folder], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 4) for i in range(5)]
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2

    agg = scan([folder], cancelled=cancelled)
    assert agg.cancelled and len(agg.roster) == 2 and "已取消" in agg.notes[0]
    with pytest.raises(GiappError, match="已取消"):
        write_aggregate_file(agg, folder / "x.gireport")
    with pytest.raises(GiappError, match="已取消"):
        write_workbook(agg, folder / "x.xlsx")
    full = scan([folder])
    with pytest.raises(Cancelled):
        write_workbook(full, folder / "y.xlsx", cancelled=lambda: True)
    assert not (folder / "y.xlsx").exists() and not list(folder.glob(".*tmp*"))


# ---- the aggregate's files


def test_the_aggregate_report_file_reopens_with_the_sums_and_the_units(units, folder):
    agg = scan([folder])
    out = write_aggregate_file(agg, folder / "测试县 汇总.gireport")
    with ReportFile.open(out) as f:
        assert all_values(f.report) == all_values(agg.report) == expected_sum(list(units.values()))
        assert f.report.organ.name == "测试县汇总（4个单位）" and f.report.organ.level == "other"
        info = f.report.settings["aggregate"]
        assert [u["name"] for u in info["units"]] == [r.unit for r in agg.included]
        assert info["excluded"] == [] and info["notes"] == agg.notes
        assert f.audit()[-1]["action"] == "aggregate" and "汇总4个单位" in f.audit()[-1]["new"]
    with pytest.raises(GiappError, match="已存在"):
        write_aggregate_file(agg, out)
    with pytest.raises(GiappError, match=".gireport"):
        write_aggregate_file(agg, folder / "x.json")


def _evaluate(ws, formula: str):
    """=SUM(B5:D5,C7) over the sheet's values (formulas inside evaluated too)."""
    from openpyxl.utils import range_boundaries

    total, given = 0, False
    for ref in formula.removeprefix("=SUM(").removesuffix(")").split(","):
        c1, r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                v = ws.cell(r, c).value
                v = _evaluate(ws, v) if isinstance(v, str) else v
                if v is not None:
                    total, given = total + v, True
    return total if given else None


def _table_values(ws, report_forms) -> dict:
    """Cell id -> what the stacked sheet shows (formulas evaluated): tables start at row 4, each
    as xlsx._table_sheet draws it (heading, blank row, table), a blank row between tables."""
    out, top = {}, 4
    for form in report_forms:
        for section in form.sections:
            if section["kind"] != "table":
                continue
            table = form.tables[section["table"]]
            assert ws.cell(top, 1).value == (section["heading"] if form.kind == "report" else f"附件 {table.title}")
            offset = top - 1
            for p in table.places:
                if p.cell:
                    v = ws.cell(p.r + FIRST_ROW + offset, p.c + 1).value
                    out[p.cell] = _evaluate(ws, v) if isinstance(v, str) else v
            top += FIRST_ROW - 1 + table.rows + 1
    return out


def _same(got: dict, want: dict) -> bool:
    return {k: None if v is None else Decimal(str(v)) for k, v in got.items()} == {
        k: None if v is None else Decimal(str(v)) for k, v in want.items()}


def test_the_workbook_has_the_sum_a_sheet_per_unit_and_the_roster(units, folder):
    (folder / "坏的.json").write_text("[]", encoding="utf-8")
    agg = scan([folder])
    out = write_workbook(agg, folder / "测试县 汇总.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["汇总", "名单"]
    assert sorted(book.sheetnames[2:]) == sorted(r.organ.name for r in units.values())
    summary = book["汇总"]
    assert summary.cell(1, 1).value.startswith("测试县汇总（4个单位）2024年")
    shown = _table_values(summary, agg.report.forms())
    assert _same(shown, expected_sum(list(units.values())))
    formulas = [c.value for row in summary.iter_rows() for c in row if str(c.value).startswith("=SUM(")]
    assert len(formulas) == sum(len(form.order) for form in agg.report.forms())  # totals stay live formulas
    for path, report in units.items():
        ws = book[report.organ.name]
        assert _same(_table_values(ws, report.forms()), all_values(report))  # as printed
        assert path.name in ws.cell(2, 1).value
    roster = book["名单"]
    rows = list(roster.iter_rows(values_only=True))
    head = rows.index(aggregate.ROSTER_HEADERS)
    assert roster.auto_filter.ref == f"A{head + 1}:L{len(rows)}"
    body = rows[head + 1:]
    assert len(body) == 5
    assert {r[0] for r in body if r[9] == "是"} == {r.organ.name for r in units.values()}
    bad = next(r for r in body if r[11].endswith("坏的.json"))
    assert bad[9] == "否" and "无法读取" in bad[8] and bad[7]
    assert any("每个已汇总的单位一张表" in (r[0] or "") for r in rows[:head])


def test_a_printed_total_that_does_not_add_up_is_kept_on_the_unit_sheet(units, folder):
    agg = scan([folder])
    book = openpyxl.load_workbook(write_workbook(agg, folder / "汇总.xlsx"))
    ws = book["测试县乙镇人民政府"]
    comments = [c.comment.text for row in ws.iter_rows() for c in row if c.comment]
    assert len(comments) == 2 and all("按所填照录" in t for t in comments)


def test_many_units_go_to_one_long_sheet(units, folder, monkeypatch):
    monkeypatch.setattr(county, "PER_UNIT_SHEETS_MAX", 2)
    agg = scan([folder])
    book = openpyxl.load_workbook(write_workbook(agg, folder / "汇总.xlsx"))
    assert book.sheetnames == ["汇总", "名单", "各单位数字"]
    ws = book["各单位数字"]
    rows = list(ws.iter_rows(values_only=True))
    ids = rows[1][2:]
    assert rows[0][2] == load_form("gov-info-2021").cell_name(ids[0])
    assert len(rows) == 2 + 4
    for values in rows[2:]:
        report = next(r for r in units.values() if r.organ.name == values[0])
        assert _same(dict(zip(ids, values[2:])), {cid: report.values.get(cid) for cid in ids})
    assert any("各单位数字" in (r[0] or "") for r in book["名单"].iter_rows(values_only=True))


def test_sheet_names_are_valid_and_unique():
    taken = {"汇总", "名单"}
    long = "某某省某某市某某县某某镇人民政府办公室政务公开科[一]：*?/\\附属单位"
    a = county._sheet_name(long, taken)
    b = county._sheet_name(long, taken)
    c = county._sheet_name("汇总", taken)
    for name in (a, b, c):
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert len({a.casefold(), b.casefold(), c.casefold()}) == 3 and c != "汇总"


def test_text_stays_text_in_the_workbook(folder, real_json):
    save(unit(real_json, "=1+1 测试镇"), folder / "a.json")
    agg = scan([folder])
    book = openpyxl.load_workbook(write_workbook(agg, folder / "汇总.xlsx"))
    roster = book["名单"]
    assert any(r[0] == "=1+1 测试镇" for r in roster.iter_rows(values_only=True))
    assert book["=1+1 测试镇"].cell(1, 1).value.startswith("=1+1 测试镇")


def test_a_signed_unit_is_shown_signed_and_a_changed_one_says_so(folder, signable_json):
    import sqlite3

    path = save(unit(signable_json, "测试县甲镇人民政府"), folder / "甲镇.gireport")
    with ReportFile.open(path) as f:
        warnings = {x.rule: "已核实无误" for x in check(f.report) if x.severity == "warning"}
        f.sign({"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2025-01-20"}, warnings)
        report = f.report
    row = aggregate.read_row(path)
    assert (row.status, row.status_name(), row.tampered) == ("signed", "已签发", False)
    assert (row.errors, row.warnings) == counts(check(report, "signoff"))
    assert row.included is False and scan([path]).roster[0].included
    signed = path.read_bytes()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE cell SET value = '999' WHERE id = 's2.rules.issued'")
    conn.commit()
    conn.close()
    row = aggregate.read_row(path)  # changed with sqlite3: fails the file's content check
    assert row.read_error and "内容校验" in row.read_error and not row.included
    path.write_bytes(signed)
    edit(path, "UPDATE cell SET value = '999' WHERE id = 's2.rules.issued'", seal=True)  # checksum made again
    row = aggregate.read_row(path)
    assert row.tampered and row.status_name() == "已签发（签发后被改动）"
