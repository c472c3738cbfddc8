"""Office files from elsewhere are zip archives of XML: checked before any parser sees them.

Limits (documented in the README): at most 2,000 entries, 100 MB unpacked in all, no entry packed
more than 200 to 1 (zip bombs), and no DOCTYPE or ENTITY declaration in any XML part (entity
expansion and external entities). A refused file gets a message naming it and nothing is written.
"""

import zipfile
from pathlib import Path

from ..errors import GiappError

MAX_ENTRIES = 2000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_FILE = 50 * 1024 * 1024


def check_office_file(path: Path, kind: str) -> None:
    """kind: "docx" or "xlsx". GiappError when the file is not a safe file of that kind."""
    name = path.name
    what = {"docx": "Word 文档（.docx）", "xlsx": "Excel 工作簿（.xlsx）"}[kind]
    main_part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GiappError(f"找不到文件“{path}”") from None
    if size > MAX_FILE:
        raise GiappError(f"“{name}”过大（{size // 1024 // 1024} MB），不像是年度报告")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as f:
            head = f.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise GiappError(f"“{name}”是旧版 Office/WPS 格式（.doc/.xls），请在 Word/WPS 中另存为 .{kind} 后再导入")
        raise GiappError(f"“{name}”不是{what}，或文件已损坏")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES:
                raise GiappError(f"“{name}”包含的部件过多（{len(entries)}个），为安全起见不予读取")
            names = {e.filename for e in entries}
            if main_part not in names:
                raise GiappError(f"“{name}”不是{what}（缺少 {main_part}）")
            total = 0
            for e in entries:
                total += e.file_size
                if total > MAX_UNPACKED:
                    raise GiappError(f"“{name}”解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，为安全起见不予读取")
                if e.compress_size and e.file_size / e.compress_size > MAX_RATIO and e.file_size > 1024 * 1024:
                    raise GiappError(f"“{name}”中的“{e.filename}”压缩比异常（{e.file_size // e.compress_size}:1），"
                                     "可能是恶意文件，不予读取")
            for e in entries:
                if e.filename.endswith((".xml", ".rels")):
                    with archive.open(e) as part:
                        xml = part.read(MAX_UNPACKED + 1)  # bounded by the checks above
                    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                        raise GiappError(f"“{name}”中的“{e.filename}”含有 XML 实体声明，为安全起见不予读取")
    except zipfile.BadZipFile as e:
        raise GiappError(f"“{name}”已损坏，无法读取（{e}）") from None
    except OSError as e:
        raise GiappError(f"无法读取“{name}”：{e.strerror or e}") from None
