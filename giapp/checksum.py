"""The report file's content checksum and its audit chain: a digest of every stored row (kept as
their sum) and a hash chain over the audit rows; Transaction writes inside one transaction and keeps
both up to date. Qt-free."""

import sqlite3

from .schema import TABLES

_sha256_new = None


def sha256(data: bytes = b""):
    """SHA-256 from CPython's own built-in module where there is one: hashlib loads OpenSSL first,
    a tenth of the window's start-up, and every file is checked when it is opened."""
    global _sha256_new
    if _sha256_new is None:
        try:
            from sha256 import sha256 as _sha256_new  # CPython 3.11
        except ImportError:
            try:
                from _sha2 import sha256 as _sha256_new  # CPython 3.12 and later
            except ImportError:
                from hashlib import sha256 as _sha256_new
    return _sha256_new(data)



def row_digest(table: str, key: str, value) -> bytes:
    """A stored row's digest: table, key and value, each with its length (no two rows encode alike)."""
    value = "~" if value is None else f"{len(value)}:{value}"
    return sha256(f"{table}|{len(key)}:{key}|{value}".encode("utf-8", "surrogatepass")).digest()



def chain_hash(prev: str, row) -> str:
    """An audit row's hash: the previous row's hash and this row (at, user, action, target, old, new),
    each field with its length (no two rows encode alike)."""
    at, user, action, target, old, new = row
    old = "~" if old is None else f"{len(old)}:{old}"
    new = "~" if new is None else f"{len(new)}:{new}"
    text = f"{prev}|{len(at)}:{at}{len(user)}:{user}{len(action)}:{action}{len(target)}:{target}{old}{new}"
    return sha256(text.encode("utf-8")).hexdigest()



class Content:
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
        return sha256(b"giapp-content/1\n" + total + self.head.encode("ascii")).hexdigest()



class Transaction:
    """Writes inside one transaction, keeping the checksum's digests and the chain up to date."""

    def __init__(self, conn: sqlite3.Connection, content: Content | None):
        self.conn, self.content = conn, content  # content None: an old schema (no chain, no checksum)
        self._undo: list = [] if content is None else [(content.head, content.rows)]

    def put(self, table: str, key: str, value) -> None:
        k, v = TABLES[table]
        self.conn.execute(f"INSERT OR REPLACE INTO {table}({k}, {v}) VALUES (?, ?)", (key, value))
        if self.content is not None:
            self._undo.append(((table, key), self.content.put((table, key), row_digest(table, key, value))))

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
        self.content.head = chain_hash(self.content.head, row)
        self.content.rows += 1
        self.conn.execute("INSERT INTO audit(at, user, action, target, old, new, hash) VALUES (?,?,?,?,?,?,?)",
                          (*row, self.content.head))

    def seal(self) -> None:
        if self.content is not None:
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('checksum', ?)",
                              (self.content.checksum(),))

