"""Anything unexpected: the details go to a log file for support, the clerk gets one sentence in
Chinese ("内部错误", with the log file's path), never a traceback. Qt-free.

The log holds the program's version, the system and the traceback; it stays on this computer
(nothing is sent anywhere) and only the newest KEEP logs are kept."""

import os
import sys
from datetime import datetime
from pathlib import Path

KEEP = 20
MAX_CHARS = 200_000  # a traceback of a deep recursion is cut, not written whole


def log_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("giapp", appauthor=False))


def record(exc: BaseException) -> Path | None:
    """Write exc with its traceback to a new log file; its path, or None when none can be written."""
    import platform  # only when something went wrong: the window imports this module at start-up
    import traceback

    from . import __version__

    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if len(details) > MAX_CHARS:
        details = details[: MAX_CHARS // 2] + "\n…\n" + details[-MAX_CHARS // 2:]
    text = (f"giapp {__version__}\nPython {sys.version.split()[0]} on {platform.platform()}\n"
            f"{datetime.now().astimezone().isoformat(timespec='seconds')}\n\n{details}")
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"giapp-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
        path, n = folder / f"{stem}.log", 1
        while path.exists():  # two errors in one second
            n += 1
            path = folder / f"{stem}-{n}.log"
        path.write_text(text, encoding="utf-8", errors="replace")
        for old in sorted(folder.glob("giapp-*.log"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
        return path
    except OSError:  # a full disk or a read-only profile: the sentence still goes to the user
        return None


def message(exc: BaseException, log: Path | None) -> str:
    """The sentence the user sees."""
    where = (f"详细信息已记入日志文件“{log}”，请把这个文件发给技术支持" if log is not None
             else "日志文件无法写入")
    return f"内部错误（{type(exc).__name__}）：程序遇到了意外的问题，这一步没有完成；{where}。已保存的内容不受影响"


def report(exc: BaseException) -> str:
    """Record exc and return the sentence for the user."""
    return message(exc, record(exc))
