"""汇总 survives bad units (issue 14, part 6): a crafted or hanging file among 200 never stops it,
each unread file is listed with its reason; names with invisible characters are the same unit;
a signed unit changed behind giapp's back is not added; JSON units are listed as unverified."""

import json
import os
import re
import sqlite3
import zipfile
from copy import deepcopy

import pytest
from conftest import run_giapp

from giapp.aggregate import SAME_UNIT, TAMPERED, scan, unit_key
from giapp.export import write
from giapp.report import Report
from giapp.store import ReportFile

PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}


def unit_json(data: dict, name: str, path):
    data = deepcopy(data)
    data["organ"]["name"] = name
    data["year"] = 2025
    data["status"], data["signoff"] = "draft", None
    path.write_text(json.dumps(Report.from_json(data).to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def hanging_docx(report: Report, path):
    """A small Word file whose table claims a cell spanning 100,000,000 columns (the importer
    spun on it for minutes)."""
    plain = path.with_name("plain.docx.tmp.docx")
    write("docx", report, plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'<w:gridSpan w:val="\d+"/>', b'<w:gridSpan w:val="100000000"/>', data, count=1)
            zout.writestr(item, data)
    plain.unlink()
    return path


def test_one_crafted_and_one_hanging_unit_among_200_never_stop_the_aggregate(folder, real_json):
    units = folder / "各单位"
    units.mkdir()
    for i in range(197):
        unit_json(real_json, f"测试县第{i:03d}单位", units / f"单位 {i:03d}.json")
    (units / "坏的 单位.docx").write_bytes(b"PK\x03\x04" + os.urandom(300))  # crafted: not a Word file
    hanging_docx(Report.from_json(real_json), units / "卡住的 单位.docx")
    os.mkfifo(units / "管道.json")  # opening it would wait forever
    out = folder / "汇总.xlsx"
    result = run_giapp("aggregate", units, "-o", out, "--timeout", "5")
    assert result.returncode == 0, result.stderr
    # the file that hung the importer is read within its bounds now (tests/test_hostile.py), and added
    assert "已汇总198个单位" in result.stdout and "共读取200个文件" in result.stdout
    assert "未汇总 卡住的 单位.docx" not in result.stdout
    lines = {name: next(line for line in result.stdout.splitlines() if name in line)
             for name in ("坏的 单位.docx", "管道.json")}
    for name, line in lines.items():  # each with its reason, not only "无法读取"
        assert line.startswith(f"  未汇总 {name}：无法读取 —— "), line
        assert len(line.split("——", 1)[1].strip()) > 8, line
    assert "不是普通文件" in lines["管道.json"]
    assert out.exists()


def test_a_name_with_invisible_characters_is_the_same_unit(folder, real_json):
    name = "测试县甲镇人民政府"
    for i, disguised in enumerate((name, "测试县甲\u200b镇人民政府", "\u200e测试县甲镇人民政府", "\ufeff测试县甲镇人民政府\u00ad")):
        unit_json(real_json, disguised, folder / f"甲镇 {i}.json")
    unit_json(real_json, "测试县乙镇人民政府", folder / "乙镇.json")
    assert unit_key("测试县甲\u200b镇\u200f人民政府") == unit_key(name)
    agg = scan([folder])
    twins = [r for r in agg.roster if r.file.name.startswith("甲镇")]
    assert len(twins) == 4 and not any(r.included for r in twins)
    assert all(r.flags[0].startswith(SAME_UNIT) for r in twins)
    assert "单位名称含不可见字符（比较时已去除）" in twins[1].remarks()
    assert [r.unit for r in agg.included] == ["测试县乙镇人民政府"]


def test_a_signed_unit_changed_behind_giapps_back_is_not_added(folder, real_json, signable_json):
    signed = folder / "甲镇 签发.gireport"
    data = deepcopy(signable_json)
    data["organ"]["name"] = "测试县甲镇人民政府"
    ReportFile.create(signed, Report.from_json(data)).close()
    with ReportFile.open(signed) as f:
        f.sign(PEOPLE, EXPLAIN)
    conn = sqlite3.connect(signed)
    conn.execute("UPDATE cell SET value = '706' WHERE id = 's3.new.natural'")
    conn.commit()
    conn.close()
    unit_json(real_json, "测试县乙镇人民政府", folder / "乙镇.json")
    agg = scan([folder])
    row = next(r for r in agg.roster if r.file == signed)
    assert not row.included and row.flags[0].startswith(TAMPERED) and row.tampered
    assert "签发后被改动1个" in "".join(agg.notes)
    out = folder / "汇总.xlsx"
    result = run_giapp("aggregate", folder, "-o", out)
    assert result.returncode == 0 and f"未汇总 {signed.name}：{TAMPERED}" in result.stdout


def test_a_json_unit_is_added_and_listed_as_unverified(folder, real_json):
    path = unit_json(real_json, "测试县乙镇人民政府", folder / "乙镇.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["status"] = "signed"
    data["signoff"] = dict(PEOPLE, fingerprint="0" * 64)  # claims a sign-off nobody can check
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    agg = scan([folder])
    row = agg.roster[0]
    assert row.included and row.unverified and row.status_name() == "未核验（JSON）" and not row.tampered
    assert any("未经核验" in r for r in row.remarks())
    assert any("来自 JSON 文件，未经核验" in n for n in agg.notes)
    result = run_giapp("aggregate", folder, "-o", folder / "汇总.xlsx")
    assert result.returncode == 0 and "已汇总但未经核验（JSON 文件，签发状态仅供参考）：乙镇.json" in result.stdout


@pytest.mark.parametrize("bad", ["-1", "0", "nan"])
def test_the_timeout_must_be_positive(folder, real_json, bad):
    unit_json(real_json, "测试县乙镇人民政府", folder / "乙镇.json")
    result = run_giapp("aggregate", folder, "-o", folder / "汇总.xlsx", f"--timeout={bad}")
    assert result.returncode == 2 and "--timeout" in result.stderr
