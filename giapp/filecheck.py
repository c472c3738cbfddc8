"""A report file from elsewhere, inspected before SQLite writes anything (header, application id,
version, size, journal state), then read defensively: integrity check with trusted_schema off, the
schema compared with ours, every stored row validated (types, lengths, known keys, values re-parsed
by the parser that takes typed input), the audit chain and the checksum verified. Qt-free."""

import json
import re
import shutil
import sqlite3
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path

from .checksum import Content, chain_hash, row_digest
from .errors import GiappError
from .form import load_form
from .report import ANNEX_FORM, LEVELS, STATUSES, LastYear, Organ, Report
from .schema import APP_ID, CHECKED_FROM, SCHEMA_VERSION, SQLITE_MAGIC, TABLES, migrate, schema, schema_of
from .values import ValueRefused, parse_value

MAX_TEXT = 2_000_000  # characters in one text of an untrusted file
MAX_NAME = 500  # characters in an organ's name, address, phone or website, a signer's name
MAX_KEY = 100  # characters in a key (cell id, rule, setting)
META_KEYS = {"format", "year", "annex", "status", "signoff", "settings", "created_by", "checksum",
             *(f"organ.{k}" for k in asdict(Organ()))}
LAST_YEAR_KEYS = {"file", "year", "organ", "fingerprint", "values", "texts"}
HEX64 = re.compile(r"[0-9a-f]{64}")


def harden(conn: sqlite3.Connection) -> None:
    """SQLite's advice for files from elsewhere ("defense against the dark arts")."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA mmap_size=0")
    if hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):  # Python 3.12+
        conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)



def uri(path: Path, mode: str) -> str:
    from .winpaths import check_length, sqlite_uri  # network shares and the 260-character limit

    path = path.absolute()
    check_length(path)
    return sqlite_uri(path, mode)



# ---- before SQLite touches the file


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
    if size_valid and pages * page_size > size and leftover_file(path) is None:
        raise GiappError(f"“{name}”已损坏：文件不完整（可能复制或下载中断）")
    return version



def leftover_file(path: Path) -> Path | None:
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



def validated_load(path: Path, version: int, salvage: bool = False, name: str | None = None):
    """Open read-only, check, load; nothing is written to the file. (report, content, audit rows, damage)"""
    name = name or path.name
    try:
        conn = sqlite3.connect(uri(path, "ro"), uri=True, timeout=0.2)
    except sqlite3.Error as e:
        raise GiappError(f"无法打开“{name}”：{e}") from None
    try:
        harden(conn)
        conn.execute("PRAGMA query_only=ON")
        check_integrity(conn, name, version)
        if version < SCHEMA_VERSION:  # migrate a copy in memory to read it
            mem = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(mem)
            conn.close()
            conn = mem
            migrate(conn, version)
        return read_rows(conn, name, version, salvage)
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise GiappError(f"“{name}”已在另一个窗口或程序中打开，请先关闭那里的报告") from None
        raise GiappError(f"“{name}”已损坏，无法打开（{e}）") from None
    except sqlite3.DatabaseError as e:
        raise GiappError(f"“{name}”已损坏，无法打开（{e}）") from None
    finally:
        conn.close()



def recovered_load(path: Path, leftover: Path, salvage: bool):
    """A journal or WAL beside the file: replay it into a copy, inspect the result as any file from
    elsewhere; only what passes is later replayed into the file itself."""
    with tempfile.TemporaryDirectory(prefix="giapp-") as tmp:
        copy = Path(tmp) / "r.gireport"
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(leftover, Path(tmp) / ("r.gireport" + leftover.name[len(path.name):]))
            conn = sqlite3.connect(copy, isolation_level=None)
            try:
                harden(conn)
                conn.execute("PRAGMA journal_mode=DELETE")  # rolls back the journal, or folds in the WAL
                conn.execute("PRAGMA quick_check").fetchall()
            finally:
                conn.close()
            version = inspect_header(copy)
            return validated_load(copy, version, salvage, path.name)
        except GiappError as e:
            raise GiappError(f"“{path.name}”旁有上次未完成的保存记录（{leftover.name}），恢复后未通过检查，未予使用："
                             f"{e}。请不要删除这两个文件，可改用备份副本{backup_hint(path)}") from None
        except (OSError, sqlite3.Error) as e:
            raise GiappError(f"“{path.name}”旁有上次未完成的保存记录（{leftover.name}），无法恢复（{e}），未予使用。"
                             f"请不要删除这两个文件，可改用备份副本{backup_hint(path)}") from None



def backup_hint(path: Path) -> str:
    found = backups(path)
    if found:
        return "：同一文件夹中的" + "、".join(f"“{p.name}”" for p in found[-3:])
    return "（同一文件夹中以 .bak 结尾的文件）"



def check_integrity(conn: sqlite3.Connection, name: str, version: int) -> None:
    result = conn.execute("PRAGMA integrity_check(5)").fetchall()
    if result != [("ok",)]:
        raise GiappError(f"“{name}”已损坏，无法打开（完整性检查：{result[0][0]}）")
    objects = schema_of(conn)
    expected = schema(version)
    if objects != expected:
        unknown = sorted(n for t, n, _, _ in objects - expected if n not in {e[1] for e in expected})
        if unknown:
            raise GiappError(f"“{name}”含有本程序不认识的内容（{'、'.join(unknown[:5])}），为安全起见不予打开")
        if not {"meta", "cell", "text"} <= {o[1] for o in objects}:
            raise GiappError(f"“{name}”已损坏：缺少报告数据")
        changed = sorted({n for t, n, _, _ in objects ^ expected})
        raise GiappError(f"“{name}”已损坏：数据表结构被改动（{'、'.join(changed[:5])}）")



# ---- reading and validating everything stored


def read_rows(conn: sqlite3.Connection, name: str, version: int, salvage: bool):
    """Every stored row checked (types, lengths, known keys), the report built, the audit chain and the
    checksum verified. (report, content, audit rows, damage); GiappError when anything is wrong
    (ContentMismatch when only the checksum or the chain is), unless salvage: then what is readable."""
    problems: list[str] = []
    tables: dict[str, dict] = {}
    content = Content({}, "", 0)
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
                content.put((table, k), row_digest(table, k, v))
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
        head = chain_hash(head, fields)
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

