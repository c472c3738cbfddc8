"""The report file's schema: what marks a file as ours, its tables, and the migrations that bring an
older file up to date (an ordered list, a backup before each). Qt-free."""

import sqlite3
from functools import cache
from pathlib import Path

from .errors import GiappError

APP_ID = 0x47494150  # "GIAP"
SQLITE_MAGIC = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _migrate_2_3(conn: sqlite3.Connection) -> None:
    """2 -> 3: the audit chain and the content checksum."""
    from .checksum import Content, chain_hash, row_digest

    conn.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
    head = ""
    for row in conn.execute("SELECT id, at, user, action, target, old, new FROM audit ORDER BY id").fetchall():
        head = chain_hash(head, row[1:])
        conn.execute("UPDATE audit SET hash = ? WHERE id = ?", (head, row[0]))
    content = Content({}, head, 0)
    for table, (key, value) in TABLES.items():
        for k, v in conn.execute(f"SELECT {key}, {value} FROM {table}"):
            if not (table == "meta" and k == "checksum"):
                content.put((table, k), row_digest(table, k, v))
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


@cache
def schema(version: int) -> frozenset:
    """The schema a file of this version has: (type, name, table, sql with whitespace collapsed)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        apply_migrations(conn, 0, version)
        return schema_of(conn)
    finally:
        conn.close()



def schema_of(conn) -> frozenset:
    return frozenset((t, n, tbl, " ".join((sql or "").split()))
                     for t, n, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))



def apply_migrations(conn: sqlite3.Connection, start: int, end: int) -> None:
    for step in range(start, end):
        migration = MIGRATIONS[step]
        if callable(migration):
            migration(conn)
            continue
        for statement in migration.split(";"):
            if statement.strip():
                conn.execute(statement)



def migrate(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        apply_migrations(conn, version, SCHEMA_VERSION)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise



def backup_before_migration(conn: sqlite3.Connection, path: Path, backup: Path) -> None:
    """The file as it is, before its schema is migrated (from the open connection)."""
    dst = sqlite3.connect(backup)
    try:
        conn.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as e:
        raise GiappError(f"升级文件前备份失败（{backup.name}）：{e}") from None
    finally:
        dst.close()

