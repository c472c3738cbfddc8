"""Changes made to a report file behind giapp's back, by someone who knows the file format."""

import sqlite3
from pathlib import Path

from giapp.checksum import Content, chain_hash, row_digest
from giapp.schema import TABLES


def reseal(path: Path, chain: bool = True) -> None:
    """Recompute the checksum (and with chain=True the audit chain) of a file edited with sqlite3,
    as an attacker who has read giapp's source would: the file then passes the content check."""
    conn = sqlite3.connect(path)
    head = ""
    for row in conn.execute("SELECT id, at, user, action, target, old, new, hash FROM audit ORDER BY id").fetchall():
        fields = [x.hex() if isinstance(x, bytes) else x for x in row[1:7]]
        head = chain_hash(head, fields) if chain else row[7]
        if chain:
            conn.execute("UPDATE audit SET hash = ? WHERE id = ?", (head, row[0]))
    content = Content({}, head, 0)
    for table, (key, value) in TABLES.items():
        for k, v in conn.execute(f"SELECT {key}, {value} FROM {table}"):
            if not (table == "meta" and k == "checksum"):
                content.put((table, k), row_digest(table, k, v.hex() if isinstance(v, bytes) else v))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'checksum'", (content.checksum(),))
    conn.commit()
    conn.close()


def edit(path: Path, sql: str, *params, seal: bool = False) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()
    if seal:
        reseal(path)
