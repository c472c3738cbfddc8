"""Reading official tables out of other people's files, by their labels.

A table from Word or Excel becomes a grid of texts (a merged region repeats its text). Each
number in it is placed by the labels around it: the row's labels to its left and the column's
labels above it, compared with the same labels of each cell in the form's own layout. Nothing
about a particular table is written here: the form says which labels name which cell.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..form import Form, Table
from ..values import (BLANK_MARKS, ValueRefused, format_value, normalize_text, parse_value, split_footnote,
                      split_remark)

MAX_ROWS, MAX_COLS = 300, 60  # what is read of one table (a real report's table is under 40 x 20)
MAX_TABLES = 100  # tables read of one document (a report has some ten)
MAX_BLOCKS = 20_000  # paragraphs and tables of a document (a report has a few hundred, a thousand with blank ones)

UNITS = {"条", "件", "次", "个", "人", "人次", "篇", "万元", "元", "项"}
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[.．、]|[①-⑳])")
_DROP = re.compile(r"[\s\u3000“”\"'‘’：:；;。，,]")
_NUMBERISH = re.compile(r"^[+\-－]?[\d０-９][\d０-９,，.．\s]*(万元|元|件|条|次|个|人次|人|篇|项)?$")


@lru_cache(maxsize=8192)
def core(text: str) -> str:
    """A label as compared: no spaces, quotes or numbering ("（三）", "1.", "一、")."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", text or ""))
    for _ in range(2):
        text = _NUMBERING.sub("", text)
    return text


@lru_cache(maxsize=8192)
def is_value_text(text: str) -> bool:
    """A number as printed (perhaps with a remark in brackets: "22（其中修订16件）"), or a mark for
    nothing ("", "/", "—", "无")."""
    s = normalize_text(text or "").replace(" ", "")
    return s in BLANK_MARKS or bool(_NUMBERISH.match(s)) or bool(split_remark(text or "")[1])


@dataclass
class Grid:
    """A table as texts; region[r][c] identifies merged regions (same id, same region)."""

    name: str
    texts: list[list[str]]
    region: list[list[int]]
    _labels: set | None = field(default=None, repr=False, compare=False)

    @property
    def rows(self) -> int:
        return len(self.texts)

    @property
    def cols(self) -> int:
        return max((len(r) for r in self.texts), default=0)

    def text(self, r: int, c: int) -> str:
        row = self.texts[r]
        return row[c] if c < len(row) else ""

    def labels(self) -> set[str]:
        if self._labels is None:
            self._labels = {core(t) for row in self.texts for t in row if t.strip() and not is_value_text(t)} - {""}
        return self._labels

    def then(self, other: "Grid") -> "Grid":
        """This table continued by another (a table split in two across pages)."""
        offset = 1 + max((x for row in self.region for x in row), default=0)
        return Grid(self.name, self.texts + other.texts, self.region + [[x + offset for x in row] for row in other.region])


@dataclass
class _Slot:
    r: int
    c: int
    text: str
    row_labels: list[str]  # nearest first
    col_labels: list[str]


def _label_ok(text: str) -> bool:
    return bool(text.strip()) and core(text) not in UNITS and not is_value_text(text)


def _slots(grid: Grid) -> list[_Slot]:
    """Every cell that may hold a number, with the labels of its row and column: the labels met
    walking from it left along its row and up its column, each merged region once, nearest first."""
    cols = grid.cols
    texts = [row + [""] * (cols - len(row)) for row in grid.texts]
    regions = [row + [None] * (cols - len(row)) for row in grid.region]
    regions += [[None] * cols for _ in range(len(texts) - len(regions))]
    label = [[_label_ok(t) if t else False for t in row] for row in texts]
    columns = list(zip(*texts)) if texts else []
    column_regions = list(zip(*regions)) if regions else []
    column_labels = list(zip(*label)) if label else []

    def labels(own, line_texts, line_regions, line_labels, start) -> list[str]:
        """Walking from position start towards 0 along one row or column."""
        out, seen = [], {own}
        for i in range(start - 1, -1, -1):
            region = line_regions[i]
            if region in seen:
                continue
            seen.add(region)
            if line_labels[i]:
                out.append(line_texts[i])
        return out

    slots = []
    for r, row in enumerate(texts):
        seen_regions = set()
        row_regions = regions[r]
        for c, text in enumerate(row):
            region = row_regions[c]
            if region in seen_regions:
                continue
            seen_regions.add(region)
            if not is_value_text(text):
                continue
            row_labels = labels(region, row, row_regions, label[r], c)
            col_labels = labels(region, columns[c], column_regions[c], column_labels[c], r)
            if row_labels or col_labels:
                slots.append(_Slot(r, c, text, row_labels, col_labels))
    return slots


@dataclass
class _FormCell:
    id: str
    row: list[str]  # cores, nearest first
    col: list[str]


@lru_cache(maxsize=64)
def _form_cells(table: Table) -> tuple[_FormCell, ...]:
    """The labels of each value cell in the form's own layout, as `_slots` sees a grid (made once a table)."""
    out = []
    labels = [p for p in table.places if p.cell is None and p.text and core(p.text) not in UNITS]
    for p in table.places:
        if p.cell is None:
            continue
        left = sorted((q for q in labels if q.r <= p.r < q.r + q.rs and q.c + q.cs <= p.c), key=lambda q: -q.c)
        above = sorted((q for q in labels if q.c <= p.c < q.c + q.cs and q.r + q.rs <= p.r), key=lambda q: -q.r)
        out.append(_FormCell(p.cell, [core(q.text) for q in left], [core(q.text) for q in above]))
    return tuple(out)


def _same(form_label: str, got: str) -> bool:
    return form_label == got


def _near(form_label: str, got: str) -> bool:
    """The same, or printed with more (a repeated parenthesis) or a little less than the form's
    (got: the printed label's core)."""
    if got == form_label:
        return True
    return len(form_label) >= 4 and len(got) >= 4 and (got.startswith(form_label) or form_label.startswith(got))


def table_score(grid: Grid, table: Table) -> int:
    """How many of the form table's labels the grid carries."""
    return len(_table_labels(table) & grid.labels())


@lru_cache(maxsize=64)
def _table_labels(table: Table) -> frozenset[str]:
    return frozenset({core(p.text) for p in table.places if p.text and core(p.text) not in UNITS} - {""})


def _within(a: str, b: str, limit: int) -> bool:
    """Whether the edit distance (insertions, deletions, substitutions) between two labels is at
    most limit; gives up as soon as every way is over the limit."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:  # a row's least never decreases further down
            return False
        previous = current
    return previous[-1] <= limit


def nearest_label(got: str, labels) -> str | None:
    """The one label clearly nearest a printed one with a typo or older wording: within a small
    edit distance (a third of the longer label), and no other label that close. None otherwise."""
    close = []
    for label in labels:
        longest = max(len(label), len(got))
        if longest < 5 or abs(len(label) - len(got)) > longest // 3:
            continue
        if _within(got, label, longest // 3):
            close.append(label)
    return close[0] if len(close) == 1 else None


@lru_cache(maxsize=4096)
def _nearest(got: str, labels: frozenset) -> str | None:
    """nearest_label among a table's row labels, worked out once a label."""
    return nearest_label(got, labels)


@lru_cache(maxsize=64)
def _row_labels(table: Table) -> frozenset[str]:
    """The nearest row label of each of the table's value cells."""
    return frozenset(cell.row[0] for cell in _form_cells(table) if cell.row)


@dataclass
class TableRead:
    values: dict = field(default_factory=dict)  # cell id -> value (None: printed blank)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was guessed, or read with something left out
    older: dict = field(default_factory=dict)  # an older format's row found in the table: label -> its figures


def read_table(grid: Grid, form: Form, table: Table, taken: set[str] | None = None) -> TableRead:
    """The form's cells found in the grid, as printed; what could not be placed or read."""
    result = TableRead()
    taken = set() if taken is None else taken
    cells = _form_cells(table)
    row_labels = _row_labels(table)
    older_rows = {core(row["label"]): row for older in form.older_formats for row in older.get("rows", ())
                  if row["table"] == table.id}
    guessed: dict[str, str | None] = {}  # printed row label -> the form's nearest, once per label

    def close(form_label: str, got: str) -> bool:
        if got not in guessed:
            known = got in row_labels or any(_near(label, got) for label in row_labels) or got in older_rows
            nearest = None if known else _nearest(got, row_labels)
            # a label the table also prints as it is: the odd one is another row, not a typo of it
            guessed[got] = nearest if nearest not in grid.labels() else None
            if guessed[got] is not None:
                printed = next(p.text for p in table.places if p.text and core(p.text) == guessed[got])
                result.notes.append(f"{table.title}：行“{printed_row.strip()}”与格式中的行名不完全相同，"
                                    f"按最接近的“{printed}”读入，请核对")
        return guessed[got] == form_label

    by_row: dict[str | None, list[_FormCell]] = {}  # cells by their nearest row label, in order
    for cell in cells:
        by_row.setdefault(cell.row[0] if cell.row else None, []).append(cell)
    for slot in _slots(grid):
        blank = normalize_text(slot.text).replace(" ", "") in BLANK_MARKS
        got_row = core(slot.row_labels[0]) if slot.row_labels else None
        got_col = core(slot.col_labels[0]) if slot.col_labels else None
        printed_row = slot.row_labels[0] if slot.row_labels else ""  # as printed, for close's note
        around = {core(t) for t in slot.row_labels + slot.col_labels}
        candidates = []
        for compare in (_same, _near, close):
            compare_col = _near if compare is close else compare  # a typo is guessed in row labels only
            # the same label: only the cells of that row (or, for a slot without one, of no row)
            for cell in by_row.get(got_row, ()) if compare is _same else cells:
                if cell.id in taken:
                    continue
                if cell.row and not (got_row is not None and compare(cell.row[0], got_row)):
                    continue
                if not cell.row and got_row is not None:
                    continue
                if cell.col and not (got_col is not None and compare_col(cell.col[0], got_col)):
                    continue
                score = sum(1 for label in cell.row[1:] + cell.col[1:] if label in around)
                candidates.append((score, cell))
            if candidates:
                break
        if not candidates and slot.row_labels and core(slot.row_labels[0]) in older_rows and slot.col_labels:
            row = older_rows[core(slot.row_labels[0])]
            result.older.setdefault(row["label"], {})[slot.col_labels[0].strip()] = slot.text.strip()
            continue
        if not candidates:
            if not blank:
                where = "；".join(x for x in (
                    f"行：{slot.row_labels[0].strip()}" if slot.row_labels else "",
                    f"列：{slot.col_labels[0].strip()}" if slot.col_labels else "") if x)
                result.problems.append(f"{grid.name}第{slot.r + 1}行第{slot.c + 1}列的“{slot.text.strip()}”"
                                       f"对应不到{table.title}的任何一栏（{where}），未导入")
            continue
        best = max(score for score, _ in candidates)
        cell = next(c for score, c in candidates if score == best)
        taken.add(cell.id)
        spec = form.cells[cell.id]
        text, remark = split_remark(slot.text)
        text, mark = split_footnote(text)
        try:
            result.values[cell.id] = parse_value(text, spec.type.decimals, spec.type.max, spec.unit)
            if mark:
                result.notes.append(f"{grid.name} {form.cell_name(cell.id)}：“{slot.text.strip()}”末尾的“{mark}”"
                                    f"是脚注标记，已去掉，读为 {format_value(result.values[cell.id])}")
            if remark:
                result.notes.append(f"{grid.name} {form.cell_name(cell.id)}：“{slot.text.strip()}”读为 "
                                    f"{format_value(result.values[cell.id])}，括号内的“{remark}”未导入（可写入说明）")
        except ValueRefused as e:
            result.values[cell.id] = None
            result.problems.append(f"{grid.name} {form.cell_name(cell.id)}：“{slot.text.strip()}”{e}，按空白导入")
    return result
