"""Office files from elsewhere are zip archives of XML: checked before any parser sees them.

Limits (documented in the README): at most 2,000 entries, 100 MB unpacked in all, 20 MB in one
XML part, no entry packed more than 200 to 1 (zip bombs), and no DOCTYPE or ENTITY declaration in
any part that is XML, whatever its name or encoding (UTF-8, UTF-16, UTF-32): every part is looked
at, so every part a relationship can reach is covered (entity expansion and external entities).
A refused file gets a message naming it and nothing is written.
"""

import codecs
import re
import zipfile
import zlib
from pathlib import Path

from ..errors import GiappError

MAX_ENTRIES = 2000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_FILE = 50 * 1024 * 1024
MAX_XML_PART = 20 * 1024 * 1024  # a real report's document.xml or sheet is well under 2 MB
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
_PATTERNS = [(b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"), (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"),
             (b"\x4c\x6f\xa7\x94", "ebcdic")]  # "<?xm" in EBCDIC, which libxml2 would read
_SAFE_ENCODINGS = {"utf8", "utf16", "utf16le", "utf16be", "utf32", "utf32le", "utf32be", "ascii", "usascii",
                   "iso88591", "latin1", "gb2312", "gbk", "gb18030"}


def xml_encoding(data: bytes) -> str | None:
    """The encoding a part is XML in ("utf-8", "utf-16-le", …), or None when it is not XML."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    for pattern, encoding in _PATTERNS:
        if data.startswith(pattern):
            return encoding
    head = data[:200].lstrip(b" \t\r\n")
    if not head.startswith(b"<"):
        return None
    declared = _ENCODING.match(head)
    return declared.group(1).decode("ascii").lower() if declared else "utf-8"


def declares_entities(data: bytes, part: str, name: str) -> bool:
    """Whether an XML part declares a DTD or an entity (in whatever encoding it is written)."""
    encoding = xml_encoding(data)
    if encoding is None:
        return False
    plain = re.sub(r"[-_ ]", "", encoding)
    if plain not in _SAFE_ENCODINGS:
        raise GiappError(f"“{name}”中的“{part}”使用了不常见的编码（{encoding}），为安全起见不予读取")
    if plain in ("utf8", "ascii", "usascii") and b"<!" not in data:  # "<" and "!" are never part of another character
        return False
    if _DECLARATION.search(data):
        return True
    text = data.decode(encoding, errors="replace")
    return bool(re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE))


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
            for e in entries:  # every part, whatever its name: a relationship may point anywhere
                if e.is_dir():
                    continue
                with archive.open(e) as part:
                    data = part.read(MAX_UNPACKED + 1)  # bounded by the checks above
                if xml_encoding(data) is not None and len(data) > MAX_XML_PART:
                    raise GiappError(f"“{name}”中的“{e.filename}”过大（{len(data) // 1024 // 1024} MB），"
                                     "不像是年度报告，为安全起见不予读取")
                if declares_entities(data, e.filename, name):
                    raise GiappError(f"“{name}”中的“{e.filename}”含有 XML 实体声明，为安全起见不予读取")
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise GiappError(f"“{name}”已损坏或已加密，无法读取（{e}）") from None
    except OSError as e:
        raise GiappError(f"无法读取“{name}”：{e.strerror or e}") from None
