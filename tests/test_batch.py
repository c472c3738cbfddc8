"""Batch check and 汇总 on every core (issue 15): worker processes give the same rows, findings
and order as reading in one process, on a mix of good, crafted and hostile files; a file that
takes too long has its worker killed and the batch goes on; cancel keeps the rows read so far."""

import json
import multiprocessing
import os
import re
import shutil
import sys
import zipfile
from copy import deepcopy
from datetime import date

import pytest
import web_files
from conftest import ROOT, run_giapp
from file_attacks import edit
from test_aggregate_bad_units import hanging_docx

from giapp.aggregate import SAME_UNIT, scan
from giapp.batch import MIN_FILES, run_files
from giapp.cli import _unread, check_file
from giapp.export import write
from giapp.report import Report
from giapp.store import ReportFile

DAY = date(2026, 1, 20)
PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}


def unit(data: dict, name: str, year: int = 2025) -> Report:
    data = deepcopy(data)
    data["organ"]["name"] = name
    data["year"] = year
    data["status"], data["signoff"] = "draft", None
    return Report.from_json(data)


def slow_pdf(path, pages: int = 199):
    """A valid PDF that is slow to read: 199 pages of digits, 390,000 characters (just under the
    reader's bound), each asked of pdfium one by one; it takes seconds, then is found not to be a report."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.setFont("Helvetica", 6)
        for i in range(50):
            c.drawString(20, 800 - i * 15, "0123456789" * 4)
        c.showPage()
    c.save()
    return path


@pytest.fixture
def mixed(folder, real_json, demo_json, signable_json) -> list:
    """Good units in every format, and files that are crafted, hostile, damaged or absent."""
    files = []
    real = unit(real_json, "测试县甲镇人民政府")
    json_path = folder / "甲镇 报告.json"
    json_path.write_text(json.dumps(real.to_json(), ensure_ascii=False), encoding="utf-8")
    files.append(json_path)
    ReportFile.create(folder / "乙镇 报告.gireport", unit(demo_json, "测试县乙镇人民政府")).close()
    files.append(folder / "乙镇 报告.gireport")
    docx = write("docx", unit(real_json, "测试县丙镇人民政府"), folder / "丙镇 报告.docx", DAY)
    files.append(docx)
    files.append(write("xlsx", unit(demo_json, "测试县丁镇人民政府"), folder / "丁镇 附表.xlsx", DAY))
    files.append(web_files.word_page(docx, folder / "丙镇 网页.htm", encoding="gbk"))
    files.append(write("pdf", unit(real_json, "测试县戊镇人民政府"), folder / "戊镇 公开.pdf", DAY))
    # crafted and hostile
    (folder / "坏的 单位.docx").write_bytes(b"PK\x03\x04" + os.urandom(300))
    files.append(folder / "坏的 单位.docx")
    files.append(hanging_docx(unit(real_json, "测试县己镇人民政府"), folder / "卡住的 单位.docx"))
    entity = folder / "实体 声明.docx"
    with zipfile.ZipFile(docx) as zin, zipfile.ZipFile(entity, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb"\?>", b'?><!DOCTYPE w [<!ENTITY x "x">]>', data, count=1)
            zout.writestr(item, data)
    files.append(entity)
    (folder / "乱码 公开.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    files.append(folder / "乱码 公开.pdf")
    os.mkfifo(folder / "管道 单位.json")  # opening it would wait forever
    files.append(folder / "管道 单位.json")
    signed = folder / "庚镇 签发.gireport"
    data = deepcopy(signable_json)
    data["organ"]["name"] = "测试县庚镇人民政府"
    ReportFile.create(signed, Report.from_json(data)).close()
    with ReportFile.open(signed) as f:
        f.sign(PEOPLE, EXPLAIN)
    edit(signed, "UPDATE cell SET value = '706' WHERE id = 's3.new.natural'", seal=True)  # changed behind giapp's back
    files.append(signed)
    files.append(shutil.copy(json_path, folder / "甲镇 报告 副本.json"))  # the same unit twice
    return files


def rows_seen(agg) -> list:
    return [(r.file, r.cells(), r.details(), r.findings, r.forms, None if r.figures is None else list(r.figures),
             r.read_problems, r.totals_off, r.last_year, r.flags, r.included) for r in agg.roster]


def test_scan_with_workers_gives_the_rows_of_one_process(mixed, folder, tmp_path, real_json):
    last = tmp_path / "上年 报告"
    last.mkdir()
    prev = unit(real_json, "测试县甲镇人民政府", year=2024)
    (last / "甲镇 2024.json").write_text(json.dumps(prev.to_json(), ensure_ascii=False), encoding="utf-8")
    here = scan(mixed, last_year_folder=last, workers=0)
    seen = []
    there = scan(mixed, lambda done, total: seen.append((done, total)), last_year_folder=last, workers=2)
    assert [r.file for r in there.roster] == sorted(mixed, key=lambda f: (str(f.parent), f.name))
    assert rows_seen(there) == rows_seen(here)
    assert there.notes == here.notes and there.report.values == here.report.values
    assert seen[0] == (0, len(mixed)) and seen[-1] == (len(mixed), len(mixed)) and len(seen) == len(mixed) + 1
    by_name = {r.file.name: r for r in there.roster}
    assert by_name["甲镇 报告.json"].last_year == "甲镇 2024.json"  # last year's reports reached the workers
    for name, why in (("坏的 单位.docx", "不是Word"), ("实体 声明.docx", "实体声明"), ("管道 单位.json", "不是普通文件"),
                      ("乱码 公开.pdf", "PDF")):
        assert why in by_name[name].read_error.replace(" ", "").replace("（.docx）", ""), by_name[name].read_error
    assert by_name["卡住的 单位.docx"].readable and by_name["庚镇 签发.gireport"].tampered
    assert not by_name["甲镇 报告 副本.json"].included and by_name["甲镇 报告 副本.json"].flags[0].startswith(SAME_UNIT)
    assert by_name["戊镇 公开.pdf"].included and by_name["卡住的 单位.docx"].included
    assert not multiprocessing.active_children()


def test_batch_check_with_workers_gives_the_results_of_one_process(mixed, folder):
    files = mixed + [folder / "不存在 的报告.docx"]
    here, stopped_here = run_files(check_file, files, None, _unread, workers=0)
    there, stopped_there = run_files(check_file, files, None, _unread, workers=2, timeout=120)
    assert not stopped_here and not stopped_there
    assert there == here and [r["file"] for r in there] == [str(f) for f in files]
    assert "找不到" in there[-1]["read_error"] and there[0]["errors"] == 0


def test_giapp_check_on_many_files_lists_them_in_the_order_given(mixed, folder):
    files = list(reversed(mixed))
    assert len(files) >= MIN_FILES  # workers are used where there is more than one core
    expected = [check_file(f) for f in files]
    for entry in ([sys.executable, "-m", "giapp"], [sys.executable, str(ROOT / "packaging" / "giapp_main.py")]):
        result = run_giapp("check", *files, "--json") if entry[1] == "-m" else _run(entry + ["check", *files, "--json"])
        assert result.returncode == 2, result.stderr  # some files cannot be read
        assert json.loads(result.stdout) == json.loads(json.dumps(expected, ensure_ascii=False))
        assert "Traceback" not in result.stderr
    text = run_giapp("check", *files).stdout.splitlines()
    named = [line.split("：")[0] for line in text if not line.startswith("  ")]
    assert named == [f.name for f in files]


def _run(cmd):
    import subprocess

    return subprocess.run(list(map(str, cmd)), capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=300)


def test_a_file_that_takes_too_long_has_its_worker_killed_and_the_batch_goes_on(folder, real_json):
    files = [slow_pdf(folder / "丙 很慢的 公开件.pdf")]
    for i in range(MIN_FILES):  # enough for `giapp aggregate` to use workers too
        path = folder / f"{'甲乙'[i % 2]} 单位 {i}.json"
        path.write_text(json.dumps(unit(real_json, f"测试县第{i}镇人民政府").to_json(), ensure_ascii=False), encoding="utf-8")
        files.append(path)
    agg = scan(files, timeout=4, workers=2)
    assert [r.file for r in agg.roster] == sorted(files, key=lambda f: f.name)
    slow = next(r for r in agg.roster if r.file.suffix == ".pdf")
    assert slow.read_error.startswith("“丙 很慢的 公开件.pdf”读取超过4秒仍未完成，已跳过"), slow.read_error
    assert len(agg.included) == MIN_FILES and not agg.cancelled
    assert not multiprocessing.active_children()  # the worker reading it was ended, not left behind
    result = run_giapp("aggregate", *files, "-o", folder / "汇总.xlsx", "--timeout", "4")
    assert result.returncode == 0 and f"已汇总{MIN_FILES}个单位" in result.stdout, result.stderr
    assert "未汇总 丙 很慢的 公开件.pdf：无法读取 —— “丙 很慢的 公开件.pdf”读取超过4秒仍未完成" in result.stdout


def test_cancel_stops_the_workers_and_keeps_the_rows_read(folder, real_json):
    files = [slow_pdf(folder / "甲 很慢.pdf")]
    for i in range(8):
        path = folder / f"乙 单位 {i}.json"
        path.write_text(json.dumps(unit(real_json, f"测试县第{i}镇人民政府").to_json(), ensure_ascii=False), encoding="utf-8")
        files.append(path)
    done = []
    agg = scan(files, lambda d, total: done.append(d), lambda: done[-1] >= 4, workers=2)
    assert agg.cancelled and "已取消" in agg.notes[0]
    names = [r.file.name for r in agg.roster]
    assert 4 <= len(names) <= 8 and "甲 很慢.pdf" not in names  # stopped while it was still being read
    assert names == sorted(names) and set(names) < {f.name for f in files}  # the files read so far, in order
    assert all(r.readable for r in agg.roster)
    assert not multiprocessing.active_children()


def test_last_years_reports_read_on_workers_link_each_unit(folder, tmp_path, real_json):
    last = tmp_path / "上年 报告"
    last.mkdir()
    for i in range(MIN_FILES + 1):
        prev = unit(real_json, f"测试县第{i}镇人民政府", year=2024)
        (last / f"第{i}镇 2024.json").write_text(json.dumps(prev.to_json(), ensure_ascii=False), encoding="utf-8")
        ReportFile.create(folder / f"第{i}镇 2025.gireport", unit(real_json, f"测试县第{i}镇人民政府")).close()
    (last / "坏的.json").write_text("{", encoding="utf-8")
    agg = scan([folder], last_year_folder=last)
    assert [r.last_year for r in agg.roster] == [f"第{i}镇 2024.json" for i in range(MIN_FILES + 1)]
    assert rows_seen(agg) == rows_seen(scan([folder], last_year_folder=last, workers=0))
    assert not multiprocessing.active_children()
