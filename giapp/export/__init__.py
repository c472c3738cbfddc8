"""Exports: the Word report, the PDF (the printed paper) and the Excel annex. Qt-free.

Each file is written beside its target and moved into place, so that a failed export never leaves
half a file, and a file held open by Word or WPS gives a clear message.
"""

import os
from datetime import date
from pathlib import Path

from ..errors import GiappError
from ..report import Report
from ..winpaths import check_length

KINDS = {"docx": "Word 报告", "pdf": "PDF", "xlsx": "Excel 附表"}


def write(kind: str, report: Report, target, today: date | None = None) -> Path:
    from .docx import write_docx
    from .pdf import write_pdf
    from .xlsx import write_xlsx

    writer = {"docx": write_docx, "pdf": write_pdf, "xlsx": write_xlsx}[kind]
    target = Path(target)
    if target.suffix.lower() != f".{kind}":
        raise GiappError(f"{KINDS[kind]}的文件名应以 .{kind} 结尾：“{target.name}”")
    if not target.parent.is_dir():
        raise GiappError(f"文件夹“{target.parent}”不存在")
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.{kind}")
    check_length(target.absolute(), len(tmp.name) - len(target.name), sqlite=False)
    try:
        writer(report, tmp, today)
        os.replace(tmp, target)
    except OSError as e:
        if e.filename and Path(e.filename) not in (tmp, target):
            raise  # not about the file we write: a fault of ours, not the clerk's
        if isinstance(e, PermissionError):
            raise GiappError(f"无法写入“{target.name}”：文件可能正在 Word、WPS 或 Excel 中打开，请关闭后再导出") from None
        raise GiappError(f"无法写入“{target.name}”：{e.strerror or e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def default_targets(source: Path, report: Report) -> dict[str, Path]:
    """Beside the report file, named after the report: 小孟镇2021年政府信息公开工作年度报告.docx …"""
    from ..document import title

    stem = title(report)
    return {"docx": source.with_name(f"{stem}.docx"), "pdf": source.with_name(f"{stem}.pdf"),
            "xlsx": source.with_name(f"{stem}（附表）.xlsx")}
