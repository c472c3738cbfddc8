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
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from functools import cached_property
from pathlib import Path

from . import __version__
from .checksum import Content, Transaction
from .errors import GiappError
from .filecheck import (MAX_NAME, MAX_TEXT, ContentMismatch, backups, check_integrity, harden, inspect_header,
                        leftover_file, read_rows, recovered_load, uri, validated_load)
from .form import load_form
from .report import LEVELS, Report, check_explanation
from .schema import (APP_ID, CHECKED_FROM, JOURNAL_MAGIC, MIGRATIONS, SCHEMA_VERSION, SQLITE_MAGIC, TABLES,
                     apply_migrations, backup_before_migration, migrate)
from .values import format_value

SUFFIX = ".gireport"
__all__ = ["APP_ID", "JOURNAL_MAGIC", "MAX_TEXT", "MIGRATIONS", "SCHEMA_VERSION", "SQLITE_MAGIC", "SUFFIX", "TABLES",
           "ContentMismatch", "ReportFile", "backups", "inspect_header", "os_user", "write_new_file"]


def os_user() -> str:
    import getpass  # not needed to open a report

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some services)
        return "未知用户"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class ReportFile:
    """An open report file: the report in memory and every change written at once."""

    def __init__(self, path: Path, report: Report, conn: sqlite3.Connection | None, readonly_reason: str = "",
                 content: Content | None = None, audit_rows: list | None = None, damage: str = ""):
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
        leftover = leftover_file(path)
        if leftover is not None:
            # changes left by a program that stopped mid-save: replayed into a copy and inspected first
            loaded = recovered_load(path, leftover, salvage)
        else:
            loaded = validated_load(path, version, salvage)
        report, content, rows, damage = loaded
        if readonly:
            if damage:
                reason = f"内容校验未通过，仅供查看和另存副本（{damage}）"
            return cls(path, report, None, reason, None, rows, damage)
        conn = _connect_rw(path)  # SQLite replays the inspected journal or WAL here
        try:
            if version < SCHEMA_VERSION:
                backup_before_migration(conn, path, path.with_name(f"{path.name}.v{version}.bak"))
                migrate(conn, version)
            if leftover is not None or version < SCHEMA_VERSION:
                check_integrity(conn, path.name, SCHEMA_VERSION)
                report, content, _, _ = read_rows(conn, path.name, SCHEMA_VERSION, False)
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
            if leftover_file(self.path) is None:  # still holding the lock: a journal left empty by a kill
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
        tx = Transaction(conn, self._content)
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

    def _audit(self, tx: Transaction, action: str, target: str, old, new) -> None:
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

    def _put_settings(self, tx: Transaction, settings: dict) -> None:
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
        src = self._conn or sqlite3.connect(uri(self.path, "ro"), uri=True)
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
        conn = sqlite3.connect(uri(path, "rw"), uri=True, isolation_level=None, timeout=0.2,
                               check_same_thread=False)
    except sqlite3.Error as e:
        raise GiappError(f"无法打开“{path.name}”：{e}") from None
    try:
        harden(conn)
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
            apply_migrations(conn, 0, schema_version)
            conn.execute(f"PRAGMA user_version={schema_version}")
            tx = Transaction(conn, Content({}, "", 0) if schema_version >= CHECKED_FROM else None)
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
            validated_load(tmp, schema_version)
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


def _write_report(tx: Transaction, report: Report, schema_version: int) -> None:
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
