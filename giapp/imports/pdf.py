"""The report as published in PDF (exported from WPS or Word), read with pypdfium2: the tables
rebuilt from their ruling lines and the characters' positions, the texts from the body lines
(running headers, footers and page numbers dropped, lines joined into paragraphs). Then the Word
reader (word.read_blocks) reads them: the same labels, the same report.

A scanned PDF has no text to read and is refused with a message saying so. Bounds: at most 50 MB,
MAX_PAGES pages, pages at most MAX_SIDE points on a side, MAX_CHARS characters and MAX_PATHS drawn
paths a page (MAX_ALL_CHARS in all), MAX_RULES ruling lines a page and MAX_CELLS cells a table.
"""

import ctypes
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GiappError
from . import Imported
from .html import PAGE_NUMBER
from .tables import Grid

MAX_FILE = 50 * 1024 * 1024
MAX_PAGES = 200
MAX_SIDE = 5000  # points; A0 is 2384 x 3370
MAX_CHARS = 20_000
MAX_ALL_CHARS = 400_000  # in the whole file (a long report has 50,000)
MAX_RULES = 1_000  # ruling lines a page, each way, once joined (a page of tables has under 100)
MAX_CELLS = 5_000  # cells of one table (三 has about 260)
MAX_PATHS = 20_000
MAX_DEPTH = 4  # form XObjects within form XObjects
THIN = 2.5  # a drawn path this thin is a ruling line
SNAP = 2.0  # lines this close are one


@dataclass
class Char:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    base: float  # the baseline

    @property
    def cx(self):
        """Where the character sits, across: a little right of its start (punctuation may hang
        past a cell's edge at the end of a line)."""
        return self.x0 + 0.25 * (self.x1 - self.x0)

    @property
    def cy(self):
        return self.base + 0.3 * self.size


class Line:
    """A line of text: its characters left to right, where it starts and ends, its size."""

    __slots__ = ("chars", "page", "text", "x0", "x1", "top", "size")

    def __init__(self, chars: list, page: int):
        self.chars, self.page = chars, page
        self.text = _join(chars)
        ink = [c for c in chars if c.text.strip()] or chars
        self.x0 = min(c.x0 for c in ink)
        self.x1 = max(c.x1 for c in ink)
        self.top = max(c.y1 for c in chars)
        self.size = Counter(round(c.size) for c in chars).most_common(1)[0][0]


@dataclass
class Table:
    xs: list  # column boundaries, left to right
    ys: list  # row boundaries, top to bottom (descending y)
    h: list  # horizontal segments (y, x0, x1)
    v: list  # vertical segments (x, y0, y1)
    chars: list = field(default_factory=list)

    @property
    def top(self):
        return self.ys[0]

    def holds(self, c: Char) -> bool:
        return self.xs[0] - 1 <= c.cx <= self.xs[-1] + 1 and self.ys[-1] - 1 <= c.cy <= self.ys[0] + 1


def _join(chars: list) -> str:
    """Characters of one line, left to right; a wide gap becomes a space."""
    out, last = [], None
    for c in sorted(chars, key=lambda c: c.x0):
        if last is not None and c.x0 - last.x1 > 0.8 * max(c.size, 1) and c.text != " " and last.text != " ":
            out.append(" ")
        out.append(c.text)
        last = c
    return "".join(out)


def _lines(chars: list, page: int) -> list[Line]:
    """Characters grouped into lines, top to bottom."""
    lines: list[list] = []
    for c in sorted(chars, key=lambda c: -c.base):
        if lines:
            line = lines[-1]
            if abs(line[-1].base - c.base) <= max(0.3 * min(line[-1].size, c.size), 1.0):
                line.append(c)
                continue
        lines.append([c])
    return [Line(sorted(line, key=lambda c: c.x0), page) for line in lines]


# ---- reading the page


def _page_chars(textpage, raw, number: int, name: str) -> list[Char]:
    count = textpage.count_chars()
    if count > MAX_CHARS:
        raise GiappError(f"“{name}”第{number}页的文字过多（{count}个字符），不像是年度报告")
    out = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box = raw.FS_RECTF()
    skip = -1
    for i in range(count):
        if i == skip or raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if 0xD800 <= code < 0xDC00 and i + 1 < count:  # a character beyond the BMP comes in two halves
            low = raw.FPDFText_GetUnicode(textpage.raw, i + 1)
            if 0xDC00 <= low < 0xE000:
                code, skip = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), i + 1
        if code < 32 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000 or code in (0xFFFE, 0xFFFF):
            continue  # control characters, half characters: nothing a report holds
        angle = raw.FPDFText_GetCharAngle(textpage.raw, i)
        if 0.02 < angle < 2 * math.pi - 0.02:  # rotated: a watermark ("草稿") or a stamp
            continue
        size = raw.FPDFText_GetFontSize(textpage.raw, i)
        if size > 48:  # a watermark across the page
            continue
        raw.FPDFText_GetLooseCharBox(textpage.raw, i, box)
        raw.FPDFText_GetCharOrigin(textpage.raw, i, ox, oy)
        out.append(Char(chr(code), box.left, box.bottom, box.right, box.top, size, oy.value))
    return out


def _page_rules(page, raw) -> tuple[list, list]:
    """The ruling lines drawn on the page: horizontal (y, x0, x1) and vertical (x, y0, y1)."""
    h, v = [], []
    count = 0
    matrices = {0: None}  # by depth: from a form's space to the page's (None: the page's own)
    for obj in page.get_objects(max_depth=MAX_DEPTH):
        count += 1
        if count > MAX_PATHS:
            break
        matrix = matrices.get(obj.level)
        if obj.type == raw.FPDF_PAGEOBJ_FORM:  # a form XObject (print drivers draw tables in them)
            own = obj.get_matrix()
            matrices[obj.level + 1] = own if matrix is None else own.multiply(matrix)
            continue
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if matrix is not None:
            left, bottom, right, top = matrix.on_rect(left, bottom, right, top)
        width, height = right - left, top - bottom
        if height <= THIN and width > THIN:
            h.append(((bottom + top) / 2, left, right))
        elif width <= THIN and height > THIN:
            v.append(((left + right) / 2, bottom, top))
        elif width > THIN and height > THIN:
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
            if stroke.value and raw.FPDFPath_CountSegments(obj.raw) <= 6:  # a stroked rectangle: a cell's border
                h += [(bottom, left, right), (top, left, right)]
                v += [(left, bottom, top), (right, bottom, top)]
    return _merge(h), _merge(v)


def _merge(segments: list) -> list:
    """Segments on one line (positions within SNAP) that touch or overlap joined into one."""
    groups: list[list] = []
    for seg in sorted(segments):
        if groups and seg[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    out = []
    for group in groups:
        pos = sum(s[0] for s in group) / len(group)
        run = None
        for _, a, b in sorted(group, key=lambda s: s[1]):
            if run and a <= run[1] + SNAP:
                run[1] = max(run[1], b)
            else:
                if run:
                    out.append((pos, run[0], run[1]))
                run = [a, b]
        out.append((pos, run[0], run[1]))
    return out


def _cluster(values: list[float]) -> list[float]:
    out: list[list[float]] = []
    for x in sorted(values):
        if out and x - out[-1][-1] <= SNAP:
            out[-1].append(x)
        else:
            out.append([x])
    return [sum(g) / len(g) for g in out]


def _tables(h: list, v: list) -> list[Table]:
    """Ruling lines that cross each other, grouped into tables."""
    parent = list(range(len(h) + len(v)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(h):
        for j, (x, y0, y1) in enumerate(v):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i, seg in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(seg)
    for j, seg in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(seg)
    tables = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        xs = _cluster([x for x, _, _ in vs])
        ys = sorted(_cluster([y for y, _, _ in hs]), reverse=True)
        if len(xs) >= 3 and len(ys) >= 2:  # one column: a frame around the page or a box, not a table
            tables.append(Table(xs, ys, hs, vs))
    return tables


def _covered(segments: list, pos: float, mid: float) -> bool:
    """Whether a ruling line at pos passes the point mid along it."""
    return any(abs(p - pos) <= SNAP and a - SNAP <= mid <= b + SNAP for p, a, b in segments)


def _grid(table: Table, name: str) -> Grid:
    rows, cols = len(table.ys) - 1, len(table.xs) - 1
    parent = list(range(rows * cols))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(rows):
        ymid = (table.ys[r] + table.ys[r + 1]) / 2
        for c in range(cols):
            xmid = (table.xs[c] + table.xs[c + 1]) / 2
            if c + 1 < cols and not _covered(table.v, table.xs[c + 1], ymid):
                parent[find(r * cols + c)] = find(r * cols + c + 1)
            if r + 1 < rows and not _covered(table.h, table.ys[r + 1], xmid):
                parent[find(r * cols + c)] = find((r + 1) * cols + c)
    held: dict[int, list] = {}
    ys_up = table.ys[::-1]
    for ch in table.chars:
        c = min(max(bisect_right(table.xs, ch.cx) - 1, 0), cols - 1)
        r = rows - 1 - min(max(bisect_right(ys_up, ch.cy) - 1, 0), rows - 1)
        held.setdefault(find(r * cols + c), []).append(ch)
    text = {k: "".join(line.text for line in _lines(chars, 0)) for k, chars in held.items()}
    region = [[find(r * cols + c) for c in range(cols)] for r in range(rows)]
    texts = [[text.get(x, "") for x in row] for row in region]
    return Grid(name, texts, region)


# ---- the document


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GiappError(f"找不到文件“{path}”") from None
    except OSError as e:
        raise GiappError(f"无法读取“{path.name}”：{e.strerror or e}") from None
    if size > MAX_FILE:
        raise GiappError(f"“{path.name}”过大（{size // 1024 // 1024} MB），不像是年度报告")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise GiappError(f"“{path.name}”不是 PDF 文件，或文件已损坏")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise GiappError(f"“{path.name}”已加密（需要密码），无法读取。请使用未加密的 PDF") from None
        raise GiappError(f"“{path.name}”已损坏，无法作为 PDF 读取") from None


def pdf_blocks(path: Path) -> list:
    """Paragraphs (str) and tables (Grid) of the PDF in reading order."""
    import pypdfium2.raw as raw

    pdf = _open(path)
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise GiappError(f"“{path.name}”有{pages}页，超过{MAX_PAGES}页，不像是年度报告")
        items: list[tuple] = []  # (page, -top, kind, thing)
        all_lines: list[Line] = []
        heights: dict[int, float] = {}
        any_text = False  # any character at all
        total_chars = 0
        for n in range(pages):
            page = pdf[n]
            width, height = page.get_size()
            if width > MAX_SIDE or height > MAX_SIDE:
                raise GiappError(f"“{path.name}”第{n + 1}页过大（{width:.0f}×{height:.0f} 点），不像是年度报告")
            heights[n] = height
            textpage = page.get_textpage()
            chars = _page_chars(textpage, raw, n + 1, path.name)
            any_text = any_text or any(c.text.strip() for c in chars)
            total_chars += len(chars)
            if total_chars > MAX_ALL_CHARS:
                raise GiappError(f"“{path.name}”的文字过多（前{n + 1}页已超过 {MAX_ALL_CHARS} 个字符），不像是年度报告")
            h, v = _page_rules(page, raw)
            if len(h) > MAX_RULES or len(v) > MAX_RULES:
                raise GiappError(f"“{path.name}”第{n + 1}页的线条过多（{len(h)}条横线、{len(v)}条竖线），不像是年度报告")
            tables = _tables(h, v)
            for t in tables:
                if (len(t.xs) - 1) * (len(t.ys) - 1) > MAX_CELLS:
                    raise GiappError(f"“{path.name}”第{n + 1}页的表格过大（超过 {MAX_CELLS} 格），不像是年度报告")
            body = []
            for ch in chars:
                home = next((t for t in tables if t.holds(ch)), None)
                (home.chars if home else body).append(ch)
            for t in tables:
                if t.chars:
                    items.append((n, -t.top, "table", t))
            lines = [line for line in _lines([c for c in body], n) if line.text.strip()]
            all_lines += lines
            for line in lines:
                items.append((n, -line.top, "line", line))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    frame = _running(all_lines, heights)
    if not any_text or not any(kind == "table" or id(thing) not in frame for _, _, kind, thing in items):
        # no text, or only what a site stamps on every page of a scan (a header, page numbers)
        raise GiappError(f"“{path.name}”是扫描件，无法读取文字（没有文字层）。请使用 WPS/Word 导出的 PDF，"
                         "或找到报告的 Word 文件或网页")
    items.sort(key=lambda x: (x[0], x[1]))
    return _paragraphs([(kind, thing) for _, _, kind, thing in items
                        if not (kind == "line" and id(thing) in frame)], all_lines)


def _running(lines: list[Line], heights: dict[int, float]) -> set[int]:
    """Running headers, footers and page numbers near the top or foot of the page: ids of their lines."""
    out = set()
    seen: Counter = Counter()
    key = {}
    for line in lines:
        k = (line.text.strip(), round(line.top / 4))
        key[id(line)] = k
        seen[k] += 1
    pages = len(heights)
    for line in lines:
        height = heights[line.page]
        if not (line.top > 0.85 * height or line.top < 0.15 * height):
            continue  # the body of the page ("无" may well stand at the same height on two pages)
        text = line.text.strip()
        if PAGE_NUMBER.match(text) or pages > 1 and seen[key[id(line)]] >= max(2, pages // 2) and len(text) < 60:
            out.add(id(line))
    return out


_OPENS = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|附件)")


def _paragraphs(items: list, lines: list[Line]) -> list:
    """Lines joined into paragraphs: a paragraph ends where a line stops short of the right
    margin, and starts where a line is indented, changes size or follows a table."""
    if lines:
        left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
        right = Counter(round(line.x1) for line in lines).most_common(1)[0][0]
        body = Counter(line.size for line in lines).most_common(1)[0][0]
    out: list = []
    current: list[str] = []
    prev = None
    tables = 0

    def end():
        if current:
            out.append("".join(current).strip())
            current.clear()

    for kind, thing in items:
        if kind == "table":
            end()
            tables += 1
            out.append(_grid(thing, f"第{tables}个表格"))
            prev = None
            continue
        line = thing
        size = line.size
        starts = (prev is None or line.x0 > left + 1.0 * size  # indented, centred or right-aligned
                  or prev.x1 < right - 2.2 * size  # the line above stopped short (ragged by a character or two)
                  or prev.x0 > left + 4 * size  # the line above was centred or right-aligned
                  or abs(prev.size - size) > 1.5 or _OPENS.match(line.text))
        if starts and prev is not None and abs(prev.size - size) <= 1.5 and not _OPENS.match(line.text):
            centred = [abs((x.x0 - left) - (right - x.x1)) <= size for x in (prev, line)]
            centred += [line.x0 > left + 2 * size, prev.x0 > left + 2 * size or size > body + 1]
            wrapped = abs(line.x0 - prev.x0) <= 1 and prev.x0 > left + 4 * size and prev.x1 >= right - 2.2 * size
            starts = not (all(centred) or wrapped)  # a centred title over two lines; a wrapped closing line
        if starts:
            end()
        text = line.text.strip()
        if current and current[-1][-1:].isascii() and current[-1][-1:].isalnum() and text[:1].isascii() \
                and text[:1].isalnum():
            current.append(" ")  # words of a wrapped Latin line
        current.append(text)
        prev = line
    end()
    return [b for b in out if not isinstance(b, str) or b]


def read_pdf(path: Path) -> Imported:
    from .word import read_blocks

    path = Path(path)
    return read_blocks(path, pdf_blocks(path))
