"""The command line of interchange.md, run as a separate process."""

import json

import pytest
from conftest import ROOT, run_giapp

from giapp import __version__


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def test_version():
    result = run_giapp("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"giapp {__version__}"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{__version__}"' in pyproject


def test_new_import_dump_check(folder, real_json):
    out = folder / "沭阳县 2025 年报.gireport"
    source = write_json(folder / "沭阳 来源.json", real_json)
    result = run_giapp("import", out, source)
    assert result.returncode == 0, result.stderr
    dumped = json.loads(run_giapp("dump", out).stdout)
    assert dumped["schema"] == "giapp.report/1" and dumped["organ"]["name"] == "沭阳县人民政府"
    assert dumped["values"] == {k: (float(v) if "." in str(v) else v) for k, v in real_json["values"].items()}
    assert dumped["texts"] == real_json["texts"]
    check = run_giapp("check", out, "--json")
    assert check.returncode == 0, check.stdout + check.stderr  # warnings only
    [result] = json.loads(check.stdout)
    assert (result["organ"], result["year"], result["format"], result["status"], result["errors"]) == (
        "沭阳县人民政府", 2025, "gov-info-2021", "draft", 0)
    assert {f["rule"] for f in result["findings"]} == {"X-carried.natural", "X-carried.total", "W-oversight"}
    assert all(set(f) >= {"rule", "severity", "cells", "message"} for f in result["findings"])


def test_check_finds_the_example_annex_errors(demo_json, folder):
    source = write_json(folder / "小孟镇 2021.json", demo_json)
    result = run_giapp("check", source)
    assert result.returncode == 1
    assert "2个错误，1个警告" in result.stdout
    assert "A-sum.channels" in result.stdout and "A-sum.visitors" in result.stdout and "A-unique.pub" in result.stdout


def test_check_many_files_and_an_unreadable_one(demo_json, real_json, folder):
    good = write_json(folder / "a.json", real_json)
    bad = write_json(folder / "b.json", demo_json)
    broken = folder / "c.json"
    broken.write_text("{\"values\": ", encoding="utf-8")
    result = run_giapp("check", good, bad, broken, "--json")
    assert result.returncode == 2
    out = json.loads(result.stdout)
    assert [r["errors"] for r in out] == [0, 2, None]
    assert "JSON 格式错误" in out[2]["read_error"] and "c.json" in out[2]["read_error"]
    assert "Traceback" not in result.stderr
    assert run_giapp("check", good, bad).returncode == 1


@pytest.mark.parametrize("content, place", [
    ({"values": {"s3.new.natural": "abc"}}, "values.s3.new.natural"),
    ({"values": {"s3.new.natural": -1}}, "不能为负数"),
    ({"values": {"s3.new.natural": 1.5}}, "整数"),
    ({"values": {"s3.nothing.natural": 1}}, "没有这个单元格"),
    ({"values": {"a.pub.total": 1}}, "附件未启用"),
    ({"year": "明年"}, "year"),
    ({"organ": {"level": "province"}}, "organ.level"),
])
def test_import_refuses_bad_json_and_writes_nothing(folder, real_json, content, place):
    data = dict(real_json)
    for key, value in content.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    source = write_json(folder / "有错 的.json", data)
    out = folder / "结果.gireport"
    result = run_giapp("import", out, source)
    assert result.returncode == 2
    assert place in result.stderr and "有错 的.json" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and [p.name for p in folder.iterdir()] == ["有错 的.json"]


def test_full_width_digits_in_json_are_accepted(folder, real_json):
    data = dict(real_json, values={**real_json["values"], "s3.new.natural": "７０５"})
    source = write_json(folder / "全角.json", data)
    assert run_giapp("check", source).returncode == 0


def test_new_blank_and_from_last_year(folder, real_json):
    prev_json = dict(real_json)
    prev = folder / "沭阳 2025.gireport"
    assert run_giapp("import", prev, write_json(folder / "p.json", prev_json)).returncode == 0
    nxt = folder / "沭阳 2026.gireport"
    result = run_giapp("new", nxt, "--from", prev)
    assert result.returncode == 0, result.stderr
    data = json.loads(run_giapp("dump", nxt).stdout)
    assert data["year"] == 2026 and data["organ"] == real_json["organ"]
    for col in ("natural", "commercial", "legal", "total"):
        assert data["values"][f"s3.carried.{col}"] == real_json["values"][f"s3.next.{col}"]
    assert data["values"]["s3.carried.total"] == 31 and data["values"]["s3.new.natural"] is None
    assert data["texts"]["s1"] == real_json["texts"]["s1"]
    assert data["settings"]["from_last_year"] == ["s1", "s5", "s6"]
    assert data["last_year"]["year"] == 2025 and len(data["last_year"]["fingerprint"]) == 64

    blank = folder / "新 镇.gireport"
    assert run_giapp("new", blank, "--organ", "新镇人民政府", "--year", "2026", "--level", "township").returncode == 0
    data = json.loads(run_giapp("dump", blank).stdout)
    assert data["organ"]["name"] == "新镇人民政府" and all(v is None for v in data["values"].values())
    again = run_giapp("new", blank, "--organ", "x", "--year", "2026")
    assert again.returncode == 2 and "已存在" in again.stderr


@pytest.mark.parametrize("args, message", [
    (["new", "x.gireport"], "--organ"),
    (["new", "x.txt", "--organ", "x", "--year", "2024"], ".gireport"),
    (["dump", "不存在.gireport"], "找不到文件"),
    (["check", "报告.docx"], "找不到文件"),
    (["frobnicate", "a", "b"], "未知的命令"),
])
def test_bad_commands_exit_2_with_a_chinese_message(folder, args, message):
    result = run_giapp(*args, cwd=folder)
    said = result.stdout + result.stderr
    assert result.returncode == 2 and message in said and "Traceback" not in said


def test_check_a_foreign_file_exit_2(folder):
    fake = folder / "假的.gireport"
    fake.write_bytes(b"PK\x03\x04 not a report")
    result = run_giapp("check", fake)
    assert result.returncode == 2 and "不是本程序的报告文件" in result.stdout


def test_export_all_three_beside_the_report(folder, demo_json):
    source = write_json(folder / "小孟镇 2021.json", demo_json)
    report = folder / "小孟镇 2021.gireport"
    assert run_giapp("import", report, source).returncode == 0
    result = run_giapp("export", report)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    stem = "济宁市兖州区小孟镇人民政府2021年政府信息公开工作年度报告"
    assert f"{stem}.docx" in names and f"{stem}.pdf" in names and f"{stem}（附表）.xlsx" in names
    one = run_giapp("export", report, "--pdf", folder / "只要 PDF.pdf")
    assert one.returncode == 0 and (folder / "只要 PDF.pdf").exists()
    bad = run_giapp("export", report, "--pdf", folder / "错.docx")
    assert bad.returncode == 2 and ".pdf" in bad.stderr and not (folder / "错.docx").exists()
