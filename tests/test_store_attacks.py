"""The report file under attack (issue 14, sections 2 and 3, and the audit chain of section 1):
copies made while it is open, processes killed mid-save, leftover journals, bit flips, crafted
content, edited audit trails. Every case: refused with a message naming the file, or opened with
exactly the data last committed."""

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_giapp
from file_attacks import edit, reseal

from giapp.errors import GiappError
from giapp.report import Report
from giapp.signoff import signoff_fingerprint
from giapp.store import JOURNAL_MAGIC, MAX_TEXT, SCHEMA_VERSION, ContentMismatch, ReportFile, write_new_file

PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def state(f: ReportFile) -> tuple:
    """Everything a report file holds: the report (status and sign-off included) and its audit trail."""
    return json.dumps(f.report.to_json(), ensure_ascii=False, sort_keys=True, default=str), f.audit()


def timeless(s: tuple) -> tuple:
    """A state without the audit rows' times (the same change made by another process)."""
    return s[0], [{k: v for k, v in row.items() if k != "at"} for row in s[1]]


def read_state(path: Path) -> tuple:
    with ReportFile.open(path, readonly=True) as f:
        return state(f)


@pytest.fixture
def path(folder, signable_json) -> Path:
    """A real report with changes, texts and a long-ish audit trail."""
    p = folder / "沭阳 2025年度 报告.gireport"
    with ReportFile.create(p, Report.from_json(signable_json)) as f:
        for i, cid in enumerate(["s2.fees", "s2.licensing", "s4.review.upheld", "s4.review.corrected"] * 3):
            f.set_value(cid, 10 + i)
        f.set_text("s5", "问题：办件量大。\n改进：增设窗口。")
        f.set_explanation("W-oversight", "见总体情况第三段")
        f.set_organ(phone="0527-1234567")
    return p


# ---- 2. copying an open report loses nothing


def test_a_copy_made_while_open_holds_every_committed_change(path, tmp_path):
    with ReportFile.open(path) as f:
        for i in range(12):
            if i % 3 == 2:
                f.set_text("s1", f"总体情况，第{i}稿。")
            else:
                f.set_value("s3.new.natural", 700 + i)
            copy = tmp_path / f"U盘 副本 {i}.gireport"
            shutil.copyfile(path, copy)  # only the report file, as a clerk copies it
            with ReportFile.open(copy) as g:
                assert state(g) == state(f)


def _pages(data: bytes) -> list[bytes]:
    size = int.from_bytes(data[16:18], "big")
    return [data[i:i + size] for i in range(0, len(data), size)]


def test_a_copy_torn_by_a_write_in_progress_is_refused(path, tmp_path):
    before = path.read_bytes()
    with ReportFile.open(path) as f:
        f.set_values({"s3.new.natural": 517645, "s4.review.upheld": 3})
        f.set_text("s6.1", "新的文字" * 300)
    after = path.read_bytes()
    path.write_bytes(before)
    old = read_state(path)
    path.write_bytes(after)
    new = read_state(path)
    a, b = _pages(before), _pages(after)
    differ = [i for i in range(len(b)) if i >= len(a) or a[i] != b[i]]
    assert len(differ) >= 3
    rng = random.Random(14)
    refused = 0
    for n in range(40):  # a copy that read some pages before the write and some after
        taken = {i for i in differ if rng.random() < 0.5}
        pages = [b[i] if i in taken or i >= len(a) else a[i] for i in range(len(b))]
        torn = tmp_path / f"撕裂 {n}.gireport"
        torn.write_bytes(b"".join(pages))
        try:
            got = read_state(torn)
        except GiappError as e:
            assert torn.name in str(e)
            refused += 1
            continue
        assert got in (old, new)
    assert refused >= 20


def test_a_failed_save_leaves_the_checksum_right(path):
    with ReportFile.open(path) as f:
        with pytest.raises(GiappError, match="无法保存的字符|控制字符"):
            f.set_text("s5", "问题\ud800")  # a lone surrogate: the INSERT fails
        with pytest.raises(GiappError, match="无法保存的字符|控制字符"):
            f.set_organ(name="新的名称", phone="0527\ud800")  # the name is written, then the phone fails
        assert f.report.organ.name != "新的名称"
        f.set_value("s3.new.natural", 9)
        want = state(f)
    assert read_state(path) == want


# ---- 2. a hot rollback journal (a process killed mid-save) is rolled back after inspection

KILLER = r"""
import os, signal, sys
from giapp.report import Report
from giapp.store import ReportFile
path, op, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
f = ReportFile.open(path)
f._conn.execute("PRAGMA cache_size=1")  # pages reach the file before COMMIT: the journal is hot at once
count = 0
def trace(sql):
    global count
    count = 0 if sql.startswith("BEGIN") else count + 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)  # killed inside the transaction, the file half-written
big = "总体情况第二段。" * 4000
if op == "text":
    f.set_value("s3.new.natural", 4242)  # committed before the kill
    f._conn.set_trace_callback(trace)
    f.set_text("s1", big)
elif op == "paste":
    f._conn.set_trace_callback(trace)
    f.set_values({c: 7 for c in sorted(f.report.find_cell("s3.new.natural")[0].input_cells) if c.startswith("s4.")})
elif op == "settings":
    f._conn.set_trace_callback(trace)
    f.set_settings(deadline="2026-01-31", import_report=["行" * 200] * 2000)
elif op == "sign":
    f.set_text("s1", big)
    f._conn.set_trace_callback(trace)
    f.sign({"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"},
           {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
            "W-oversight": "见总体情况第三段"})
print("finished", flush=True)
"""


def test_killed_while_the_journal_is_hot_the_file_opens_with_its_last_commit(path):
    """A process killed inside each statement of four kinds of save (a text, a paste, the settings,
    sign-off): at least 36 of the kills find the rollback journal hot; after every kill each reader
    gets the last committed state, a writable open rolls the journal back, and the file is whole."""
    pristine = path.read_bytes()
    journal = path.with_name(path.name + "-journal")
    hot = kills = 0
    for op in ("text", "paste", "settings", "sign"):
        path.write_bytes(pristine)
        if op in ("text", "sign"):  # what the child commits before the killed save
            with ReportFile.open(path) as f:
                if op == "text":
                    f.set_value("s3.new.natural", 4242)
                else:
                    f.set_text("s1", "总体情况第二段。" * 4000)
                expected = state(f)
        else:
            expected = read_state(path)
        for kill_at in range(1, 60):
            path.write_bytes(pristine)
            proc = subprocess.run([sys.executable, "-c", KILLER, str(path), op, str(kill_at)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=60)
            if proc.returncode == 0:  # the save finished before that statement: the next kind of save
                assert "finished" in proc.stdout
                break
            assert proc.returncode == -signal.SIGKILL, proc.stderr
            kills += 1
            hot += journal.exists() and journal.read_bytes()[:8] == JOURNAL_MAGIC
            # every reader gets the last committed state; the journal is replayed only on a writable open
            assert timeless(read_state(path)) == timeless(expected)
            if kill_at == 3:
                dumped = run_giapp("dump", path)
                assert dumped.returncode == 0, dumped.stderr
            with ReportFile.open(path) as f:
                assert timeless(state(f)) == timeless(expected)
                f.set_value("s4.review.corrected", kill_at)  # and it can be changed again
            assert sidecars(path) == []
            conn = sqlite3.connect(path)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
    assert hot >= 36, f"the journal was hot at only {hot} of {kills} kills"


def _hot_journal_of(other: Path) -> bytes:
    """A hot journal left by a kill in another report file."""
    proc = subprocess.run([sys.executable, "-c", KILLER, str(other), "settings", "2"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    journal = other.with_name(other.name + "-journal")
    data = journal.read_bytes()
    assert data[:8] == JOURNAL_MAGIC
    return data


def test_a_foreign_journal_beside_a_file_is_never_replayed_into_it(path, folder):
    other = folder / "别的 报告.gireport"
    report = Report(year=2024)
    report.organ.name = "别的镇人民政府"
    write_new_file(other, report)
    journal = path.with_name(path.name + "-journal")
    journal.write_bytes(_hot_journal_of(other))
    before = path.read_bytes()
    for readonly in (True, False):
        with pytest.raises(GiappError) as e:
            ReportFile.open(path, readonly=readonly)
        assert path.name in str(e.value) and journal.name in str(e.value) and "未予使用" in str(e.value)
    assert path.read_bytes() == before and journal.exists()  # nothing replayed, nothing deleted
    result = run_giapp("check", path)
    assert result.returncode == 2 and journal.name in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_foreign_wal_beside_a_file_is_never_replayed_into_it(path, folder):
    other = folder / "别的.gireport"
    shutil.copyfile(path, other)
    conn = sqlite3.connect(other, isolation_level=None)  # a WAL with other content, left by a crash
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE cell SET value = '1' WHERE id = 's3.new.natural'")
    shutil.copyfile(other.with_name(other.name + "-wal"), path.with_name(path.name + "-wal"))
    conn.close()
    before = path.read_bytes()
    with pytest.raises(GiappError) as e:
        ReportFile.open(path)
    assert path.name in str(e.value) and "-wal" in str(e.value)
    assert path.read_bytes() == before and path.with_name(path.name + "-wal").exists()


WAL_WRITER = r"""
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA wal_autocheckpoint=0")
conn.execute("UPDATE cell SET value = '321' WHERE id = 's3.new.natural'")
conn.execute("UPDATE cell SET value = '321' WHERE id = 's3.new.total'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_an_older_files_wal_left_by_a_crash_is_inspected_replayed_and_migrated(folder):
    """What giapp before issue 14 left when killed while open: a schema 2 file with its WAL."""
    path = folder / "旧版 崩溃.gireport"
    report = Report(year=2023)
    report.organ.name = "旧镇人民政府"
    write_new_file(path, report, schema_version=2)
    subprocess.run([sys.executable, "-c", WAL_WRITER, str(path)], cwd=ROOT, timeout=60)
    assert path.with_name(path.name + "-wal").stat().st_size > 0
    with ReportFile.open(path, readonly=True) as f:
        assert f.report.values["s3.new.natural"] == 321
    with ReportFile.open(path) as f:
        assert f.report.values["s3.new.natural"] == 321
    assert sidecars(path) == [path.name + ".v2.bak"]
    with ReportFile.open(path) as f:  # migrated: now checked
        assert f.report.values["s3.new.natural"] == 321 and f._content is not None


# ---- 3. a damaged or crafted file never crashes giapp


def test_100_random_bit_flips_are_each_refused_or_read_exactly(path, tmp_path):
    original = path.read_bytes()
    want = read_state(path)
    rng = random.Random(20261129)
    opened = refused = 0
    for n in range(100):
        data = bytearray(original)
        bit = rng.randrange(len(data) * 8)
        data[bit // 8] ^= 1 << (bit % 8)
        flipped = tmp_path / f"翻转 {n}.gireport"
        flipped.write_bytes(bytes(data))
        try:
            got = read_state(flipped)
        except GiappError as e:
            assert flipped.name in str(e)
            refused += 1
            continue
        assert got == want, f"bit {bit} opened with other data"
        with ReportFile.open(flipped) as f:  # a writable open too
            assert state(f) == want
        opened += 1
    assert opened + refused == 100 and refused >= 10


def test_a_changed_digit_is_detected_and_the_file_can_be_read_only_salvaged(path, folder):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE cell SET value = '417645' WHERE id = 's2.licensing'")  # 517645 -> 417645, as a flip
    conn.commit()
    conn.close()
    (folder / f"{path.name}.v2.bak").write_bytes(b"")  # a backup beside it is named
    for readonly in (False, True):
        with pytest.raises(ContentMismatch) as e:
            ReportFile.open(path, readonly=readonly)
        message = str(e.value)
        assert path.name in message and "内容校验" in message and "只读" in message and ".bak" in message
    with ReportFile.open(path, salvage=True) as f:
        assert f.readonly and "校验" in f.readonly_reason and f.report.values["s2.licensing"] == 417645
        with pytest.raises(GiappError, match="不能修改"):
            f.set_value("s2.licensing", 1)
        f.backup_to(folder / "抢救 副本.gireport")
    with ReportFile.open(folder / "抢救 副本.gireport") as g:
        assert g.report.values["s2.licensing"] == 417645 and g.report.status == "draft"
        assert g.audit()[-1]["action"] == "copy" and "校验" in g.audit()[-1]["new"]


def _seal(sql, *params):
    return lambda p: edit(p, sql, *params, seal=True)


CRAFTED = {
    "BLOB 说明": _seal("UPDATE explanation SET body = x'00ff' WHERE rule = 'W-oversight'"),
    "BLOB 文字": _seal("UPDATE text SET body = x'e4b8ad' WHERE key = 's5'"),
    "数字类型的单元格": _seal("UPDATE cell SET value = x'3132' WHERE id = 's2.licensing'"),
    "状态无效": _seal("UPDATE meta SET value = 'approved' WHERE key = 'status'"),
    "已签发无签发信息": _seal("UPDATE meta SET value = 'signed' WHERE key = 'status'"),
    "签发信息类型不对": _seal("""UPDATE meta SET value = '{"preparer": 1}' WHERE key = 'signoff'"""),
    "设置不是JSON": _seal("UPDATE meta SET value = '{not json' WHERE key = 'settings'"),
    "设置嵌套过深": _seal("UPDATE meta SET value = ? WHERE key = 'settings'", "[" * 100000 + "]" * 100000),
    "六项目不是列表": _seal("""UPDATE meta SET value = '{"s6_items": "s6.1"}' WHERE key = 'settings'"""),
    "机关层级无效": _seal("UPDATE meta SET value = 'emperor' WHERE key = 'organ.level'"),
    "机关名称过长": _seal("UPDATE meta SET value = ? WHERE key = 'organ.name'", "镇" * 100000),
    "年度超出范围": _seal("UPDATE meta SET value = '1900' WHERE key = 'year'"),
    "年度不是数字": _seal("UPDATE meta SET value = '２０２５' WHERE key = 'year'"),
    "格式名为路径": _seal("UPDATE meta SET value = '../../etc/passwd' WHERE key = 'format'"),
    "附件无效": _seal("UPDATE meta SET value = 'evil' WHERE key = 'annex'"),
    "未知的报告信息": _seal("INSERT INTO meta(key, value) VALUES ('owner', 'x')"),
    "未知的文字": _seal("INSERT INTO text(key, body) VALUES ('s9', '多出来的')"),
    "文字过长": _seal("UPDATE text SET body = ? WHERE key = 's5'", "字" * (MAX_TEXT + 1)),
    "空的说明": _seal("UPDATE explanation SET body = '  ' WHERE rule = 'W-oversight'"),
    "未知单元格": _seal("INSERT INTO cell(id, value) VALUES ('s9.x', '1')"),
    "上年关联不完整": _seal("INSERT INTO last_year(key, value) VALUES ('file', 'x.gireport')"),
    "审计记录类型不对": _seal("UPDATE audit SET user = x'07' WHERE id = 2"),
    "多出一列": lambda p: edit(p, "ALTER TABLE cell ADD COLUMN note TEXT"),
    "多出一个索引": lambda p: edit(p, "CREATE INDEX i ON audit(at)"),
    "缺少校验值": lambda p: edit(p, "DELETE FROM meta WHERE key = 'checksum'"),
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_content_is_refused_by_every_reader(path, name):
    CRAFTED[name](path)
    before = path.read_bytes()
    for readonly in (True, False):
        with pytest.raises(GiappError) as e:
            ReportFile.open(path, readonly=readonly)
        assert path.name in str(e.value)
    assert path.read_bytes() == before


def test_crafted_files_are_refused_by_every_command(path, folder):
    CRAFTED["BLOB 说明"](path)
    for args in (["check", path], ["dump", path], ["export", path, "--pdf", folder / "x.pdf"], ["verify", path],
                 ["sign", path, "--preparer", "a", "--reviewer", "b", "--approver", "c"],
                 ["unsign", path, "--reason", "x"]):
        result = run_giapp(*args)
        # verify reports a file failing its content check as changed or damaged (exit 1); the others refuse it
        assert result.returncode == (1 if args[0] == "verify" else 2), (args, result.stdout, result.stderr)
        assert path.name in result.stdout + result.stderr and "Traceback" not in result.stderr
        assert "已损坏" in result.stdout + result.stderr
    result = run_giapp("aggregate", path, "-o", folder / "汇总.xlsx")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (folder / "x.pdf").exists()


# ---- 1. the audit chain, covered by the sign-off


def _signed(path: Path) -> str:
    with ReportFile.open(path) as f:
        return f.sign(PEOPLE, EXPLAIN)["fingerprint"]


def test_the_audit_rows_are_chained_and_the_sign_off_covers_their_head(path):
    _signed(path)
    with ReportFile.open(path, readonly=True) as f:
        s = f.report.signoff
        assert s["scheme"] == 2 and s["audit_rows"] == len(f.audit()) - 1  # all but the sign row itself
        assert s["fingerprint"] == signoff_fingerprint(f.report, s, s["audit_head"])
        assert not f.tampered
    ok = run_giapp("verify", path)
    assert ok.returncode == 0 and "未改动" in ok.stdout and "审计记录" in ok.stdout


def test_an_edited_audit_row_is_detected_on_open_and_by_verify(path):
    _signed(path)
    edit(path, "UPDATE audit SET user = '别人' WHERE id = 3")
    with pytest.raises(ContentMismatch, match="审计记录第3条"):
        ReportFile.open(path)
    result = run_giapp("verify", path)
    assert result.returncode == 1 and "审计记录第3条" in result.stdout
    reseal(path, chain=False)  # checksum made again, chain not: still found
    with pytest.raises(ContentMismatch, match="审计记录第3条"):
        ReportFile.open(path, readonly=True)


def test_a_deleted_audit_row_is_detected_even_with_the_chain_and_checksum_made_again(path):
    _signed(path)
    edit(path, "DELETE FROM audit WHERE id = 4")
    with pytest.raises(ContentMismatch, match="审计记录第4条"):
        ReportFile.open(path)
    assert run_giapp("verify", path).returncode == 1
    reseal(path)  # by someone who has read the source: chain and checksum recomputed
    with ReportFile.open(path) as f:
        assert f.tampered  # the sign-off's fingerprint covers the chain's head
    result = run_giapp("verify", path)
    assert result.returncode == 1 and "指纹不符" in result.stdout


def test_deleting_the_last_audit_rows_is_detected(path):
    edit(path, "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    with pytest.raises(ContentMismatch):
        ReportFile.open(path)


def test_a_changed_signed_time_or_last_year_link_breaks_the_fingerprint(path):
    _signed(path)
    with ReportFile.open(path, readonly=True) as f:
        signoff = dict(f.report.signoff)
    signoff["signed_at"] = "2026-01-01T08:00:00+08:00"
    edit(path, "UPDATE meta SET value = ? WHERE key = 'signoff'", json.dumps(signoff, ensure_ascii=False), seal=True)
    with ReportFile.open(path) as f:
        assert f.tampered


def test_a_file_signed_under_the_old_scheme_still_verifies_and_says_so_and_re_signing_upgrades(folder, signable_json):
    path = folder / "旧方案 签发.gireport"
    report = Report.from_json(signable_json)
    report.explanations.update(EXPLAIN)
    signoff = {**PEOPLE, "fingerprint": signoff_fingerprint(report, PEOPLE), "signed_at": "2026-01-20T10:00:00+08:00",
               "os_user": "clerk"}  # what giapp wrote before issue 14
    report.status, report.signoff = "signed", signoff
    write_new_file(path, report, schema_version=2)
    result = run_giapp("verify", path)
    assert result.returncode == 0 and "未改动" in result.stdout and "旧版指纹" in result.stdout
    assert (folder / f"{path.name}.v2.bak").exists() is False  # verify reads without migrating
    with ReportFile.open(path) as f:  # migrated (with its .bak); the old sign-off still holds
        assert not f.tampered and "scheme" not in f.report.signoff
        f.unsign("升级指纹")
        f.sign(PEOPLE)
    assert (folder / f"{path.name}.v2.bak").exists()
    result = run_giapp("verify", path)
    assert result.returncode == 0 and "旧版指纹" not in result.stdout and "审计记录" in result.stdout


def test_migrating_a_schema_2_file_builds_the_chain_and_the_checksum(folder):
    path = folder / "二版.gireport"
    report = Report(year=2024)
    report.organ.name = "某镇"
    write_new_file(path, report, schema_version=2)
    with ReportFile.open(path) as f:
        f.set_value("s3.new.natural", 5)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM audit WHERE hash IS NULL").fetchone()[0] == 0
    conn.close()
    edit(path, "UPDATE audit SET action = 'x' WHERE id = 1")
    with pytest.raises(ContentMismatch):
        ReportFile.open(path)


def test_a_damaged_value_is_named_and_the_rest_can_be_salvaged(path, folder):
    edit(path, "UPDATE cell SET value = '5１7x45' WHERE id = 's2.licensing'")  # unreadable, as after damage
    with pytest.raises(ContentMismatch) as e:
        ReportFile.open(path)
    assert "s2.licensing" in str(e.value) and "只读" in str(e.value)
    with ReportFile.open(path, salvage=True) as f:
        assert "s2.licensing" in f.damage and "s2.licensing" not in f.report.values
        assert f.report.values["s2.fees"] is not None
        f.backup_to(folder / "可读部分.gireport")
    with ReportFile.open(folder / "可读部分.gireport") as g:
        assert g.report.values.get("s2.licensing") is None and g.report.status == "draft"
