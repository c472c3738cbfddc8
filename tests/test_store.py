"""The report file: a real SQLite document on disk."""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from giapp.errors import GiappError
from giapp.report import Report
from giapp.store import APP_ID, MIGRATIONS, SCHEMA_VERSION, ReportFile, write_new_file


def new_file(folder: Path, name="小孟镇 2024年度.gireport", **kw) -> ReportFile:
    report = Report(year=2024, **kw)
    report.organ.name = "某某镇人民政府"
    return ReportFile.create(folder / name, report)


def closed_file(folder: Path) -> Path:
    f = new_file(folder)
    f.close()
    return f.path


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def test_values_texts_and_organ_survive_closing(folder, real_json):
    path = folder / "沭阳 2025.gireport"
    report = Report.from_json(real_json)
    report.values["s3.r3_1.natural"] = None  # blank, not 0
    report.explanations["W-oversight"] = "已在监督保障中说明"
    with ReportFile.create(path, report) as f:
        f.set_value("s2.fees", "９６１７１．６")
        f.set_text("s5", "问题：……\n改进：……")
        f.set_organ(phone="0527-1234567")
    with ReportFile.open(path) as f:
        got = f.report
    assert got.values["s2.fees"] == Decimal("96171.6")
    assert got.values["s3.r3_1.natural"] is None and got.values["s3.r3_2.natural"] == 0
    assert got.values["s3.new.natural"] == 705
    assert got.texts["s5"] == "问题：……\n改进：……" and got.texts["s1"] == report.texts["s1"]
    assert got.organ.phone == "0527-1234567" and got.organ.name == "沭阳县人民政府"
    assert got.explanations == {"W-oversight": "已在监督保障中说明"}
    assert got.fingerprint() != report.fingerprint()  # fees, s5 and phone changed


def test_file_is_marked_as_ours_and_self_contained_when_closed(folder):
    f = new_file(folder)
    f.set_value("s3.new.natural", 3)
    assert f.path.name + "-wal" not in sidecars(f.path)  # a rollback journal, not WAL
    f.close()
    assert sidecars(f.path) == []  # one file once closed
    conn = sqlite3.connect(f.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT value FROM cell WHERE id = 's3.new.total'").fetchone()[0] == "3"
    conn.close()


def test_every_change_is_audited(folder):
    with new_file(folder) as f:
        f.set_value("s3.new.natural", "5")
        f.set_value("s3.new.natural", "7")
        f.set_value("s3.new.natural", "")
        f.set_text("s1", "总体情况")
        f.set_explanation("W-blank", "数据待核")
        rows = f.audit()
    values = [(r["target"], r["old"], r["new"]) for r in rows if r["action"] == "value"]
    assert values == [("s3.new.natural", "", "5"), ("s3.new.natural", "5", "7"), ("s3.new.natural", "7", "")]
    assert rows[0]["action"] == "create"
    assert {r["action"] for r in rows} >= {"create", "value", "text", "explain"}
    assert all(r["user"] and r["at"][:4].isdigit() for r in rows)


def test_refused_input_changes_nothing(folder):
    with new_file(folder) as f:
        f.set_value("s3.new.legal", 4)
        for bad, why in (("abc", "不是数字"), ("-2", "负数"), ("1.5", "整数"), ("1000000000", "过大")):
            with pytest.raises(GiappError) as e:
                f.set_value("s3.new.legal", bad)
            assert why in str(e.value) and "法律服务机构" in str(e.value) and "本年新收" in str(e.value)
        with pytest.raises(GiappError, match="自动计算"):
            f.set_value("s3.new.total", 1)
        assert f.report.values["s3.new.legal"] == 4
        audit = len(f.audit())
    with ReportFile.open(f.path) as g:
        assert g.report.values["s3.new.legal"] == 4 and g.report.values["s3.new.total"] == 4
        assert len(g.audit()) == audit


def test_a_paste_is_one_transaction(folder):
    with new_file(folder) as f:
        f.set_values({"s4.review.upheld": 1, "s4.review.corrected": 2})
        assert f.report.values["s4.review.total"] == 3
        with pytest.raises(GiappError):
            f.set_values({"s4.review.other": 5, "s4.review.pending": "x"})
        assert f.report.values.get("s4.review.other") is None and f.report.values["s4.review.total"] == 3
    with ReportFile.open(f.path) as g:
        assert g.report.values.get("s4.review.other") is None and g.report.values["s4.review.total"] == 3


def test_same_file_cannot_be_opened_twice(folder):
    f = new_file(folder)
    with pytest.raises(GiappError, match="已在另一个窗口或程序中打开"):
        ReportFile.open(f.path)
    f.close()
    ReportFile.open(f.path).close()


def test_readonly_open_writes_nothing(folder):
    path = closed_file(folder)
    before = path.read_bytes()
    with ReportFile.open(path, readonly=True) as f:
        assert f.readonly and f.report.organ.name == "某某镇人民政府"
        with pytest.raises(GiappError, match="只读"):
            f.set_value("s3.new.natural", 1)
    assert path.read_bytes() == before and sidecars(path) == []


def test_new_file_refuses_to_overwrite(folder):
    f = new_file(folder)
    f.close()
    with pytest.raises(GiappError, match="已存在"):
        new_file(folder)


# ---- files that are not ours, or not whole: refused with a clear message, nothing written


def _foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()


def _newer(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _truncated(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _damaged(path):
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page, len(data), 7):  # scribble over every page but the header page
        data[i] = (data[i] * 31 + 17) % 256
    path.write_bytes(bytes(data))


def _not_sqlite(path):
    path.write_text("这是一个文本文件，不是报告。", encoding="utf-8")


def _empty(path):
    path.write_bytes(b"")


def _trigger(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER evil AFTER UPDATE ON cell BEGIN DELETE FROM text; END")
    conn.commit()
    conn.close()


def _header_only(path):
    path.write_bytes(path.read_bytes()[:60])


@pytest.mark.parametrize("spoil, message", [
    (_foreign, "其他程序的数据库文件"),
    (_newer, "更新版本"),
    (_truncated, "不完整"),
    (_damaged, "已损坏"),
    (_not_sqlite, "不是本程序的报告文件"),
    (_empty, "空文件"),
    (_trigger, "不认识的内容"),
    (_header_only, "不完整"),
])
def test_foreign_or_broken_files_are_refused_and_left_untouched(folder, spoil, message):
    path = folder / "别人的 文件.gireport"
    if spoil is _foreign:
        _foreign(path)
    else:
        with new_file(folder, path.name) as f:
            for i, c in enumerate(["s3.new.natural", "s3.new.legal", "s4.review.upheld"] * 30):
                f.set_value(c, i)
            f.set_text("s1", "总体情况" * 2000)
        spoil(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for readonly in (False, True):
        with pytest.raises(GiappError) as e:
            ReportFile.open(path, readonly=readonly)
        assert message in str(e.value) and path.name in str(e.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sidecars(path) == []


def test_an_older_file_is_backed_up_then_migrated(folder):
    path = folder / "旧版 报告.gireport"
    report = Report(year=2023)
    report.organ.name = "旧镇人民政府"
    report.values["s3.new.natural"] = 9
    write_new_file(path, report, schema_version=1)
    old_bytes = path.read_bytes()
    assert len(MIGRATIONS) == SCHEMA_VERSION > 1
    with ReportFile.open(path) as f:
        assert f.report.values["s3.new.natural"] == 9 and f.report.organ.name == "旧镇人民政府"
        f.set_value("s3.new.legal", 1)
    backup = folder / "旧版 报告.gireport.v1.bak"
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT value FROM cell WHERE id='s3.new.natural'").fetchone()[0] == "9"
    conn.close()
    assert backup.stat().st_size == len(old_bytes)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM last_year").fetchone()[0] == 0
    conn.close()


def test_an_older_file_opened_readonly_is_read_without_migrating(folder):
    path = folder / "旧版.gireport"
    report = Report(year=2023)
    report.values["s3.new.natural"] = 9
    write_new_file(path, report, schema_version=1)
    before = path.read_bytes()
    with ReportFile.open(path, readonly=True) as f:
        assert f.report.values["s3.new.natural"] == 9
    assert path.read_bytes() == before and sidecars(path) == []


def test_a_damaged_value_inside_a_valid_file_is_reported(folder):
    path = closed_file(folder)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE cell SET value='十二' WHERE id='s3.new.natural'")
    conn.commit()
    conn.close()
    with pytest.raises(GiappError, match="s3.new.natural"):
        ReportFile.open(path)


WRITER = r"""
import sys
from giapp.store import ReportFile
f = ReportFile.open(sys.argv[1])
cells = [c for c in sorted(f.report.find_cell("s3.new.natural")[0].input_cells) if not c.startswith("s3.carried")]
i = 0
while True:
    f.set_value(cells[i % len(cells)], i)
    print(i, flush=True)
    i += 1
"""


def test_kill_during_many_changes_loses_nothing_committed(folder):
    path = closed_file(folder)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    last = -1
    for line in proc.stdout:
        last = int(line)
        if last >= 400:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert last >= 400
    with ReportFile.open(path) as f:
        form = f.report.find_cell("s3.new.natural")[0]
        cells = [c for c in sorted(form.input_cells) if not c.startswith("s3.carried")]
        # every committed change is there: the newest value of each cell is at least the one printed
        for i in range(max(0, last - len(cells) + 1), last + 1):
            assert f.report.values[cells[i % len(cells)]] >= i
        audit = [r for r in f.audit() if r["action"] == "value"]
        assert len(audit) >= last + 1
    assert sidecars(path) == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_backup_copy_is_a_whole_report(folder):
    with new_file(folder) as f:
        f.set_value("s3.new.natural", 2)
        f.backup_to(folder / "副本 2024.gireport")
    with ReportFile.open(folder / "副本 2024.gireport") as g:
        assert g.report.values["s3.new.natural"] == 2
