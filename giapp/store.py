"""The report file: one SQLite file per report (SQLite as an application file format). Qt-free.

- application_id and user_version mark the file as ours and give its schema version;
- every change is one transaction, with an audit row (when, who, what, old -> new); the audit rows
  form a hash chain (each row's hash covers the one before it);
- a content checksum (meta 'checksum': every stored row and the audit chain's head) is written in
  the same transaction as the change and checked on open, so damage or changes made without giapp
  are detected; a file failing only that check can be opened read-only to save what is readable;
- a rollback journal (not WAL): after every commit the file itself holds every committed change,
  so a copy made while giapp is open is whole; an exclusive lock keeps a second program (or window)
  from editing the same file;
- files from elsewhere are inspected before SQLite writes anything: header, application id,
  version, size, then integrity_check with trusted_schema off, the schema compared with ours, every
  stored value validated; a leftover journal or WAL is replayed into a copy and the result inspected
  the same way before it is replayed into the file;
- an older file is copied to a backup before its schema is migrated.
"""

import copy
import json
import os
import re
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from functools import cache, cached_property
from pathlib import Path

from . import __version__
from .errors import GiappError
from .form import load_form
from .report import ANNEX_FORM, LEVELS, STATUSES, LastYear, Organ, Report, check_explanation
from .values import ValueRefused, format_value, parse_value

SUFFIX = ".gireport"
APP_ID = 0x47494150  # "GIAP"
SQLITE_MAGIC = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _migrate_2_3(conn: sqlite3.Connection) -> None:
    """2 -> 3: the audit chain and the content checksum."""
    conn.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
    head = ""
    for row in conn.execute("SELECT id, at, user, action, target, old, new FROM audit ORDER BY id").fetchall():
        head = _chain(head, row[1:])
        conn.execute("UPDATE audit SET hash = ? WHERE id = ?", (head, row[0]))
    content = _Content({}, head, 0)
    for table, (key, value) in TABLES.items():
        for k, v in conn.execute(f"SELECT {key}, {value} FROM {table}"):
            if not (table == "meta" and k == "checksum"):
                content.put((table, k), _digest(table, k, v))
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('checksum', ?)", (content.checksum(),))


# Schema migrations: MIGRATIONS[n] brings a file from user_version n to n + 1 (SQL, or a function).
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
    _migrate_2_3,
]
SCHEMA_VERSION = len(MIGRATIONS)
CHECKED_FROM = 3  # files of this schema version on carry the audit chain and the checksum
TABLES = {"meta": ("key", "value"), "cell": ("id", "value"), "text": ("key", "body"),
          "explanation": ("rule", "body"), "last_year": ("key", "value")}
MAX_TEXT = 2_000_000  # characters in one text of an untrusted file
MAX_NAME = 500  # characters in an organ's name, address, phone or website, a signer's name
MAX_KEY = 100  # characters in a key (cell id, rule, setting)
META_KEYS = {"format", "year", "annex", "status", "signoff", "settings", "created_by", "checksum",
             *(f"organ.{k}" for k in asdict(Organ()))}
LAST_YEAR_KEYS = {"file", "year", "organ", "fingerprint", "values", "texts"}
HEX64 = re.compile(r"[0-9a-f]{64}")


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
    from .winpaths import check_length, sqlite_uri  # network shares and the 260-character limit

    path = path.absolute()
    check_length(path)
    return sqlite_uri(path, mode)


# ---- the content checksum and the audit chain


_sha256_new = None


def _sha256(data: bytes = b""):
    """SHA-256 from CPython's own built-in module where there is one: hashlib loads OpenSSL first,
    a tenth of the window's start-up, and every file is checked when it is opened."""
    global _sha256_new
    if _sha256_new is None:
        try:
            from _sha256 import sha256 as _sha256_new  # CPython 3.11
        except ImportError:
            try:
                from _sha2 import sha256 as _sha256_new  # CPython 3.12 and later
            except ImportError:
                from hashlib import sha256 as _sha256_new
    return _sha256_new(data)


def _digest(table: str, key: str, value) -> bytes:
    """A stored row's digest: table, key and value, each with its length (no two rows encode alike)."""
    value = "~" if value is None else f"{len(value)}:{value}"
    return _sha256(f"{table}|{len(key)}:{key}|{value}".encode("utf-8", "surrogatepass")).digest()


def _chain(prev: str, row) -> str:
    """An audit row's hash: the previous row's hash and this row (at, user, action, target, old, new),
    each field with its length (no two rows encode alike)."""
    at, user, action, target, old, new = row
    old = "~" if old is None else f"{len(old)}:{old}"
    new = "~" if new is None else f"{len(new)}:{new}"
    text = f"{prev}|{len(at)}:{at}{len(user)}:{user}{len(action)}:{action}{len(target)}:{target}{old}{new}"
    return _sha256(text.encode("utf-8")).hexdigest()


class _Content:
    """What the checksum covers: a digest of every stored row (kept as their sum, so that a change
    costs the same however large the report) and the audit chain (head, rows)."""

    def __init__(self, digests: dict, head: str, rows: int, total: int | None = None):
        self.digests, self.head, self.rows = digests, head, rows
        self.total = sum(int.from_bytes(d, "big") for d in digests.values()) if total is None else total

    def put(self, key: tuple, digest: bytes | None) -> bytes | None:
        """Set (None: remove) a row's digest; returns the one it had."""
        old = self.digests.pop(key, None)
        if old is not None:
            self.total -= int.from_bytes(old, "big")
        if digest is not None:
            self.digests[key] = digest
            self.total += int.from_bytes(digest, "big")
        return old

    def pop(self, key: tuple) -> None:
        self.put(key, None)

    def checksum(self) -> str:
        total = (self.total % (1 << 256)).to_bytes(32, "big")
        return _sha256(b"giapp-content/1\n" + total + self.head.encode("ascii")).hexdigest()


class _Tx:
    """Writes inside one transaction, keeping the checksum's digests and the chain up to date."""

    def __init__(self, conn: sqlite3.Connection, content: _Content | None):
        self.conn, self.content = conn, content  # content None: an old schema (no chain, no checksum)
        self._undo: list = [] if content is None else [(content.head, content.rows)]

    def put(self, table: str, key: str, value) -> None:
        k, v = TABLES[table]
        self.conn.execute(f"INSERT OR REPLACE INTO {table}({k}, {v}) VALUES (?, ?)", (key, value))
        if self.content is not None:
            self._undo.append(((table, key), self.content.put((table, key), _digest(table, key, value))))

    def delete(self, table: str, key: str) -> None:
        self.conn.execute(f"DELETE FROM {table} WHERE {TABLES[table][0]} = ?", (key,))
        if self.content is not None:
            self._undo.append(((table, key), self.content.put((table, key), None)))

    def rollback(self) -> None:
        """The digests and the chain as they were before this transaction."""
        if self.content is None:
            return
        for key, digest in reversed(self._undo[1:]):
            self.content.put(key, digest)
        self.content.head, self.content.rows = self._undo[0]

    def audit(self, at: str, user: str, action: str, target: str, old, new) -> None:
        row = (at, user, action, target, old, new)
        if self.content is None:
            self.conn.execute("INSERT INTO audit(at, user, action, target, old, new) VALUES (?,?,?,?,?,?)", row)
            return
        self.content.head = _chain(self.content.head, row)
        self.content.rows += 1
        self.conn.execute("INSERT INTO audit(at, user, action, target, old, new, hash) VALUES (?,?,?,?,?,?,?)",
                          (*row, self.content.head))

    def seal(self) -> None:
        if self.content is not None:
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('checksum', ?)",
                              (self.content.checksum(),))


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
    if size_valid and pages * page_size > size and _leftover(path) is None:
        raise GiappError(f"“{name}”已损坏：文件不完整（可能复制或下载中断）")
    return version


def _leftover(path: Path) -> Path | None:
    """A WAL, or a hot rollback journal, beside the file: changes SQLite would replay into it."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        return wal
    journal = path.with_name(path.name + "-journal")
    try:
        with journal.open("rb") as f:
            first = f.read(1)
    except OSError:
        return None
    return journal if first not in (b"", b"\x00") else None  # SQLite's rule: a zeroed header is not hot


def backups(path: Path) -> list[Path]:
    """The .bak copies of a report file beside it (made before each schema migration)."""
    try:
        return sorted(p for p in path.parent.glob(f"{glob_escape(path.name)}*.bak") if p.is_file())
    except OSError:
        return []


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


class ContentMismatch(GiappError):
    """The file is readable but its content does not match its checksum or its audit chain."""


class ReportFile:
    """An open report file: the report in memory and every change written at once."""

    def __init__(self, path: Path, report: Report, conn: sqlite3.Connection | None, readonly_reason: str = "",
                 content: _Content | None = None, audit_rows: list | None = None, damage: str = ""):
        self.path = path
        self.report = report
        self._conn = conn
        self.readonly_reason = readonly_reason
        self._content = content
        self._audit_rows = audit_rows  # read-only files: the audit trail as read
        self.damage = damage  # opened in spite of a failed check (read-only): what failed

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
    def open(cls, path, readonly: bool = False, salvage: bool = False) -> "ReportFile":
        """Open a report file. Anything wrong with it is a GiappError (ContentMismatch when only the
        checksum or the audit chain fails); salvage=True (read-only) opens such a file anyway,
        with what is readable, and says in `damage` what failed."""
        path = Path(path)
        try:
            return cls._open(path, readonly or salvage, salvage)
        except GiappError:
            raise
        except Exception as e:  # whatever a crafted file makes happen: a message, never a traceback
            raise GiappError(f"“{path.name}”已损坏，无法打开（{e.__class__.__name__}：{str(e)[:200]}）") from None

    @classmethod
    def _open(cls, path: Path, readonly: bool, salvage: bool) -> "ReportFile":
        version = inspect_header(path)
        if not readonly and not _writable(path):
            readonly, reason = True, "文件或所在位置不可写（如光盘、只读U盘或共享文件夹），已以只读方式打开"
        else:
            reason = "以只读方式打开" if readonly else ""
        leftover = _leftover(path)
        if leftover is not None:
            # changes left by a program that stopped mid-save: replayed into a copy and inspected first
            loaded = _recovered_load(path, leftover, salvage)
        else:
            loaded = _validated_load(path, version, salvage)
        report, content, rows, damage = loaded
        if readonly:
            if damage:
                reason = f"内容校验未通过，仅供查看和另存副本（{damage}）"
            return cls(path, report, None, reason, None, rows, damage)
        conn = _connect_rw(path)  # SQLite replays the inspected journal or WAL here
        try:
            if version < SCHEMA_VERSION:
                _backup(conn, path, path.with_name(f"{path.name}.v{version}.bak"))
                _migrate(conn, version)
            if leftover is not None or version < SCHEMA_VERSION:
                _check_integrity(conn, path.name, SCHEMA_VERSION)
                report, content, _, _ = _read(conn, path.name, SCHEMA_VERSION, False)
        except BaseException:
            conn.close()
            raise
        return cls(path, report, conn, "", content)

    def close(self) -> None:
        """Close the file (its journal goes with it): what is left is one self-contained file."""
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            if _leftover(self.path) is None:  # still holding the lock: a journal left empty by a kill
                self.path.with_name(self.path.name + "-journal").unlink(missing_ok=True)
        except (OSError, sqlite3.Error):  # a full disk: every committed change is in the file already
            pass
        finally:
            conn.close()
        # the shared-memory file of a WAL (left by an older giapp) folded back on open
        if not self.path.with_name(self.path.name + "-wal").exists():
            self.path.with_name(self.path.name + "-shm").unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- changes: each one a transaction with its audit rows and the new checksum

    @contextmanager
    def _transaction(self):
        if self._conn is None:
            raise GiappError(f"“{self.path.name}”{self.readonly_reason or '以只读方式打开'}，不能修改")
        conn = self._conn
        tx = _Tx(conn, self._content)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield tx
            tx.seal()
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            tx.rollback()
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            from .files import write_error

            raise GiappError(f"保存到“{self.path.name}”失败，这次修改没有保存：{write_error(e, self.path)}") from None
        except UnicodeEncodeError:
            tx.rollback()
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise GiappError(f"未保存到“{self.path.name}”：文字中有无法保存的字符（如单独的代理字符），请删去后重试") from None
        except BaseException:
            tx.rollback()
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _audit(self, tx: _Tx, action: str, target: str, old, new) -> None:
        tx.audit(_now(), self.user, action, target, old, new)

    def set_value(self, cell_id: str, value) -> dict:
        """Set one cell (text as typed, or a number; None clears). Returns the changed cells."""
        self._check_draft()
        report = self.report
        before = dict(report.values)
        changes = report.set_value(cell_id, value)
        if not changes:
            return changes
        try:
            with self._transaction() as tx:
                for cid, (old, new) in changes.items():
                    tx.put("cell", cid, _db_value(new))
                old, new = changes[cell_id]
                self._audit(tx, "value", cell_id, format_value(old), format_value(new))
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
                with self._transaction() as tx:
                    for cid, (old, new) in changes.items():
                        tx.put("cell", cid, _db_value(new))
                        if cid in values:
                            self._audit(tx, action, cid, format_value(old), format_value(new))
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
        with self._transaction() as tx:
            if body:
                tx.put("text", key, body)
            else:
                tx.delete("text", key)
            if marks != self.report.settings.get("from_last_year", marks):
                self._put_settings(tx, {**self.report.settings, "from_last_year": marks})
            self._audit(tx, "text", key, old, body)
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
        with self._transaction() as tx:
            if body:
                tx.put("explanation", rule, body)
            else:
                tx.delete("explanation", rule)
            self._audit(tx, "explain", rule, old, body)
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
            if not isinstance(value, str) or len(value) > MAX_NAME:
                raise GiappError(f"机关信息“{key}”过长（超过{MAX_NAME}字）")
            _check_characters("机关信息", value or "", line_breaks=False)
        with self._transaction() as tx:
            for key, value in fields.items():
                old = getattr(organ, key)
                if old != value:
                    tx.put("meta", f"organ.{key}", value)
                    self._audit(tx, "organ", key, old, value)
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
        with self._transaction() as tx:
            tx.put("meta", key, "" if value is None else str(value))
            self._audit(tx, key, key, "" if old is None else str(old), "" if value is None else str(value))
        setattr(self.report, key, value)

    def set_settings(self, **values) -> None:
        """Report settings kept in the file: deadline, s6_items, …"""
        self._check_draft()
        settings = {**self.report.settings, **values}
        if settings == self.report.settings:
            return
        with self._transaction() as tx:
            self._put_settings(tx, settings)
            for key, value in values.items():
                old = self.report.settings.get(key)
                if old != value:
                    self._audit(tx, "setting", key, json.dumps(old, ensure_ascii=False),
                                json.dumps(value, ensure_ascii=False))
        self.report.settings = settings

    def sign(self, people: dict, explanations: dict | None = None) -> dict:
        """Sign off, with the explanations given, in one transaction; GiappError listing what
        stands in the way (and nothing written) when something does."""
        from .signoff import SCHEME, check_people, obstacles, signoff_fingerprint

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
            with self._transaction() as tx:
                for rule, body in (explanations or {}).items():
                    if body.strip():
                        tx.put("explanation", rule, body.strip())
                        self._audit(tx, "explain", rule, before.get(rule, ""), body.strip())
                # the fingerprint covers the audit trail up to here, the time of signing and last year's link
                signoff = {**people, "scheme": SCHEME, "signed_at": _now(), "os_user": self.user,
                           "audit_rows": tx.content.rows, "audit_head": tx.content.head}
                signoff["fingerprint"] = signoff_fingerprint(report, signoff, tx.content.head)
                tx.put("meta", "status", "signed")
                tx.put("meta", "signoff", json.dumps(signoff, ensure_ascii=False))
                names = f"填报人 {people['preparer']}，审核人 {people['reviewer']}，签发人 {people['approver']}，{people['date']}"
                self._audit(tx, "sign", "签发", "草稿", f"已签发（{names}；指纹 {signoff['fingerprint']}）")
        except BaseException:
            report.explanations = before
            raise
        report.status, report.signoff, report.signed_audit_head = "signed", signoff, signoff["audit_head"]
        return signoff

    def unsign(self, reason: str) -> None:
        """Unlock a signed report: the sign-off is voided and the unlock recorded with its reason."""
        reason = (reason or "").strip()
        if self.report.status != "signed":
            raise GiappError(f"“{self.path.name}”尚未签发")
        if not reason:
            raise GiappError("撤销签发须填写原因")
        old = self.report.signoff or {}
        with self._transaction() as tx:
            tx.put("meta", "status", "draft")
            tx.put("meta", "signoff", "")
            self._audit(tx, "unsign", "撤销签发", f"已签发（签发人 {old.get('approver', '')}，{old.get('date', '')}；"
                        f"指纹 {old.get('fingerprint', '')}）", f"草稿（原因：{reason}）")
        self.report.status, self.report.signoff, self.report.signed_audit_head = "draft", None, None

    def _put_settings(self, tx: _Tx, settings: dict) -> None:
        tx.put("meta", "settings", json.dumps(settings, ensure_ascii=False))

    def _check_draft(self) -> None:
        if self.report.status == "signed":
            raise GiappError(f"“{self.path.name}”已签发，内容已锁定；如需修改请先撤销签发")

    def audit(self) -> list[dict]:
        if self._conn is None:
            rows = self._audit_rows or []
        else:
            rows = self._conn.execute("SELECT at, user, action, target, old, new FROM audit ORDER BY id").fetchall()
        return [dict(zip(("at", "user", "action", "target", "old", "new"), r)) for r in rows]

    def backup_to(self, target) -> None:
        """A copy of the report as it is now, one self-contained file. A file opened in spite of a failed
        check is copied as what was readable: a new file whose audit trail says where it came from."""
        target = Path(target)
        if self.damage:  # what was readable, as a draft: the sign-off of a damaged file is void
            report = copy.deepcopy(self.report)
            report.status, report.signoff, report.signed_audit_head = "draft", None, None
            write_new_file(target, report, "copy", f"从“{self.path.name}”另存可读取的内容"
                           f"（原文件未通过内容校验：{self.damage}）")
            return
        src = self._conn or sqlite3.connect(_uri(self.path, "ro"), uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as e:
            target.unlink(missing_ok=True)
            raise GiappError(f"无法另存副本“{target.name}”：{e}") from None
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
        # a rollback journal: every commit lands in the file itself (a copy is whole); WAL left by
        # an older giapp is folded back here. TRUNCATE with NORMAL: two syncs a commit (the journal,
        # then the file), the fewest a rollback journal can do; a power cut may lose the last commit,
        # never damage the file
        conn.execute("PRAGMA journal_mode=TRUNCATE")
        conn.execute("PRAGMA synchronous=NORMAL")
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


def _validated_load(path: Path, version: int, salvage: bool = False, name: str | None = None):
    """Open read-only, check, load; nothing is written to the file. (report, content, audit rows, damage)"""
    name = name or path.name
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=0.2)
    except sqlite3.Error as e:
        raise GiappError(f"无法打开“{name}”：{e}") from None
    try:
        _harden(conn)
        conn.execute("PRAGMA query_only=ON")
        _check_integrity(conn, name, version)
        if version < SCHEMA_VERSION:  # migrate a copy in memory to read it
            mem = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(mem)
            conn.close()
            conn = mem
            _migrate(conn, version)
        return _read(conn, name, version, salvage)
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise GiappError(f"“{name}”已在另一个窗口或程序中打开，请先关闭那里的报告") from None
        raise GiappError(f"“{name}”已损坏，无法打开（{e}）") from None
    except sqlite3.DatabaseError as e:
        raise GiappError(f"“{name}”已损坏，无法打开（{e}）") from None
    finally:
        conn.close()


def _recovered_load(path: Path, leftover: Path, salvage: bool):
    """A journal or WAL beside the file: replay it into a copy, inspect the result as any file from
    elsewhere; only what passes is later replayed into the file itself."""
    with tempfile.TemporaryDirectory(prefix="giapp-") as tmp:
        copy = Path(tmp) / "r.gireport"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(leftover, Path(tmp) / ("r.gireport" + leftover.name[len(path.name):]))
            conn = sqlite3.connect(copy, isolation_level=None)
            try:
                _harden(conn)
                conn.execute("PRAGMA journal_mode=DELETE")  # rolls back the journal, or folds in the WAL
                conn.execute("PRAGMA quick_check").fetchall()
            finally:
                conn.close()
            version = inspect_header(copy)
            return _validated_load(copy, version, salvage, path.name)
        except GiappError as e:
            raise GiappError(f"“{path.name}”旁有上次未完成的保存记录（{leftover.name}），恢复后未通过检查，未予使用："
                             f"{e}。请不要删除这两个文件，可改用备份副本{_backup_hint(path)}") from None
        except (OSError, sqlite3.Error) as e:
            raise GiappError(f"“{path.name}”旁有上次未完成的保存记录（{leftover.name}），无法恢复（{e}），未予使用。"
                             f"请不要删除这两个文件，可改用备份副本{_backup_hint(path)}") from None


def _backup_hint(path: Path) -> str:
    found = backups(path)
    if found:
        return "：同一文件夹中的" + "、".join(f"“{p.name}”" for p in found[-3:])
    return "（同一文件夹中以 .bak 结尾的文件）"


@cache
def _schema(version: int) -> frozenset:
    """The schema a file of this version has: (type, name, table, sql with whitespace collapsed)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _apply_migrations(conn, 0, version)
        return _schema_of(conn)
    finally:
        conn.close()


def _schema_of(conn) -> frozenset:
    return frozenset((t, n, tbl, " ".join((sql or "").split()))
                     for t, n, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def _check_integrity(conn: sqlite3.Connection, name: str, version: int) -> None:
    result = conn.execute("PRAGMA integrity_check(5)").fetchall()
    if result != [("ok",)]:
        raise GiappError(f"“{name}”已损坏，无法打开（完整性检查：{result[0][0]}）")
    objects = _schema_of(conn)
    expected = _schema(version)
    if objects != expected:
        unknown = sorted(n for t, n, _, _ in objects - expected if n not in {e[1] for e in expected})
        if unknown:
            raise GiappError(f"“{name}”含有本程序不认识的内容（{'、'.join(unknown[:5])}），为安全起见不予打开")
        if not {"meta", "cell", "text"} <= {o[1] for o in objects}:
            raise GiappError(f"“{name}”已损坏：缺少报告数据")
        changed = sorted({n for t, n, _, _ in objects ^ expected})
        raise GiappError(f"“{name}”已损坏：数据表结构被改动（{'、'.join(changed[:5])}）")


def _apply_migrations(conn: sqlite3.Connection, start: int, end: int) -> None:
    for step in range(start, end):
        migration = MIGRATIONS[step]
        if callable(migration):
            migration(conn)
            continue
        for statement in migration.split(";"):
            if statement.strip():
                conn.execute(statement)


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        _apply_migrations(conn, version, SCHEMA_VERSION)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _backup(conn: sqlite3.Connection, path: Path, backup: Path) -> None:
    """The file as it is, before its schema is migrated (from the open connection)."""
    dst = sqlite3.connect(backup)
    try:
        conn.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as e:
        raise GiappError(f"升级文件前备份失败（{backup.name}）：{e}") from None
    finally:
        dst.close()


def _db_value(value) -> str | None:
    return None if value is None else format_value(value)


def write_new_file(path: Path, report: Report, action: str = "create", detail: str = "",
                   schema_version: int = SCHEMA_VERSION) -> None:
    """Write a complete report file next to `path`, read it back as any file is opened (so that
    nothing is written that opening would refuse), then move it into place (never half a file)."""
    from .files import check_target, temporary, write_error
    from .winpaths import SIDE_FILES, check_length

    check_target(path, extra=SIDE_FILES)
    tmp = temporary(path)
    # never write a file that opening would refuse as too long; the temporary name may be longer
    check_length(path.absolute(), SIDE_FILES + max(0, len(tmp.name) - len(path.name)))
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id={APP_ID}")
            conn.execute("BEGIN")
            _apply_migrations(conn, 0, schema_version)
            conn.execute(f"PRAGMA user_version={schema_version}")
            tx = _Tx(conn, _Content({}, "", 0) if schema_version >= CHECKED_FROM else None)
            if tx.content is not None:
                conn.execute("DELETE FROM meta")  # the migration's checksum of the empty file
            _write_report(tx, report, schema_version)
            tx.audit(_now(), os_user(), action, path.name, None, detail or f"giapp {__version__}")
            tx.seal()
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


def _write_report(tx: _Tx, report: Report, schema_version: int) -> None:
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
    for k, v in meta.items():
        tx.put("meta", k, v)
    for c in (cid for form in report.forms() for cid in form.cells):
        tx.put("cell", c, _db_value(report.values.get(c)))
    for k, v in report.texts.items():
        if v:
            tx.put("text", k, v)
    for k, v in report.explanations.items():
        tx.put("explanation", k, v)
    if report.last_year is not None and schema_version >= 2:
        ly = report.last_year
        link = {"file": ly.file, "year": str(ly.year), "organ": ly.organ, "fingerprint": ly.fingerprint,
                "values": json.dumps({k: _db_value(v) for k, v in ly.values.items()}, ensure_ascii=False),
                "texts": json.dumps(ly.texts, ensure_ascii=False)}
        for k, v in link.items():
            tx.put("last_year", k, v)


# ---- reading and validating everything stored


def _read(conn: sqlite3.Connection, name: str, version: int, salvage: bool):
    """Every stored row checked (types, lengths, known keys), the report built, the audit chain and the
    checksum verified. (report, content, audit rows, damage); GiappError when anything is wrong
    (ContentMismatch when only the checksum or the chain is), unless salvage: then what is readable."""
    problems: list[str] = []
    tables: dict[str, dict] = {}
    content = _Content({}, "", 0)
    for table, (key, value) in TABLES.items():
        rows = {}
        for k, v in conn.execute(f"SELECT {key}, {value} FROM {table}"):
            if not isinstance(k, str) or not k or len(k) > MAX_KEY:
                problems.append(f"{table} 表中有无效的键")
                continue
            if not (v is None and table == "cell") and not isinstance(v, str):
                problems.append(f"{table} 表中“{k}”的内容类型不对（{type(v).__name__}）")
                continue
            if v is not None and len(v) > MAX_TEXT:
                problems.append(f"{table} 表中“{k}”的内容过长")
                continue
            rows[k] = v
            if not (table == "meta" and k == "checksum"):
                content.put((table, k), _digest(table, k, v))
        tables[table] = rows
    audit_rows, chain, broken = [], [], ""
    has_hash = version >= CHECKED_FROM
    sql = "SELECT at, user, action, target, old, new" + (", hash" if has_hash else "") + " FROM audit ORDER BY id"
    head = ""
    for row in conn.execute(sql):
        fields = row[:6]
        at, user, action, target, old, new = fields
        if (type(at) is not str or type(user) is not str or type(action) is not str or type(target) is not str
                or (old is not None and type(old) is not str) or (new is not None and type(new) is not str)):
            problems.append(f"审计记录第{len(audit_rows) + 1}条的内容类型不对")
            continue
        audit_rows.append(fields)
        head = _chain(head, fields)
        chain.append(head)
        if has_hash and row[6] != head and not broken:
            broken = f"审计记录第{len(audit_rows)}条（{fields[0][:19]}）被改动，或其前面的记录被删除"
    content.head, content.rows = head, len(audit_rows)
    report = _build(tables, problems)
    if report is not None and report.signoff and report.signoff.get("scheme", 1) >= 2:
        n = report.signoff.get("audit_rows")
        report.signed_audit_head = chain[n - 1] if isinstance(n, int) and 0 < n <= len(chain) else None
    mismatch = ""
    if version >= CHECKED_FROM:
        stored = tables["meta"].get("checksum")
        if broken:
            mismatch = broken
        elif stored != content.checksum():
            mismatch = "内容与校验值不符" if stored else "缺少校验值"
    if mismatch and not salvage:  # damage or a change made without giapp: a read-only look is offered
        raise ContentMismatch(
            f"“{name}”未通过内容校验（{'；'.join([mismatch, *problems[:3]])}）：文件可能已损坏，或被本程序以外的工具改动过。"
            f"可以以只读方式打开，查看并另存可读取的内容；也可改用备份副本{_backup_hint_name(name)}")
    if problems and not (salvage and report is not None):
        raise GiappError(f"“{name}”已损坏：{'；'.join(problems[:5])}")
    return report, content, audit_rows, "；".join([mismatch, *problems[:5]] if mismatch else problems[:5])


def _backup_hint_name(name: str) -> str:
    return f"（同一文件夹中以“{name}.”开头、以 .bak 结尾的文件）"


def _json(text: str, kind: type, what: str, problems: list):
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        problems.append(f"{what}不是有效的数据")
        return None
    if not isinstance(value, kind):
        problems.append(f"{what}的格式不对")
        return None
    return value


def _str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) and len(x) <= MAX_NAME for x in value)


def _build(tables: dict, problems: list) -> Report | None:
    """The report from checked rows; every odd value listed in problems. None when the report's
    basic facts (format, year) cannot be read."""
    meta = tables["meta"]
    report = Report()
    unknown = sorted(set(meta) - META_KEYS)
    if unknown:
        problems.append(f"报告信息中有未知的项（{'、'.join(unknown[:5])}）")
    try:
        report.format = meta["format"]
        load_form(report.format)
        if not re.fullmatch(r"[0-9]{4}", meta["year"]) or not 2000 <= int(meta["year"]) <= 2100:
            raise ValueError(f"年度“{meta['year'][:20]}”无效")
        report.year = int(meta["year"])
    except (KeyError, ValueError, GiappError) as e:
        problems.append(f"报告信息不完整（{e}）")
        return None
    annex = meta.get("annex") or None
    if annex not in (None, ANNEX_FORM):
        problems.append(f"附件“{annex[:40]}”无效")
    else:
        report.annex = annex
    status = meta.get("status", "draft")
    if status not in STATUSES:
        problems.append(f"状态“{status[:20]}”无效")
    else:
        report.status = status
    signoff = meta.get("signoff") or ""
    if signoff:
        report.signoff = _json(signoff, dict, "签发信息", problems)
        if report.signoff is not None and not _good_signoff(report.signoff):
            problems.append("签发信息不完整或有误")
            report.signoff = None
    if report.status == "signed" and not report.signoff:
        problems.append("已签发的报告缺少签发信息")
        report.status = "draft"
    if report.status == "draft" and report.signoff:
        problems.append("草稿带有签发信息")
        report.signoff = None
    settings = _json(meta.get("settings") or "{}", dict, "报告设置", problems)
    report.settings = _good_settings(settings or {}, problems)
    organ = {}
    for k in asdict(Organ()):
        v = meta.get(f"organ.{k}", "")
        if len(v) > MAX_NAME:
            problems.append(f"机关信息“{k}”过长")
            v = v[:MAX_NAME]
        organ[k] = v
    if organ["level"] not in LEVELS:
        problems.append(f"机关层级“{organ['level'][:20]}”无效")
        organ["level"] = "other"
    report.organ = Organ(**organ)
    known = {cid: cell for form in report.forms() for cid, cell in form.cells.items()}
    for cid, text in tables["cell"].items():
        cell = known.get(cid)
        if cell is None:
            problems.append(f"未知单元格 {cid}")
            continue
        try:
            report.values[cid] = parse_value(text, cell.type.decimals, cell.type.max, cell.unit)
        except ValueRefused as e:
            problems.append(f"{cid}：{e}")
    keys = _text_keys(report.format)
    for key, body in tables["text"].items():
        if key not in keys:
            problems.append(f"未知的文字“{key}”")
            continue
        report.texts[key] = body
    for rule, body in tables["explanation"].items():
        if not body.strip():
            problems.append(f"说明“{rule}”为空")
            continue
        report.explanations[rule] = body
    link = tables["last_year"]
    if link:
        report.last_year = _last_year(link, report.format, keys, problems)
    return report


@cache
def _text_keys(form_id: str) -> frozenset:
    form = load_form(form_id)
    sections = [s for s in form.sections if s.get("kind") == "text"]
    return frozenset([s["id"] for s in sections] + [i["id"] for s in sections for i in s.get("items", [])])


def _good_signoff(signoff: dict) -> bool:
    for key in ("preparer", "reviewer", "approver", "date", "fingerprint"):
        if not isinstance(signoff.get(key), str) or not signoff[key] or len(signoff[key]) > MAX_NAME:
            return False
    if not HEX64.fullmatch(signoff["fingerprint"]):
        return False
    scheme = signoff.get("scheme", 1)
    if scheme == 1:
        return True
    return (scheme == 2 and isinstance(signoff.get("signed_at"), str) and isinstance(signoff.get("audit_rows"), int)
            and not isinstance(signoff["audit_rows"], bool) and isinstance(signoff.get("audit_head"), str)
            and bool(HEX64.fullmatch(signoff["audit_head"])))


def _good_settings(settings: dict, problems: list) -> dict:
    """The settings whose type is right; the others listed."""
    checks = {
        "deadline": lambda v: isinstance(v, str) and len(v) <= 40,
        "s6_items": _str_list,
        "from_last_year": _str_list,
        "import_report": _str_list,
        "limits": lambda v: isinstance(v, dict) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0
                                                        for n in v.values()),
        "signers": lambda v: isinstance(v, dict) and all(isinstance(n, str) and len(n) <= MAX_NAME for n in v.values()),
        "aggregate": lambda v: isinstance(v, dict),
    }
    good = {}
    for key, value in settings.items():
        check = checks.get(key)
        if check is not None and not check(value):
            problems.append(f"报告设置“{key}”的格式不对")
            continue
        good[key] = value
    return good


def _last_year(link: dict, form_id: str, text_keys: frozenset, problems: list) -> LastYear | None:
    if set(link) != LAST_YEAR_KEYS:
        problems.append("上年报告关联信息不完整")
        return None
    form = load_form(form_id)
    values = _json(link["values"], dict, "上年报告的数据", problems) or {}
    texts = _json(link["texts"], dict, "上年报告的文字", problems) or {}
    parsed = {}
    annex = load_form(ANNEX_FORM).cells
    for cid, text in values.items():
        cell = form.cells.get(cid)
        if cell is None and cid in annex and (text is None or isinstance(text, str)):
            continue  # last year's annex: not carried over (as before)
        try:
            if cell is None or not (text is None or isinstance(text, str)):
                raise ValueRefused("不是本格式的单元格")
            parsed[cid] = parse_value(text, cell.type.decimals, cell.type.max, cell.unit)
        except ValueRefused as e:
            problems.append(f"上年报告的数据 {cid[:40]}：{e}")
    for key, body in texts.items():
        if key not in text_keys or not isinstance(body, str):
            problems.append(f"上年报告的文字“{key[:40]}”无效")
    if not re.fullmatch(r"[0-9]{4}", link["year"]) or not (HEX64.fullmatch(link["fingerprint"]) or not link["fingerprint"]):
        problems.append("上年报告关联信息有误")
        return None
    return LastYear(link["file"], int(link["year"]), link["organ"], link["fingerprint"], parsed,
                    {k: v for k, v in texts.items() if k in text_keys and isinstance(v, str)})
