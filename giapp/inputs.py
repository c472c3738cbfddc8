"""Reading a report from any file the application accepts: our report file, JSON, a Word report,
an Excel annex, a published web page (.html/.htm/.mht) or PDF. Qt-free."""

import json
from decimal import Decimal
from pathlib import Path

from .errors import GiappError
from .imports import Imported
from .report import Report
from .store import SQLITE_MAGIC, SUFFIX, ReportFile

MAX_JSON_BYTES = 20 * 1024 * 1024
WEB_SUFFIXES = (".html", ".htm", ".mht", ".mhtml")


def read_json(path: Path) -> Report:
    name = path.name
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
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise GiappError(f"“{name}”第{e.lineno}行第{e.colno}列：JSON 格式错误（{e.msg}）") from None
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


def read_report(path) -> Report:
    """The report a file holds, as printed. GiappError when it cannot be read."""
    return read_imported(path).report


def read_imported(path) -> Imported:
    """The report a file holds, as printed, with what could not be read (Word and Excel)."""
    path = Path(path)
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
