"""The report file: one SQLite file per report (SQLite as an application file format). Qt-free.

- application_id and user_version mark the file as ours and give its schema version;
- every change is one transaction, with an audit row (when, who, what, old -> new);
- WAL while open, one self-contained file once closed; an exclusive lock keeps a second
  program (or window) from editing the same file;
- files from elsewhere are inspected before SQLite writes anything: header, application id,
  version, size, then quick_check with trusted_schema off, and no trigger or view is accepted;
- an older file is copied to a backup before its schema is migrated.
"""

import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from functools import cached_property
from pathlib import Path

from . import __version__
from .errors import GiappError
from .form import load_form
from .report import LEVELS, LastYear, Organ, Report, check_explanation
from .values import ValueRefused, format_value, parse_value

SUFFIX = ".gireport"
APP_ID = 0x47494150  # "GIAP"
SQLITE_MAGIC = b"SQLite format 3\x00"

# Schema migrations: MIGRATIONS[n] brings a file from user_version n to n + 1.
MIGRATIONS = [
    # 0 -> 1: the report
    """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cell(id TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE text(key TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE explanation(rule TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL,
                       action TEXT NOT NULL, target TEXT NOT NULL, old TEXT, new TEXT);
    """,
    # 1 -> 2: the link to last year's report, with a copy of its figures and texts
    """
    CREATE TABLE last_year(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
_OBJECTS = {
    "meta", "cell", "text", "explanation", "audit", "last_year",
    "sqlite_autoindex_meta_1", "sqlite_autoindex_cell_1", "sqlite_autoindex_text_1",
    "sqlite_autoindex_explanation_1", "sqlite_autoindex_last_year_1",
}
MAX_TEXT = 2_000_000  # characters in one text of an untrusted file


def os_user() -> str:
    import getpass  # not needed to open a report

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some services)
        return "未知用户"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _harden(conn: sqlite3.Connection) -> None:
    """SQLite's advice for files from elsewhere ("defense against the dark arts")."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA mmap_size=0")
    if hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):  # Python 3.12+
        conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)


def _uri(path: Path, mode: str) -> str:
    return f"{path.absolute().as_uri()}?mode={mode}"


# ---- inspecting a file before SQLite touches it


def inspect_header(path: Path) -> int:
    """The file's schema version, or GiappError saying why it is not a report file of ours."""
    name = path.name
    if not path.exists():
        raise GiappError(f"找不到文件“{path}”")
    if path.is_dir():
        raise GiappError(f"“{path}”是文件夹，不是报告文件")
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise GiappError(f"无法读取“{name}”：{e.strerror or e}") from None
    if size == 0:
        raise GiappError(f"“{name}”是空文件，不是报告文件")
    if not header.startswith(SQLITE_MAGIC):
        raise GiappError(f"“{name}”不是本程序的报告文件（文件格式不对）")
    if len(header) < 100:
        raise GiappError(f"“{name}”已损坏：文件不完整")
    app_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if app_id != APP_ID:
        raise GiappError(f"“{name}”是其他程序的数据库文件，不是本程序的报告文件")
    if version > SCHEMA_VERSION:
        raise GiappError(f"“{name}”由更新版本的本程序保存（文件版本 {version}），请升级后再打开")
    if version < 1:
        raise GiappError(f"“{name}”已损坏：缺少版本信息")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size_valid = header[92:96] == header[24:28] and pages > 0
    wal = path.with_name(path.name + "-wal")
    if size_valid and pages * page_size > size and not wal.exists():
        raise GiappError(f"“{name}”已损坏：文件不完整（可能复制或下载中断）")
    return version


class ReportFile:
    """An open report file: the report in memory and every change written at once."""

    def __init__(self, path: Path, report: Report, conn: sqlite3.Connection | None, readonly_reason: str = ""):
        self.path = path
        self.report = report
        self._conn = conn
        self.readonly_reason = readonly_reason

    @cached_property
    def user(self) -> str:
        """Who makes the changes, for the audit trail."""
        return os_user()

    @property
    def readonly(self) -> bool:
        return self._conn is None

    @property
    def tampered(self) -> bool:
        """A signed report whose content no longer matches its fingerprint (changed behind our back)."""
        if self.report.status != "signed":
            return False
        from .signoff import intact

        return not intact(self.report)

    # ---- creating and opening

    @classmethod
    def create(cls, path, report: Report, action: str = "create", detail: str = "") -> "ReportFile":
        """Write a new report file (refusing to overwrite) and open it."""
        from .files import check_target

        path = Path(path)
        check_target(path, extra=len("-journal"))  # before anything else looks at a name too long
        if path.exists():
            raise GiappError(f"“{path.name}”已存在，未覆盖。请换一个文件名")
        write_new_file(path, report, action, detail)
        return cls.open(path)

    @classmethod
    def open(cls, path, readonly: bool = False) -> "ReportFile":
        path = Path(path)
        version = inspect_header(path)
        wal_left = path.with_name(path.name + "-wal").exists()
        if not readonly and not _writable(path):
            readonly, reason = True, "文件或所在位置不可写（如光盘、只读U盘或共享文件夹），已以只读方式打开"
        else:
            reason = "以只读方式打开" if readonly else ""
        if wal_left and not readonly:
            # Left by a program that stopped without closing: SQLite replays the committed changes.
            report = None
        else:
            report = _validated_load(path, version)
        if readonly:
            if report is None:
                report = _validated_load(path, version)
            return cls(path, report, None, reason)
        if version < SCHEMA_VERSION:
            backup = path.with_name(f"{path.name}.v{version}.bak")
            _backup(path, backup)
        conn = _connect_rw(path)
        try:
            if version < SCHEMA_VERSION:
                _migrate(conn, version)
            if report is None:
                _check_integrity(conn, path.name)
                report = _load(conn, path.name)
        except BaseException:
            conn.close()
            raise
        return cls(path, report, conn)

    def close(self) -> None:
        """Fold the WAL back into the file, so that what is left is one self-contained file."""
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error:  # a full disk: every change is safe in the -wal file; the next open replays it
            pass
        finally:
            conn.close()
        # a read-only look at a file left open by a crash may have left its shared-memory file
        if not self.path.with_name(self.path.name + "-wal").exists():
            self.path.with_name(self.path.name + "-shm").unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- changes: each one a transaction with its audit rows

    @contextmanager
    def _transaction(self):
        if self._conn is None:
            raise GiappError(f"“{self.path.name}”{self.readonly_reason or '以只读方式打开'}，不能修改")
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            from .files import write_error

            raise GiappError(f"保存到“{self.path.name}”失败，这次修改没有保存：{write_error(e, self.path)}") from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _audit(self, conn, action: str, target: str, old, new) -> None:
        conn.execute(
            "INSERT INTO audit(at, user, action, target, old, new) VALUES (?,?,?,?,?,?)",
            (_now(), self.user, action, target, old, new),
        )

    def set_value(self, cell_id: str, value) -> dict:
        """Set one cell (text as typed, or a number; None clears). Returns the changed cells."""
        self._check_draft()
        report = self.report
        before = dict(report.values)
        changes = report.set_value(cell_id, value)
        if not changes:
            return changes
        try:
            with self._transaction() as conn:
                for cid, (old, new) in changes.items():
                    conn.execute("INSERT OR REPLACE INTO cell(id, value) VALUES (?, ?)", (cid, _db_value(new)))
                old, new = changes[cell_id]
                self._audit(conn, "value", cell_id, format_value(old), format_value(new))
        except BaseException:
            report.values = before
            raise
        return changes

    def set_values(self, values: dict, action: str = "values") -> dict:
        """Several cells in one transaction (a paste): all or none."""
        self._check_draft()
        report = self.report
        before = dict(report.values)
        changes: dict = {}
        try:
            for cid, value in values.items():
                for k, (old, new) in report.set_value(cid, value).items():
                    changes[k] = (changes[k][0] if k in changes else old, new)
            if changes:
                with self._transaction() as conn:
                    for cid, (old, new) in changes.items():
                        conn.execute("INSERT OR REPLACE INTO cell(id, value) VALUES (?, ?)", (cid, _db_value(new)))
                        if cid in values:
                            self._audit(conn, action, cid, format_value(old), format_value(new))
        except BaseException:
            report.values = before
            raise
        return changes

    def set_text(self, key: str, body: str) -> None:
        self._check_draft()
        if len(body) > MAX_TEXT:
            raise GiappError(f"文字过长（超过{MAX_TEXT}字）")
        _check_characters("文字", body, line_breaks=True)
        old = self.report.text(key)
        if old == body:
            return
        marks = [k for k in self.report.settings.get("from_last_year", []) if k != key]
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO text(key, body) VALUES (?, ?)", (key, body))
            if marks != self.report.settings.get("from_last_year", marks):
                self._put_settings(conn, {**self.report.settings, "from_last_year": marks})
            self._audit(conn, "text", key, old, body)
        self.report.texts[key] = body
        if "from_last_year" in self.report.settings:
            self.report.settings["from_last_year"] = marks

    def set_explanation(self, rule: str, body: str) -> None:
        self._check_draft()
        old = self.report.explanations.get(rule, "")
        body = check_explanation(rule, body)
        _check_characters("说明", body, line_breaks=True)
        if old == body:
            return
        with self._transaction() as conn:
            if body:
                conn.execute("INSERT OR REPLACE INTO explanation(rule, body) VALUES (?, ?)", (rule, body))
            else:
                conn.execute("DELETE FROM explanation WHERE rule = ?", (rule,))
            self._audit(conn, "explain", rule, old, body)
        if body:
            self.report.explanations[rule] = body
        else:
            self.report.explanations.pop(rule, None)

    def set_organ(self, **fields) -> None:
        """Organ data: name, level, address, phone, website."""
        self._check_draft()
        organ = self.report.organ
        for key, value in fields.items():
            if key not in asdict(organ):
                raise GiappError(f"未知的机关信息“{key}”")
            if key == "level" and value not in LEVELS:
                raise GiappError(f"“{value}”不是可用的机关层级")
            _check_characters("机关信息", value or "", line_breaks=False)
        with self._transaction() as conn:
            for key, value in fields.items():
                old = getattr(organ, key)
                if old != value:
                    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (f"organ.{key}", value))
                    self._audit(conn, "organ", key, old, value)
        for key, value in fields.items():
            setattr(organ, key, value)

    def set_meta(self, key: str, value) -> None:
        """year (int) or annex (form id or None)."""
        self._check_draft()
        if key not in ("year", "annex"):
            raise GiappError(f"未知的报告信息“{key}”")
        old = getattr(self.report, key)
        if key == "annex" and value is not None:
            load_form(value)
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, "" if value is None else str(value)))
            self._audit(conn, key, key, "" if old is None else str(old), "" if value is None else str(value))
        setattr(self.report, key, value)

    def set_settings(self, **values) -> None:
        """Report settings kept in the file: deadline, s6_items, …"""
        self._check_draft()
        settings = {**self.report.settings, **values}
        if settings == self.report.settings:
            return
        with self._transaction() as conn:
            self._put_settings(conn, settings)
            for key, value in values.items():
                old = self.report.settings.get(key)
                if old != value:
                    self._audit(conn, "setting", key, json.dumps(old, ensure_ascii=False),
                                json.dumps(value, ensure_ascii=False))
        self.report.settings = settings

    def sign(self, people: dict, explanations: dict | None = None) -> dict:
        """Sign off, with the explanations given, in one transaction; GiappError listing what
        stands in the way (and nothing written) when something does."""
        from .signoff import check_people, obstacles, signoff_fingerprint

        self._check_draft()
        check_people(*(people.get(k, "") for k in ("preparer", "reviewer", "approver", "date")))
        report = self.report
        before = dict(report.explanations)
        for rule, body in (explanations or {}).items():
            check_explanation(rule, body)
        report.explanations.update({k: v.strip() for k, v in (explanations or {}).items() if v.strip()})
        try:
            blocking = obstacles(report)
            if blocking:
                raise GiappError("不能签发，还有以下问题：\n" + "\n".join(f"  {i}. {o.message}" for i, o in enumerate(blocking, 1)))
            signoff = {**people, "fingerprint": signoff_fingerprint(report, people), "signed_at": _now(), "os_user": self.user}
            with self._transaction() as conn:
                for rule, body in (explanations or {}).items():
                    if body.strip():
                        conn.execute("INSERT OR REPLACE INTO explanation(rule, body) VALUES (?, ?)", (rule, body.strip()))
                        self._audit(conn, "explain", rule, before.get(rule, ""), body.strip())
                conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('status', 'signed')")
                conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('signoff', ?)",
                             (json.dumps(signoff, ensure_ascii=False),))
                names = f"填报人 {people['preparer']}，审核人 {people['reviewer']}，签发人 {people['approver']}，{people['date']}"
                self._audit(conn, "sign", "签发", "草稿", f"已签发（{names}；指纹 {signoff['fingerprint']}）")
        except BaseException:
            report.explanations = before
            raise
        report.status, report.signoff = "signed", signoff
        return signoff

    def unsign(self, reason: str) -> None:
        """Unlock a signed report: the sign-off is voided and the unlock recorded with its reason."""
        reason = (reason or "").strip()
        if self.report.status != "signed":
            raise GiappError(f"“{self.path.name}”尚未签发")
        if not reason:
            raise GiappError("撤销签发须填写原因")
        old = self.report.signoff or {}
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('status', 'draft')")
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('signoff', '')")
            self._audit(conn, "unsign", "撤销签发", f"已签发（签发人 {old.get('approver', '')}，{old.get('date', '')}；"
                        f"指纹 {old.get('fingerprint', '')}）", f"草稿（原因：{reason}）")
        self.report.status, self.report.signoff = "draft", None

    def _put_settings(self, conn, settings: dict) -> None:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('settings', ?)",
                     (json.dumps(settings, ensure_ascii=False),))

    def _check_draft(self) -> None:
        if self.report.status == "signed":
            raise GiappError(f"“{self.path.name}”已签发，内容已锁定；如需修改请先撤销签发")

    def audit(self) -> list[dict]:
        conn = self._conn or sqlite3.connect(_uri(self.path, "ro"), uri=True)
        try:
            rows = conn.execute("SELECT at, user, action, target, old, new FROM audit ORDER BY id").fetchall()
        finally:
            if conn is not self._conn:
                conn.close()
        return [dict(zip(("at", "user", "action", "target", "old", "new"), r)) for r in rows]

    def backup_to(self, target) -> None:
        """A copy of the report as it is now (SQLite's backup API), one self-contained file."""
        target = Path(target)
        src = self._conn or sqlite3.connect(_uri(self.path, "ro"), uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            if src is not self._conn:
                src.close()


# ---- file internals


def _check_characters(what: str, text: str, line_breaks: bool) -> None:
    """GiappError when text holds a character Word and Excel cannot hold (a control character)."""
    from .inputs import bad_character

    found = bad_character(text, line_breaks)
    if found:
        raise GiappError(f"{what}中含有控制字符（{found}，如从其他程序粘贴来的软换行），请删去后再保存")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect_rw(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(_uri(path, "rw"), uri=True, isolation_level=None, timeout=0.2,
                               check_same_thread=False)
    except sqlite3.Error as e:
        raise GiappError(f"无法打开“{path.name}”：{e}") from None
    try:
        _harden(conn)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")  # take the lock now: nobody else edits this file
        conn.execute("COMMIT")
    except sqlite3.OperationalError as e:
        conn.close()
        if "locked" in str(e) or "busy" in str(e):
            raise GiappError(f"“{path.name}”已在另一个窗口或程序中打开，请先关闭那里的报告") from None
        raise GiappError(f"无法打开“{path.name}”：{e}") from None
    except sqlite3.DatabaseError as e:
        conn.close()
        raise GiappError(f"“{path.name}”已损坏，无法打开（{e}）") from None
    return conn


def _validated_load(path: Path, version: int) -> Report:
    """Open read-only, check, load; nothing is written to the file."""
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=0.2)
    except sqlite3.Error as e:
        raise GiappError(f"无法打开“{path.name}”：{e}") from None
    try:
        _harden(conn)
        conn.execute("PRAGMA query_only=ON")
        _check_integrity(conn, path.name)
        if version < SCHEMA_VERSION:  # migrate a copy in memory to read it
            mem = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(mem)
            conn.close()
            conn = mem
            _migrate(conn, version)
        return _load(conn, path.name)
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise GiappError(f"“{path.name}”已在另一个窗口或程序中打开，请先关闭那里的报告") from None
        raise GiappError(f"“{path.name}”已损坏，无法打开（{e}）") from None
    except sqlite3.DatabaseError as e:
        raise GiappError(f"“{path.name}”已损坏，无法打开（{e}）") from None
    finally:
        conn.close()


def _check_integrity(conn: sqlite3.Connection, name: str) -> None:
    result = conn.execute("PRAGMA quick_check").fetchall()
    if result != [("ok",)]:
        raise GiappError(f"“{name}”已损坏，无法打开（完整性检查：{result[0][0]}）")
    objects = {(t, n) for t, n in conn.execute("SELECT type, name FROM sqlite_master")}
    unknown = sorted(n for t, n in objects if n not in _OBJECTS or t not in ("table", "index"))
    if unknown:
        raise GiappError(f"“{name}”含有本程序不认识的内容（{'、'.join(unknown[:5])}），为安全起见不予打开")
    if not {"meta", "cell", "text"} <= {n for _, n in objects}:
        raise GiappError(f"“{name}”已损坏：缺少报告数据")


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _backup(path: Path, backup: Path) -> None:
    src = sqlite3.connect(_uri(path, "ro"), uri=True)
    dst = sqlite3.connect(backup)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as e:
        raise GiappError(f"升级文件前备份失败（{backup.name}）：{e}") from None
    finally:
        dst.close()
        src.close()


def _db_value(value) -> str | None:
    return None if value is None else format_value(value)


def write_new_file(path: Path, report: Report, action: str = "create", detail: str = "",
                   schema_version: int = SCHEMA_VERSION) -> None:
    """Write a complete report file next to `path`, read it back as any file is opened (so that
    nothing is written that opening would refuse), then move it into place (never half a file)."""
    from .files import check_target, temporary, write_error

    check_target(path, extra=len("-journal"))
    tmp = temporary(path)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id={APP_ID}")
            conn.execute("BEGIN")
            for step in range(schema_version):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version={schema_version}")
            _write_report(conn, report, schema_version)
            conn.execute(
                "INSERT INTO audit(at, user, action, target, old, new) VALUES (?,?,?,?,?,?)",
                (_now(), os_user(), action, path.name, None, detail or f"giapp {__version__}"),
            )
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        try:
            _validated_load(tmp, schema_version)
        except GiappError as e:
            detail = str(e).replace(f"“{tmp.name}”", "").replace("已损坏：", "").replace("已损坏，", "")
            raise GiappError(f"内容超出报告文件允许的范围，未建立“{path.name}”：{detail}") from None
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as e:
        raise write_error(e, path) from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # a read-only folder: nothing was made there
                pass


def _write_report(conn: sqlite3.Connection, report: Report, schema_version: int) -> None:
    meta = {
        "format": report.format,
        "year": str(report.year),
        "annex": report.annex or "",
        "status": report.status,
        "signoff": json.dumps(report.signoff, ensure_ascii=False) if report.signoff else "",
        "settings": json.dumps(report.settings, ensure_ascii=False),
        "created_by": f"giapp {__version__}",
    }
    meta.update({f"organ.{k}": v for k, v in asdict(report.organ).items()})
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", meta.items())
    cells = [cid for form in report.forms() for cid in form.cells]
    conn.executemany("INSERT INTO cell(id, value) VALUES (?, ?)", [(c, _db_value(report.values.get(c))) for c in cells])
    conn.executemany("INSERT INTO text(key, body) VALUES (?, ?)", [(k, v) for k, v in report.texts.items() if v])
    conn.executemany("INSERT INTO explanation(rule, body) VALUES (?, ?)", report.explanations.items())
    if report.last_year is not None and schema_version >= 2:
        ly = report.last_year
        link = {"file": ly.file, "year": str(ly.year), "organ": ly.organ, "fingerprint": ly.fingerprint,
                "values": json.dumps({k: _db_value(v) for k, v in ly.values.items()}, ensure_ascii=False),
                "texts": json.dumps(ly.texts, ensure_ascii=False)}
        conn.executemany("INSERT INTO last_year(key, value) VALUES (?, ?)", link.items())


def _load(conn: sqlite3.Connection, name: str) -> Report:
    """Read a report from a checked connection; anything odd is reported as damage."""
    problems = []
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    report = Report()
    try:
        report.format = meta["format"]
        load_form(report.format)
        report.year = int(meta["year"])
        report.annex = meta.get("annex") or None
        if report.annex:
            load_form(report.annex)
        report.status = meta.get("status", "draft")
        report.signoff = json.loads(meta["signoff"]) if meta.get("signoff") else None
        report.settings = json.loads(meta.get("settings") or "{}")
        report.organ = Organ(**{k: meta.get(f"organ.{k}", "") for k in asdict(Organ())})
    except (KeyError, ValueError, TypeError, GiappError) as e:
        raise GiappError(f"“{name}”已损坏：报告信息不完整（{e}）") from None
    known = {cid: cell for form in report.forms() for cid, cell in form.cells.items()}
    for cid, text in conn.execute("SELECT id, value FROM cell"):
        cell = known.get(cid)
        if cell is None:
            problems.append(f"未知单元格 {cid}")
            continue
        try:
            report.values[cid] = parse_value(text, cell.type.decimals, cell.type.max, cell.unit)
        except ValueRefused as e:
            problems.append(f"{cid}：{e}")
    for key, body in conn.execute("SELECT key, body FROM text"):
        if not isinstance(body, str) or len(body) > MAX_TEXT:
            problems.append(f"文字 {key}")
            continue
        report.texts[key] = body
    report.explanations = {r: b for r, b in conn.execute("SELECT rule, body FROM explanation") if isinstance(b, str)}
    link = dict(conn.execute("SELECT key, value FROM last_year"))
    if link:
        try:
            form = load_form(report.format)
            values = {}
            for cid, text in json.loads(link["values"]).items():
                if cid in form.cells:
                    cell = form.cells[cid]
                    values[cid] = parse_value(text, cell.type.decimals, cell.type.max, cell.unit)
            report.last_year = LastYear(link["file"], int(link["year"]), link["organ"], link["fingerprint"],
                                        values, json.loads(link["texts"]))
        except (KeyError, ValueError, TypeError) as e:
            problems.append(f"上年报告关联信息（{e}）")
    if problems:
        raise GiappError(f"“{name}”已损坏：{'；'.join(problems[:5])}")
    return report
