"""The official forms, read from forms/*.json: cells, table layouts, derived cells and rules.

Nothing about a table's layout or its rules is written here; this module only indexes the data.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from .errors import GiappError
from .paths import data_dir

MAIN_FORM = "gov-info-2021"

# The fixed records of a form are NamedTuples: light, immutable, and cheap to define at start-up
# (a frozen dataclass writes and compiles its methods when the module is imported).


class CellType(NamedTuple):
    name: str
    decimals: int
    max: int
    label: str


class Cell(NamedTuple):
    id: str
    table: str
    row: str
    col: str
    type: CellType
    unit: str
    parts: tuple[str, ...] = ()  # derived: the sum of these cells

    @property
    def derived(self) -> bool:
        return bool(self.parts)


class Place(NamedTuple):
    """One entry of a table layout: a label or a value cell, with its span."""

    r: int
    c: int
    rs: int = 1
    cs: int = 1
    text: str | None = None
    cell: str | None = None
    role: str | None = None
    indent: int = 0


class Table(NamedTuple):
    id: str
    title: str
    rows: int
    cols: int
    header_rows: int
    widths: tuple[float, ...]
    places: tuple[Place, ...]


@dataclass
class Form:
    id: str
    kind: str
    title: str
    basis: str
    signature: list[str]
    sections: list[dict]
    tables: dict[str, Table]
    cells: dict[str, Cell]
    rules: list[dict]
    document: dict = field(default_factory=dict)  # title and preamble templates
    older_formats: list = field(default_factory=list)  # recognised on import
    order: list[str] = field(default_factory=list)  # derived cells, parts before sums
    dependents: dict[str, list[str]] = field(default_factory=dict)  # cell -> derived cells using it

    def section(self, section_id: str) -> dict:
        return next(s for s in self.sections if s["id"] == section_id)

    @property
    def input_cells(self) -> list[str]:
        return [c for c, cell in self.cells.items() if not cell.derived]

    def table_title(self, cell_id: str) -> str:
        return self.tables[self.cells[cell_id].table].title

    def cell_name(self, cell_id: str) -> str:
        """The official row and column of a cell, as the messages name it."""
        cell = self.cells[cell_id]
        return f"{self.table_title(cell_id)} · {cell.row} · {cell.col}"

    def short_name(self, cell_id: str) -> str:
        """A cell as a list of changes names it: 二 规章 本年制发件数."""
        cell = self.cells[cell_id]
        return " ".join([self.table_title(cell_id)[:1], *cell.row.split(" · "), cell.col])


def available_forms() -> list[str]:
    return sorted(p.stem for p in data_dir("forms").glob("*.json") if p.name != "form.schema.json")


@cache
def load_form(form_id: str) -> Form:
    path = data_dir("forms") / f"{form_id}.json"
    if form_id not in available_forms():
        raise GiappError(f"未知的报告格式“{form_id}”（可用：{'、'.join(available_forms())}）")
    data = json.loads(path.read_text(encoding="utf-8"))
    types = {name: CellType(name, t["decimals"], t["max"], t["label"]) for name, t in data["types"].items()}
    cells = {
        c["id"]: Cell(c["id"], c["table"], c["row"], c["col"], types[c["type"]], c["unit"], tuple(c.get("sum", ())))
        for c in data["cells"]
    }
    tables = {
        t["id"]: Table(
            t["id"], t["title"], t["rows"], t["cols"], t["header_rows"], tuple(t["widths"]),
            tuple(Place(p["r"], p["c"], p.get("rs", 1), p.get("cs", 1), p.get("text"), p.get("cell"),
                        p.get("role"), p.get("indent", 0)) for p in t["cells"]),
        )
        for t in data["tables"]
    }
    form = Form(data["id"], data["kind"], data["title"], data["basis"], data["signature"],
                data["sections"], tables, cells, data["rules"], data.get("document", {}), data.get("older_formats", []))
    _index(form)
    return form


def _index(form: Form) -> None:
    """Check the form's integrity and order its derived cells (parts before sums)."""
    for cell in form.cells.values():
        for part in cell.parts:
            if part not in form.cells:
                raise GiappError(f"格式{form.id}：{cell.id} 的组成项 {part} 不存在")
            form.dependents.setdefault(part, []).append(cell.id)
    state: dict[str, int] = {}

    def visit(cid: str) -> None:
        if state.get(cid) == 2:
            return
        if state.get(cid) == 1:
            raise GiappError(f"格式{form.id}：{cid} 的计算关系有循环")
        state[cid] = 1
        for part in form.cells[cid].parts:
            visit(part)
        state[cid] = 2
        if form.cells[cid].derived:
            form.order.append(cid)

    for cid in form.cells:
        visit(cid)
    for rule in form.rules:
        for key in ("left", "right", "cells", "at_least_max", "at_most_sum"):
            for term in rule.get(key, ()):
                if term.lstrip("-").removeprefix("prev:") not in form.cells:
                    raise GiappError(f"格式{form.id}：规则 {rule['id']} 引用了不存在的单元格 {term}")
        for term in (t for alt in rule.get("equals", ()) for t in alt):
            if term.lstrip("-").removeprefix("prev:") not in form.cells:
                raise GiappError(f"格式{form.id}：规则 {rule['id']} 引用了不存在的单元格 {term}")
        for key in ("cell", "limit"):
            if key in rule and rule[key] not in form.cells:
                raise GiappError(f"格式{form.id}：规则 {rule['id']} 引用了不存在的单元格 {rule[key]}")
