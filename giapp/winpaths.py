"""Paths as Windows gives them: network shares (UNC), the 260-character limit, and the file an
association or a shortcut hands over. Pure functions of a path, so that tests on Linux cover the
Windows forms through PureWindowsPath. Qt-free."""

import os
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote, quote_from_bytes

from .errors import GiappError

# MAX_PATH is 260 including the closing NUL. SQLite puts "-journal" (8) beside a report while it
# writes; exports write a temporary ".<name>.<pid>.tmp.<kind>" first (at most 22 more).
MAX_PATH = 259
SIDE_FILES = len("-journal")
SQLITE_UNIX_PATH = 512  # SQLite's MAX_PATHNAME in its Unix VFS, in bytes


def sqlite_uri(path: PurePath, mode: str) -> str:
    """The `file:` URI SQLite opens for an absolute path, POSIX or Windows.

    SQLite accepts only an empty (or "localhost") authority and refuses any other ("invalid uri
    authority"), so `Path.as_uri()` of a network share, file://server/share/x, cannot be opened.
    The share goes into the path after an empty authority, file:////server/share/x: SQLite hands
    //server/share/x to Windows, which reads it as \\\\server\\share\\x. A drive path becomes
    file:///C:/…, the form SQLite documents (it drops the "/" before "C:")."""
    if isinstance(path, PureWindowsPath):
        text = str(path)
        if text.startswith("\\\\?\\UNC\\"):  # \\?\UNC\server\share\x
            text = "\\\\" + text[8:]
        elif text.startswith("\\\\?\\"):  # \\?\C:\x
            text = text[4:]
        text = text.replace("\\", "/")
        body = "//" + quote(text if text.startswith("//") else "/" + text, safe="/:")
    else:
        # the bytes the file system has (a name undecodable in the locale keeps its bytes)
        body = "//" + quote_from_bytes(os.fsencode(str(PurePosixPath(path))), safe="/")
    return f"file:{body}?mode={mode}"


def check_length(path: PurePath, extra: int = SIDE_FILES, sqlite: bool = True) -> None:
    """Refuse, with a message saying what to do, a path too long to work with: on Windows one
    that (with the side files written beside it) passes 259 characters, as most programs there,
    Explorer and Word among them, cannot open it; elsewhere a report file whose path (in bytes,
    3 to a Chinese character) SQLite cannot open (its Unix limit is 512 bytes)."""
    if isinstance(path, PureWindowsPath):
        # the \\?\ form counts without its prefix: SQLite is handed the plain path (sqlite_uri)
        length = len(str(path).removeprefix("\\\\?\\UNC").removeprefix("\\\\?\\"))
        if length + extra <= MAX_PATH:
            return
        limit, example = f"{length} 个字符，Windows 允许约 {MAX_PATH - extra} 个", "D:\\年度报告"
    else:
        length = len(os.fsencode(str(path)))
        if not sqlite or length + extra < SQLITE_UNIX_PATH:
            return
        limit, example = f"{length} 字节，最多约 {SQLITE_UNIX_PATH - 1 - extra} 字节，一个汉字占 3 字节", "~/年度报告"
    raise GiappError(f"路径太长（{limit}）：“{path.name}”位于“{path.parent}”。"
                     f"请把文件移到层次较浅的文件夹（如 {example}），或改短文件夹名和文件名")


def launch_path(args: list[str]) -> str | None:
    """The report file the window opens, from what a file association, a shortcut or a
    command line handed over: quotes around it dropped; a path with spaces that reached us
    split into several arguments (an association registered without quotes around %1) joined
    again when the joined path exists. None: nothing given, or several arguments that are not
    one file."""
    cleaned = [a.strip().strip('"').strip() for a in args]
    if len(cleaned) > 1:
        joined = " ".join(cleaned)
        return joined if Path(joined).exists() else None
    return cleaned[0] if cleaned and cleaned[0] else None
