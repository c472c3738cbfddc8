"""Chinese line breaking (禁则) and the paragraphs of the PDF, set on the page grid.

A paragraph is cut into atoms (a Chinese character, or an unbreakable run of Latin letters and
digits), each in the font that covers it. Lines are filled greedily; a line never begins with a
closing mark (，。、；：？！）》」』】〕〉”’ …) nor ends with an opening one (（《「『【〔〈“‘): the closing
marks are first pulled onto the line by condensing it (by at most one character), else characters
are pushed down to the next line and the line is spaced out. Nothing is set beyond the measure.
"""

import re
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

NO_START = frozenset("，。、；：？！）》」』】〕〉”’" ",.;:?!)]}%％…·")
NO_END = frozenset("（《「『【〔〈“‘" "([{")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,:/\-_@][A-Za-z0-9]+)*%?")
SPACES = re.compile(r"[^\S\n\u3000]+")  # tabs, no-break and other spaces: one space, a break opportunity
EPS = 0.01


@dataclass(slots=True)
class Atom:
    runs: list  # (text, font): one run, or more for a Latin word whose characters use two fonts
    width: float  # advance, character spacing included

    @property
    def text(self) -> str:
        return self.runs[0][0] if len(self.runs) == 1 else "".join(t for t, _ in self.runs)


@dataclass(slots=True)
class Line:
    atoms: list
    width: float  # natural advance
    measure: float  # what the line may fill
    indent: float
    justify: bool  # spread (or condensed) to the measure


_WIDTHS: dict = {}


def char_width(font: str, ch: str) -> float:
    """Advance of a character at 1 pt (cached: reportlab measures slowly)."""
    key = (font, ch)
    w = _WIDTHS.get(key)
    if w is None:
        w = _WIDTHS[key] = pdfmetrics.stringWidth(ch, font, 1)
    return w


def atoms(text: str, pick, size: float, spacing: float) -> list[Atom]:
    """The atoms of a text; pick(ch) names the font of a character."""
    out = []
    text = SPACES.sub(" ", text)
    i = 0
    while i < len(text):
        m = LATIN_WORD.match(text, i)
        chars = m.group() if m else text[i]
        runs, width = [], 0.0
        for ch in chars:
            font = pick(ch)
            width += char_width(font, ch) * size + spacing
            if runs and runs[-1][1] == font:
                runs[-1] = (runs[-1][0] + ch, font)
            else:
                runs.append((ch, font))
        out.append(Atom(runs, width))
        i += len(chars)
    return out


def _starts_bad(atom: Atom) -> bool:
    return atom.text[0] in NO_START


def _ends_bad(atom: Atom) -> bool:
    return atom.text[-1] in NO_END


def _split_wide(items: list[Atom], measure: float, size: float, spacing: float) -> list[Atom]:
    """A Latin word longer than the line is broken into characters."""
    out = []
    for a in items:
        if a.width > measure + EPS and len(a.text) > 1:
            out += [Atom([(ch, font)], char_width(font, ch) * size + spacing) for text, font in a.runs for ch in text]
        else:
            out.append(a)
    return out


def break_lines(items: list[Atom], measure: float, first_indent: float = 0.0, squeeze: float = 0.0,
                size: float = 0.0, spacing: float = 0.0) -> list[Line]:
    """Lines of one paragraph (no forced breaks). `squeeze`: how much wider than the measure a line
    may be set, condensed, to take in closing marks."""
    items = _split_wide(items, measure - first_indent, size, spacing)
    lines: list[Line] = []
    n, i = len(items), 0
    while i < n:
        indent = first_indent if not lines else 0.0
        avail = measure - indent
        w, j = 0.0, i
        while j < n and w + items[j].width <= avail + EPS:
            w += items[j].width
            j += 1
        if j == i:
            j = i + 1  # wider than the line (a single glyph): set it anyway
        if j < n:
            j = _adjust(items, i, j, avail, squeeze)
        line = items[i:j]
        while len(line) > 1 and line[-1].text == " ":
            line.pop()
        lines.append(Line(line, sum(a.width for a in line), avail, indent, j < n))
        i = j
        while i < n and items[i].text == " ":
            i += 1
    return lines


def _adjust(items: list[Atom], i: int, j: int, avail: float, squeeze: float) -> int:
    """The end of the line [i, j) moved so that neither it nor the next line breaks a rule."""
    if not _starts_bad(items[j]) and not _ends_bad(items[j - 1]):
        return j
    n = len(items)
    if _starts_bad(items[j]) and not _ends_bad(items[j - 1]):  # pull the closing marks in, condensed
        k, w = j, sum(a.width for a in items[i:j])
        while k < n and k - j < 2 and _starts_bad(items[k]):
            w += items[k].width
            k += 1
        if (k == n or not _starts_bad(items[k])) and w <= avail + squeeze + EPS:
            return k
    k = j  # push characters down to the next line, spaced out
    while k - 1 > i and (_starts_bad(items[k]) or _ends_bad(items[k - 1])):
        k -= 1
    return k if k > i + 1 or not (_starts_bad(items[k]) or _ends_bad(items[k - 1])) else j


def layout(items: list[Atom], measure: float, first_indent: float = 0.0, squeeze: float = 0.0,
           size: float = 0.0, spacing: float = 0.0) -> list[Line]:
    """Lines of a text whose atoms may include forced breaks ("\\n")."""
    lines, start = [], 0
    for k in range(len(items) + 1):
        if k == len(items) or items[k].text == "\n":
            part = break_lines(items[start:k], measure, first_indent if start == 0 else 0.0, squeeze, size, spacing)
            lines += part or [Line([], 0.0, measure, 0.0, False)]
            start = k + 1
    return lines


@dataclass
class Style:
    size: float
    leading: float
    spacing: float = 0.0  # character spacing: condenses 16 pt type to the 28-character grid
    first_indent: float = 0.0
    align: str = "justify"  # justify, left, center, right
    squeeze: float = 0.0
    right_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0


class GridParagraph(Flowable):
    """A paragraph laid out by `layout` and drawn one line a text line, glyph spacing set per line."""

    def __init__(self, items: list[Atom], style: Style, lines: list[Line] | None = None, first: bool = True,
                 last: bool = True):
        super().__init__()
        self.items, self.style, self.lines = items, style, lines
        self.first, self.last = first, last  # whether this part holds the paragraph's start and end
        self._measure = None
        self.keepWithNext = False  # headings are kept with what follows by pdf.KeepWithNext
        self.bookmark = ""

    def _layout(self, width: float) -> list[Line]:
        """The lines at this width; a part of a split paragraph keeps the lines it was given."""
        whole = self.first and self.last
        if self.lines is None or whole and self._measure is not None and abs(self._measure - width) > EPS:
            s = self.style
            self.lines = layout(self.items, width - s.right_indent, s.first_indent, s.squeeze, s.size, s.spacing)
        self._measure = width
        return self.lines

    def _before(self) -> float:
        return self.style.space_before if self.first else 0.0

    def _after(self) -> float:
        return self.style.space_after if self.last else 0.0

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = self._before() + len(self._layout(availWidth)) * self.style.leading + self._after()
        return self.width, self.height

    def lines_fitting(self, height: float) -> int:
        return max(int((height - self._before() + EPS) // self.style.leading), 0)

    def split_lines(self, k: int) -> list:
        s = self.style
        return [GridParagraph(self.items, s, self.lines[:k], self.first, False),
                GridParagraph(self.items, s, self.lines[k:], False, self.last)]

    def split(self, availWidth, availHeight):
        lines = self._layout(availWidth)
        k = self.lines_fitting(availHeight)
        if k <= 0 or k >= len(lines):
            return []
        return self.split_lines(k)

    def getSpaceBefore(self):
        return 0.0  # held in the height, so that a split part keeps the grid

    def getSpaceAfter(self):
        return 0.0

    def draw(self):
        s = self.style
        canv = self.canv
        y = self.height - self._before()
        base = s.leading / 2 + 0.36 * s.size  # the ideographic em box centred on the line
        for line in self.lines:
            y -= s.leading
            if not line.atoms:
                continue
            count = sum(len(a.text) for a in line.atoms)
            # the last glyph's own box (its advance less the character spacing) ends at the measure
            natural = line.width - s.spacing
            extra = 0.0
            if line.justify and s.align == "justify" and count > 1 or natural > line.measure + EPS:
                extra = (line.measure - natural) / max(count - 1, 1)
            shown = natural + extra * (count - 1)
            if s.align == "center":
                x = line.indent + (line.measure - shown) / 2
            elif s.align == "right":
                x = line.indent + line.measure - shown
            else:
                x = line.indent
            text = canv.beginText(x, y + s.leading - base)
            text.setCharSpace(s.spacing + extra)
            font = None
            run = []
            for a in line.atoms:
                for chunk, f in a.runs:
                    if f != font:
                        if run:
                            text.textOut("".join(run))
                            run = []
                        font = f
                        text.setFont(font, s.size)
                    run.append(chunk)
            if run:
                text.textOut("".join(run))
            canv.drawText(text)

    @property
    def text(self) -> str:
        return "".join(a.text for a in self.items)
