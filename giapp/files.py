"""Files and folders as the clerk's computer has them: what may be read, where a file may be
written, and what went wrong in words (read-only folder, full disk, name too long). Qt-free."""

import errno
import gc
import os
import sqlite3
import stat
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from .errors import GiappError

NAME_MAX = 255  # bytes in one file name (ext4, NTFS in UTF-16 units, APFS)
PATH_MAX = 4096 if os.name != "nt" else 32_767


def shown(path) -> str:
    """A file name for a message. A name in another encoding (GBK bytes left by unzipping a
    Windows zip) is shown as it was meant, not as escapes that cannot be printed."""
    name = Path(path).name
    if not _escaped(name):
        return name
    raw = os.fsencode(name)
    for encoding in ("gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def _escaped(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def check_input(path: Path) -> None:
    """GiappError unless path is a plain file that can be read: never a folder, a pipe, a device,
    a link that loops, or a name the system cannot show. Nothing is opened."""
    name = shown(path)
    if _escaped(str(path)):
        raise GiappError(f"文件名“{name}”不是 UTF-8 编码（常见于从 Windows 压缩包解出的 GBK 文件名），"
                         "无法可靠显示，请把文件重命名后再读入")
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise GiappError(f"“{name}”是指向不存在文件的快捷方式（符号链接），无法读取") from None
        raise GiappError(f"找不到文件“{path}”") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise GiappError(f"“{name}”是循环的符号链接（链接指向自身），无法读取") from None
        if e.errno == errno.ENAMETOOLONG:
            raise GiappError(f"“{name}”的路径过长，无法读取；请把文件移到较短的路径下") from None
        raise GiappError(f"无法读取“{name}”：{_reason(e)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise GiappError(f"“{name}”是文件夹，不是文件")
    if not stat.S_ISREG(info.st_mode):
        what = "管道（FIFO）" if stat.S_ISFIFO(info.st_mode) else "套接字" if stat.S_ISSOCK(info.st_mode) else "设备"
        raise GiappError(f"“{name}”不是普通文件，而是{what}，未读取")
    if not os.access(path, os.R_OK):
        raise GiappError(f"没有读取“{name}”的权限")


def check_target(target: Path, extra: int = 0) -> None:
    """GiappError when a file of this name cannot be made in this folder: the folder is missing,
    the name or the path is longer than the system allows (extra: bytes the file's companions
    add to the name, such as "-journal")."""
    folder = target.parent
    size = len(os.fsencode(target.name))
    limit = NAME_MAX - extra
    if size > limit:
        raise GiappError(f"文件名“{target.name}”过长（{size} 字节，最多 {limit} 字节，约 {limit // 3} 个汉字），"
                         "请缩短文件名")
    full = len(os.fsencode(str(target.absolute()))) + extra
    if full >= PATH_MAX:
        raise GiappError(f"路径过长（{full} 字节，系统上限 {PATH_MAX} 字节），无法写入“{target.name}”；"
                         "请选择较短的文件夹或文件名")
    if not folder.is_dir():
        raise GiappError(f"文件夹“{folder}”不存在")
    state = _folder_state(folder)
    if state in (errno.EROFS, errno.EACCES):
        raise write_error(OSError(state, os.strerror(state)), target)


def temporary(target: Path, suffix: str = ".tmp") -> Path:
    """A hidden file beside target to write first and move into place: short, whatever the
    length of target's name, and unique."""
    return target.with_name(f".giapp-{os.getpid()}-{uuid.uuid4().hex[:8]}{suffix}")


def write_error(e: BaseException, target: Path) -> GiappError:
    """What went wrong writing target (an OSError or a SQLite error), in words."""
    name, folder = target.name, target.parent
    code = getattr(e, "errno", None)
    if isinstance(e, sqlite3.Error):
        sqlite_code = (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF
        code = {13: errno.ENOSPC, 8: errno.EROFS}.get(sqlite_code)
        if code is None:
            code = _folder_state(folder)
    elif code in (errno.EACCES, errno.EPERM, errno.EIO, None):
        code = _folder_state(folder) or code
    if code == errno.EROFS:
        return GiappError(f"文件夹“{folder}”是只读的（如只读U盘、光盘或只读共享文件夹），无法写入“{name}”；"
                          "请换一个可以写入的文件夹。原有文件未改动")
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return GiappError(f"磁盘空间不足，无法写入“{name}”（文件夹“{folder}”所在的磁盘已满）；"
                          "请清理磁盘或换一个位置。原有文件未改动，没有留下不完整的文件")
    if code == errno.ENAMETOOLONG:
        return GiappError(f"文件名或路径过长，无法写入“{name}”；请缩短文件名或选择较短的文件夹")
    if code in (errno.EACCES, errno.EPERM):
        if target.exists():
            return GiappError(f"无法写入“{name}”：文件可能正在 Word、WPS 或 Excel 中打开，或没有写入权限；"
                              "请关闭后再试")
        return GiappError(f"没有在文件夹“{folder}”中写入文件的权限，无法写入“{name}”；请换一个文件夹")
    return GiappError(f"无法写入“{name}”：{_reason(e)}")


def _folder_state(folder: Path) -> int | None:
    """Why nothing can be written in folder, as an errno (read-only, full), or None."""
    try:
        info = os.statvfs(folder)
    except (AttributeError, OSError):
        return None
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return errno.EROFS
    if info.f_bavail * info.f_frsize < 64 * 1024:
        return errno.ENOSPC
    if not os.access(folder, os.W_OK):
        return errno.EACCES
    return None


def _reason(e: BaseException) -> str:
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


@contextmanager
def quiet_closing():
    """Around a write that may fail: the zip writers of python-docx and openpyxl leave their
    file open when the disk fills up; when it is collected, its close fails again and Python
    prints that on stderr. After a failure (the caller appends to the list it is given) it is
    collected at once and that second failure is not shown."""
    previous = sys.unraisablehook

    def hook(unraisable):
        if not isinstance(unraisable.exc_value, OSError):
            previous(unraisable)

    sys.unraisablehook = hook
    failed = []  # the caller appends to it when the write failed
    try:
        yield failed
    finally:
        if failed:  # a full collection costs 50 ms in a long-running window: only after a failure
            gc.collect()
        sys.unraisablehook = previous
