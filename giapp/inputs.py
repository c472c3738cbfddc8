"""Reading a report from any file the application accepts: our report file, JSON, a Word report,
an Excel annex, a published web page (.html/.htm/.mht) or PDF. Qt-free."""

import json
from decimal import Decimal
from pathlib import Path

from .errors import GiappError
from .files import check_input, shown
from .imports import Imported
from .report import Report
from .store import SQLITE_MAGIC, SUFFIX, ReportFile

MAX_JSON_BYTES = 20 * 1024 * 1024
WEB_SUFFIXES = (".html", ".htm", ".mht", ".mhtml")


def _no_duplicates(pairs: list) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


class _Duplicate(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def read_json(path: Path) -> Report:
    name = shown(path)
    check_input(path)
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise GiappError(f"“{name}”过大（{size // 1024 // 1024} MB），不是报告 JSON")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GiappError(f"“{name}”不是 UTF-8 编码的 JSON 文件") from None
    except FileNotFoundError:
        raise GiappError(f"找不到文件“{path}”") from None
    except OSError as e:
        raise GiappError(f"无法读取“{name}”：{e.strerror or e}") from None
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise GiappError(f"“{name}”第{e.lineno}行第{e.colno}列：JSON 格式错误（{e.msg}）") from None
    except _Duplicate as e:
        raise GiappError(f"“{name}”中的键“{clean(e.key)}”出现了两次，无法确定取哪一个；请删去其中一个后再导入") from None
    except ValueError:  # an integer of thousands of digits
        raise GiappError(f"“{name}”中有位数过多的数字，不是报告 JSON") from None
    except RecursionError:
        raise GiappError(f"“{name}”嵌套过深，不是报告 JSON") from None
    return Report.from_json(data, f"“{name}”")


JSON_SIGNED = "JSON 中的签发状态仅供参考，未读入：读入后为草稿，需要时重新签发"


def _json_imported(path: Path) -> Imported:
    """A JSON report, always as a draft: its status and sign-off are informational (anyone can
    write them into a JSON file), so no signed status or sign-off is ever taken from one."""
    report = read_json(path)
    notes = [JSON_SIGNED] if report.status == "signed" or report.signoff else []
    report.status, report.signoff = "draft", None
    return Imported(report, "JSON", notes=notes)


# ---- what any report read from elsewhere must be, before it is kept in a report file

_NAME_FIELDS = {"name": "机关名称", "level": "机关层级", "address": "地址", "phone": "电话", "website": "网址"}


_BAD = {}  # line_breaks -> compiled pattern, made at the first use


def bad_character(text: str, line_breaks: bool) -> str | None:
    """The first character a report may not hold, as U+XXXX, or None: control characters (a
    tab or line break only where line_breaks), a lone surrogate, U+FFFE/U+FFFF; in a name also
    a line or paragraph separator. Such characters cannot be written to Word or Excel."""
    pattern = _BAD.get(line_breaks)
    if pattern is None:
        import re

        controls = "\x00-\x08\x0b\x0c\x0e-\x1f" if line_breaks else "\x00-\x1f\u2028\u2029"
        pattern = _BAD[line_breaks] = re.compile(f"[{controls}\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
    found = pattern.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def clean(text) -> str:
    """Text safe to show in a message."""
    text = str(text)
    return "".join(ch if bad_character(ch, False) is None else "?" for ch in text[:60])


def check_report(report: Report, source: str) -> None:
    """GiappError naming each place where the report holds what a report file may not: a
    character that cannot be written, a text longer than a report file holds."""
    from .store import MAX_TEXT

    problems = []
    for key, label in _NAME_FIELDS.items():
        found = bad_character(getattr(report.organ, key) or "", False)
        if found:
            problems.append(f"{label}含有控制字符或无效字符（{found}）")
    for block, label in ((report.texts, "文字"), (report.explanations, "说明")):
        for key, body in block.items():
            found = bad_character(str(key), False) or bad_character(body, True)
            if found:
                problems.append(f"{label}“{clean(key)}”含有控制字符或无效字符（{found}）")
            elif len(body) > MAX_TEXT:
                problems.append(f"{label}“{clean(key)}”过长（{len(body)}字，最多{MAX_TEXT}字）")
    for key, value in (report.signoff or {}).items():
        if isinstance(value, str) and bad_character(str(key) + value, False):
            problems.append(f"签发信息“{clean(key)}”含有控制字符或无效字符（{bad_character(str(key) + value, False)}）")
    if problems:
        raise GiappError(f"{source}不能导入：" + "；".join(problems[:10])
                         + (f"等{len(problems)}处" if len(problems) > 10 else "") + "。请在原文件中删去这些字符或缩短文字后再导入")


def read_report(path) -> Report:
    """The report a file holds, as printed. GiappError when it cannot be read."""
    return read_imported(path).report


def read_imported(path) -> Imported:
    """The report a file holds, as printed, with what could not be read (Word and Excel)."""
    path = Path(path)
    imported = _read(path)
    if path.suffix.lower() != SUFFIX:
        check_report(imported.report, f"“{shown(path)}”")
    return imported


def _read(path: Path) -> Imported:
    check_input(path)
    suffix = path.suffix.lower()
    if suffix == SUFFIX:
        with ReportFile.open(path, readonly=True) as f:
            return Imported(f.report, "本程序的报告文件")
    if suffix == ".json":
        return _json_imported(path)
    if suffix == ".docx":
        from .imports.word import read_word

        return read_word(path)
    if suffix == ".xlsx":
        from .imports.excel import read_excel

        return read_excel(path)
    if suffix in WEB_SUFFIXES:
        from .imports.html import read_html

        return read_html(path)
    if suffix == ".pdf":
        from .imports.pdf import read_pdf

        return read_pdf(path)
    if suffix in (".doc", ".xls", ".wps", ".et"):
        raise GiappError(f"“{path.name}”是旧版 Office/WPS 格式，请先另存为 .docx 或 .xlsx")
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise GiappError(f"找不到文件“{path}”") from None
    except OSError as e:
        raise GiappError(f"无法读取“{path.name}”：{e.strerror or e}") from None
    if head.startswith(SQLITE_MAGIC):
        with ReportFile.open(path, readonly=True) as f:
            return Imported(f.report, "本程序的报告文件")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_imported(path)
    if head.startswith(b"%PDF-"):  # a download saved without its extension
        from .imports.pdf import read_pdf

        return read_pdf(path)
    raise GiappError(f"“{path.name}”：不支持的文件类型（可用：{SUFFIX}、.docx、.xlsx、.json、.html、.mht、.pdf）")
