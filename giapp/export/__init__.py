"""Exports: the Word report, the PDF (the printed paper), the Excel annex and the sign-off sheet
(a PDF for the paper file, with the names the published copy leaves out). Qt-free.

Each file is written beside its target and moved into place, so that a failed export never leaves
half a file, and a file held open by Word or WPS gives a clear message.
"""

import os
from datetime import date
from pathlib import Path

from ..errors import GiappError
from ..files import check_target, quiet_closing, temporary, write_error
from ..report import Report
from ..winpaths import check_length

KINDS = {"docx": "Word 报告", "pdf": "PDF", "xlsx": "Excel 附表", "sheet": "签发单（PDF）"}
SUFFIXES = {"docx": "docx", "pdf": "pdf", "xlsx": "xlsx", "sheet": "pdf"}


def write(kind: str, report: Report, target, today: date | None = None) -> Path:
    from .docx import write_docx
    from .pdf import write_pdf
    from .sheet import write_sheet
    from .xlsx import write_xlsx

    writer = {"docx": write_docx, "pdf": write_pdf, "xlsx": write_xlsx, "sheet": write_sheet}[kind]
    target = Path(target)
    refuse_tampered(report)
    suffix = SUFFIXES[kind]
    if target.suffix.lower() != f".{suffix}":
        raise GiappError(f"{KINDS[kind]}的文件名应以 .{suffix} 结尾：“{target.name}”")
    check_target(target)
    tmp = temporary(target, f".{suffix}")
    check_length(target.absolute(), len(tmp.name) - len(target.name), sqlite=False)
    failure = None
    try:
        with quiet_closing() as failed:
            try:
                writer(report, tmp, today)
                os.replace(tmp, target)
            except OSError as e:
                if e.filename and Path(e.filename) not in (tmp, target):
                    raise  # not about the file we write: a fault of ours, not the clerk's
                failure = write_error(e, target)
                failed.append(failure)
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # a read-only folder: nothing was made there
            pass
    if failure is not None:
        raise failure
    return target


def refuse_tampered(report: Report) -> None:
    """A signed report whose content no longer matches its fingerprint is neither exported nor
    printed: its exports would carry a code for content that was not signed."""
    if report.status != "signed" or not report.signoff:
        return
    from ..signoff import intact

    if not intact(report):
        raise GiappError("本报告签发后内容被改动过（与签发时的指纹不符，可能被其他程序修改），不能导出或打印。"
                         "请核实内容后“撤销签发”（写明原因），再重新签发")


def default_targets(source: Path, report: Report) -> dict[str, Path]:
    """Beside the report file, named after the report: 小孟镇2021年政府信息公开工作年度报告.docx …,
    and the sign-off sheet …（签发单）.pdf."""
    from ..document import title

    stem = title(report)
    return {"docx": source.with_name(f"{stem}.docx"), "pdf": source.with_name(f"{stem}.pdf"),
            "xlsx": source.with_name(f"{stem}（附表）.xlsx"), "sheet": source.with_name(f"{stem}（签发单）.pdf")}
