"""What Word and Excel imports share: finding the tables, the organ, the level, the format."""

import re

from ..form import Form, load_form
from ..report import LEVELS
from .tables import Grid, core, is_value_text, read_table, table_score

_ORGAN_FIRST = re.compile(r"^(?P<organ>.*?)(?P<year>(?:19|20)\d{2})\s*年(?:度)?\s*政府信息公开(?:工作)?年度报告")
_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年(?:度)?\s*(?P<organ>[^\d]{2,40}?)\s*政府信息公开(?:工作)?年度报告")


class _Title:
    """A report's title: organ and year, printed organ first ("沭阳县人民政府2025年政府信息公开工作
    年度报告") or year first ("2025年上海市人民政府办公厅政府信息公开工作年度报告")."""

    def match(self, text: str) -> dict | None:
        found = _ORGAN_FIRST.match(text) or _YEAR_FIRST.match(text)
        return {"organ": found["organ"], "year": found["year"]} if found else None


TITLE = _Title()
MIN_SCORE = 3  # labels a table must share with a form table to be taken for it


# an organ that governs a zone: a government of its rank, not a department
_ZONE = re.compile(r"(管委会|管理委员会|实验区|开发区|高新区|示范区|新区|园区)$")
_LABEL_PREFIX = re.compile(r"^.*(?:标题|题目|名称)\s*[：:]\s*")
_ADDRESS = re.compile(r"(?:https?://)?(?:[A-Za-z0-9-]+\.)+(?:gov\.cn|com\.cn|org\.cn|net\.cn|cn|com|net|org)"
                      r"(?::\d+)?(?:/[A-Za-z0-9._~%/?#=&+-]*)?", re.IGNORECASE)


def guess_level(name: str) -> str:
    if name.endswith("街道办事处") or name.endswith("街道"):
        return "street"
    if re.search(r"(镇|乡)(人民)?政府$", name) or re.search(r"[^城]镇$|乡$", name):
        return "township"
    if re.search(r"(县|区|旗)人民政府$", name):
        return "county-gov"
    if re.search(r"市人民政府$", name):
        return "city-gov"
    if _ZONE.search(name):  # 平潭综合实验区管委会, 某某经济技术开发区管理委员会
        return "city-gov" if "省" in name and "市" not in name else "county-gov"
    if re.search(r"(县|区|旗)", name):
        return "county-dept"
    if "市" in name:
        return "city-dept"
    return "other"


def level_note(name: str, level: str) -> str:
    zone = "（开发区、实验区等管委会按同级人民政府推断）" if _ZONE.search(name) else ""
    return f"机关层级按名称“{name}”推断为{LEVELS[level]}{zone}，请在“报告信息”中核对"


def organ_name(text: str) -> str:
    """The organ's name as a title prints it, without a label before it ("标题：")."""
    return _LABEL_PREFIX.sub("", text).strip(" ：:")


def website_address(text: str) -> str:
    """The website as an address only (www.pingtan.gov.cn), not the sentence around it; text
    without an address is kept (a site's name: 县政府门户网站)."""
    match = _ADDRESS.search(text or "")
    return match.group(0).rstrip("/.") if match else (text or "")


def detect_format(labels: set[str], form: Form) -> dict | None:
    """An older format whose signature labels the file carries, else None (the form's own)."""
    own = sum(1 for s in form.signature if core(s) in labels)
    for older in form.older_formats:
        found = sum(1 for s in older["signature"] if core(s) in labels)
        if found >= 2 and found > own:
            return older
    return None


def read_grids(grids: list[Grid], forms: list[Form], problems: list[str], notes: list[str] | None = None,
               settings: dict | None = None) -> dict:
    """Values of every form table found among the grids (a table split in two is joined).

    notes: what was guessed (a row label read as the nearest of the form's). settings: the
    report's settings, where a table printed in an older layout records the cells it never had
    ("older_layout"), so that the check gives one finding for them, not a blank for each."""
    notes = [] if notes is None else notes
    absent: set[str] = set()
    values: dict = {}
    taken: set[str] = set()
    tables = [(form, table) for form in forms for table in form.tables.values()]
    assigned: list[tuple] = []  # (form, table, grid)
    for grid in grids:
        scores = [(table_score(grid, t), f, t) for f, t in tables]
        score, form, table = max(scores, key=lambda x: x[0]) if scores else (0, None, None)
        continues = (assigned and grid.cols == assigned[-1][2].cols and not _has_header(grid)
                     and (score < MIN_SCORE or table is assigned[-1][1]))
        if continues:  # the rest of a table split in two (across pages): it has no header of its own
            f, t, previous = assigned[-1]
            assigned[-1] = (f, t, previous.then(grid))
        elif score >= MIN_SCORE:
            assigned.append((form, table, grid))
        else:
            text = "".join("".join(row) for row in grid.texts)[:30]
            if text.strip():
                problems.append(f"{grid.name}（“{text}……”）不是年度报告的表格，未导入")
    for form, table, grid in assigned:
        result = read_table(grid, form, table, taken)
        values.update(result.values)
        problems.extend(result.problems)
        notes.extend(result.notes)
        for label, figures in result.older.items():
            row = next(r for older in form.older_formats for r in older.get("rows", ()) if r["label"] == label)
            older = next(o for o in form.older_formats if row in o.get("rows", ()))
            cells = [cid for cid in form.cells if any(cid.startswith(p + ".") for p in row["instead_of"])]
            absent.update(c for c in cells if c not in values)
            shown = "，".join(f"{col}{v}" for col, v in figures.items())
            problems.append(f"{table.title}：“{label}”按{older['name']}只印一行（{shown}），现行格式分为"
                            f"{len(row['instead_of'])}项，这一行未导入，请按现行格式分项填写")
            if settings is not None:
                layout = settings.setdefault("older_layout", {"rows": [], "cells": []})
                layout["rows"] = sorted(set(layout["rows"]) | {label})
                layout["cells"] = sorted(set(layout["cells"]) | absent)
    for form, table in tables:
        if not any(t is table for _, t, _ in assigned):
            if form.kind == "report":
                problems.append(f"没有找到表格“{table.title}”")
            continue
        missing = [cid for p in table.places
                   if (cid := p.cell) and cid not in values and cid not in absent and not form.cells[cid].derived]
        if missing:
            names = "、".join(f"{form.cells[c].row.split(' · ')[-1]} · {form.cells[c].col}" for c in missing[:4])
            more = f"等{len(missing)}处" if len(missing) > 4 else ""
            problems.append(f"{table.title}：{names}{more}在文件中没有找到，按空白导入")
    return values


def _has_header(grid: Grid) -> bool:
    """Whether the grid's first row is a header: labels only, no number."""
    first = grid.texts[0] if grid.texts else []
    return bool(first) and not any(is_value_text(t) and t.strip() for t in first)


def annex_form() -> Form:
    return load_form("annex-stats")
