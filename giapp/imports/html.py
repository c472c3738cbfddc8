"""The report as published on a government site: a web page saved from the browser (.html, .htm)
or a web archive (.mht, .mhtml), often pasted from Word. The page becomes paragraphs and tables
in order and goes through the Word reader (word.read_blocks): the same labels, the same report.

Bounds: at most 20 MB a file, rowspan at most the table's remaining rows, colspan at most
MAX_COLSPAN, at most MAX_GRID_CELLS cells in a table, MAX_TABLES tables and MAX_BLOCKS paragraphs
a page; the walk is iterative (no recursion depth).
"""

import email
import email.policy
import re
from functools import cache
from pathlib import Path

import lxml.html
from lxml import etree

from ..errors import GiappError
from ..form import MAIN_FORM, load_form
from . import Imported
from .common import TITLE
from .tables import MAX_BLOCKS, MAX_TABLES, Grid, core

MAX_FILE = 20 * 1024 * 1024
MAX_COLSPAN = 60
MAX_ROWS = 2000
MAX_GRID_CELLS = 100_000

# Elements whose content is never report text, and class/id words of a site's frame.
_SKIP_TAGS = {"script", "style", "noscript", "head", "title", "select", "option", "button", "iframe", "nav",
              "footer", "form", "textarea", "svg", "object", "embed", "template", "meta", "link"}
_FRAME_WORDS = {"nav", "navbar", "navigation", "menu", "footer", "foot", "copyright", "breadcrumb", "crumb",
                "crumbs", "sidebar", "share", "position", "location", "weizhi", "dqwz", "bottom", "related", "xgwz",
                "xgxx", "prevnext"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th",
               "table", "tbody", "thead", "tfoot", "caption", "section", "article", "header", "main", "blockquote",
               "center", "pre", "address", "hr", "body", "html", "figure", "figcaption"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CJK_NEWLINE = re.compile(r"(?<=[^\x00-\xff])[ \t\r\n]*[\r\n][ \t\r\n]*(?=[^\x00-\xff])")
_SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
PAGE_NUMBER = re.compile(r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$")
_PAGE_TOOLS = re.compile(r"^(?:(?:\s*[【\[][^】\]]{1,10}[】\]]\s*)+"  # 【打印本页】【关闭窗口】
                         r"|(?:上一篇|下一篇|相关链接|相关文章|相关阅读|相关新闻|责任编辑|分享到|扫一扫|打印本页|关闭窗口"
                         r"|返回顶部|浏览次数|访问量|点击数|字号)[：:\s].*|(?:发布时间|来源|信息来源)[：:].{0,40}(?:字号|浏览|来源).*)$")
_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _encoding(name: str) -> str:
    name = name.strip().lower()
    if name in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"):
        return "gb18030"  # the superset: pages declared GB2312 often hold GBK characters
    return name


def decode_page(data: bytes, declared: str | None = None) -> str:
    """The page's text: by its BOM, else the declared or meta charset, else UTF-8, else GB18030."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    tried = []
    if declared:
        tried.append(_encoding(declared))
    match = _CHARSET.search(data[:8192])
    if match:
        tried.append(_encoding(match.group(1).decode("ascii")))
    tried += ["utf-8", "gb18030"]
    for enc in tried:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode(tried[0] if tried[0] != "utf-8" else "gb18030", errors="replace")


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise GiappError(f"“{path.name}”过大（{size // 1024 // 1024} MB），不像是年度报告网页")
        return path.read_bytes()
    except FileNotFoundError:
        raise GiappError(f"找不到文件“{path}”") from None
    except OSError as e:
        raise GiappError(f"无法读取“{path.name}”：{e.strerror or e}") from None


def page_of_archive(path: Path, data: bytes) -> str:
    """The HTML page inside a web archive (.mht/.mhtml, MIME multipart)."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                body = part.get_payload(decode=True) or b""
                return decode_page(body, part.get_content_charset())
    except Exception:
        pass
    if b"<html" in data[:4096].lower():  # a page saved with the wrong name
        return decode_page(data)
    raise GiappError(f"“{path.name}”不是网页存档（.mht），或文件已损坏：没有找到网页内容")


def read_html(path: Path) -> Imported:
    path = Path(path)
    data = _read_bytes(path)
    if path.suffix.lower() in (".mht", ".mhtml"):
        text = page_of_archive(path, data)
    else:
        text = decode_page(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a str with an encoding declaration
    if not text.strip():
        raise GiappError(f"“{path.name}”是空文件")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise GiappError(f"“{path.name}”无法作为网页读取（{e}）") from None
    problems: list[str] = []
    try:
        blocks = page_blocks(root, problems)
    except TooLong:
        raise GiappError(f"“{path.name}”的段落超过{MAX_BLOCKS}个，不像是年度报告网页，为安全起见不予读取") from None
    from .word import read_blocks

    return read_blocks(path, trim_page(blocks), problems)


def _frame(element) -> bool:
    """An element of the site's frame (navigation, footer, breadcrumb) by its tag, class or id."""
    tag = element.tag
    if tag in _SKIP_TAGS:
        return True
    if element.get("style") and re.search(r"display\s*:\s*none", element.get("style"), re.I):
        return True
    words = re.split(r"[\s_\-]+", f"{element.get('class', '')} {element.get('id', '')}".lower())
    return any(w in _FRAME_WORDS for w in words)


def _is_data_table(table) -> bool:
    """A table of figures, not a table used to lay the page out (one holding tables or one cell)."""
    if table.find(".//table") is not None:
        return False
    return len(table.xpath(".//td|.//th")) > 1


class _Text:
    """Paragraphs collected from a run of inline text."""

    def __init__(self):
        self.out: list = []
        self.parts: list[str] = []

    def add(self, text):
        if text:
            self.parts.append(text)

    def is_heading(self) -> bool:
        text = clean("".join(self.parts))
        return 0 < len(text) < 40 and core(text).replace("、", "") in _headings()

    def end(self):
        if self.parts:
            line = clean("".join(self.parts))
            if line:
                self.out.append(line)
                if len(self.out) > MAX_BLOCKS:
                    raise TooLong()
            self.parts = []


class TooLong(Exception):
    """More paragraphs than any report has: a crafted page (reading on would take minutes)."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text as read: control characters dropped, source line breaks between Chinese characters
    dropped, spaces folded."""
    text = _CJK_NEWLINE.sub("", _CONTROL.sub("", text))
    return _SPACES.sub(" ", text).strip()


def _walk(element, collect: _Text, tables: list) -> None:
    """Paragraphs (str) and data tables (Grid) under element, in order, into collect.out."""
    stack = [(element, None)]  # (node, None): to open; (node, its children's iterator): being walked
    while stack:
        node, children = stack[-1]
        if children is not None:
            child = next(children, None)
            if child is not None:  # one child at a time: a body of a million paragraphs is never copied
                stack.append((child, None))
                continue
            stack.pop()
            if node.tag in _BLOCK_TAGS:
                collect.end()
            elif node.tag in ("strong", "b") and collect.is_heading():
                collect.end()  # "<strong>一、总体情况</strong>2025年，……": the heading is a paragraph of its own
            if node is not element:
                collect.add(node.tail)
            continue
        stack.pop()
        if not isinstance(node.tag, str):  # comments and processing instructions
            collect.add(node.tail)
            continue
        tag = node.tag.lower().rsplit(":", 1)[-1] if ":" in node.tag else node.tag.lower()
        if node is not element and _frame(node):
            collect.add(node.tail)
            continue
        if tag == "br":
            collect.end()
            collect.add(node.tail)
            continue
        if tag == "table" and (len(tables) >= MAX_TABLES or _is_data_table(node)):
            collect.end()
            if len(tables) < MAX_TABLES:  # past the bound a table is counted, not read
                collect.out.append(_grid(node, f"第{len(tables) + 1}个表格"))
            tables.append(node)
            collect.add(node.tail)
            continue
        if tag in _BLOCK_TAGS:
            collect.end()
        collect.add(node.text)
        stack.append((node, iter(node)))


def page_blocks(root, problems: list | None = None) -> list:
    """The page's paragraphs and data tables in order; tables past MAX_TABLES listed in problems."""
    body = root.find("body")
    collect, tables = _Text(), []
    _walk(body if body is not None else root, collect, tables)
    collect.end()
    if len(tables) > MAX_TABLES and problems is not None:
        problems.append(f"网页中的表格超过{MAX_TABLES}个（共{len(tables)}个），其余的表格未读取")
    return collect.out


def _cell_text(cell) -> str:
    collect = _Text()
    _walk(cell, collect, [])
    collect.end()
    return "\n".join(x for x in collect.out if isinstance(x, str))


def _span(value, default_max: int) -> int:
    try:
        n = int(re.match(r"\s*(\d+)", value or "1").group(1))
    except (AttributeError, ValueError):
        return 1
    return default_max if n == 0 else max(1, min(n, default_max))


def _grid(table, name: str) -> Grid:
    """The table as a grid: a merged cell (rowspan, colspan) repeats its text over its region."""
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")[:MAX_ROWS]
    texts: list[list[str]] = [[] for _ in rows]
    region: list[list[int]] = [[] for _ in rows]
    filled: list[list[bool]] = [[] for _ in rows]
    count = 0
    next_id = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while c < len(filled[r]) and filled[r][c]:
                c += 1
            rs = _span(cell.get("rowspan"), len(rows) - r)
            cs = _span(cell.get("colspan"), MAX_COLSPAN)
            if c + cs > MAX_COLSPAN:
                cs = max(1, MAX_COLSPAN - c)
                if c >= MAX_COLSPAN:
                    break
            count += rs * cs
            if count > MAX_GRID_CELLS:
                raise GiappError(f"{name}过大（合并单元格超过 {MAX_GRID_CELLS} 格），为安全起见不予读取")
            text = _cell_text(cell)
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    while len(filled[rr]) <= cc:
                        filled[rr].append(False)
                        texts[rr].append("")
                        region[rr].append(-1 - len(region[rr]) - 1000 * rr)  # an empty place of its own
                    filled[rr][cc] = True
                    texts[rr][cc] = text
                    region[rr][cc] = next_id
            next_id += 1
            c += cs
    width = max((len(r) for r in texts), default=0)
    for rr in range(len(texts)):  # short rows padded, each empty place a region of its own
        while len(texts[rr]) < width:
            texts[rr].append("")
            region[rr].append(-1 - len(region[rr]) - 1000 * rr)
    keep = [i for i, row in enumerate(texts) if row]
    return Grid(name, [texts[i] for i in keep], [region[i] for i in keep])


@cache
def _headings() -> frozenset[str]:
    form = load_form(MAIN_FORM)
    return frozenset(core(n).replace("、", "") for s in form.sections for n in [s["heading"], *s.get("aliases", [])])


def trim_page(blocks: list) -> list:
    """The report without the page around it: from its title (the last one before the first
    section heading; a page often repeats it in a breadcrumb or an index table) to its closing
    date (unless an annex follows)."""
    from .word import section_heading

    form = load_form(MAIN_FORM)
    blocks = [b for b in blocks if not (isinstance(b, str) and (PAGE_NUMBER.match(b) and not b.strip().isdigit()
                                                                  or _PAGE_TOOLS.match(b)))]
    first = next((i for i, b in enumerate(blocks) if isinstance(b, str) and section_heading(b, form) is not None),
                 len(blocks))
    start = None
    for i in range(first):
        b = blocks[i]
        if isinstance(b, str) and len(b) < 80:
            match = TITLE.match(re.sub(r"\s+", "", b))
            if match:
                start = i
                if not match["organ"] and i > 0 and isinstance(blocks[i - 1], str) and len(blocks[i - 1]) < 30:
                    start = i - 1  # the organ on a line of its own above
    if start is not None:
        blocks = blocks[start:]
    dates = [i for i, b in enumerate(blocks) if isinstance(b, str) and _DATE.match(b)]
    if dates:
        end = dates[-1]
        rest = blocks[end + 1:]
        if not any(isinstance(b, Grid) or b.startswith("附件") for b in rest):
            blocks = blocks[:end + 1]
    return blocks
