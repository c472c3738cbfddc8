"""The rule engine: runs the rules of a report's forms and returns findings. Qt-free.

The rules themselves live in forms/*.json; this module knows only their kinds.
"""

import re
from dataclasses import dataclass
from functools import cache

from .form import Form, load_form
from .report import Report
from .values import format_value

SEVERITY_NAMES = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # "error" or "warning"
    cells: tuple[str, ...]
    message: str
    explained: bool = False
    mark: bool = True  # colour the cells in the window

    def to_json(self) -> dict:
        data = {"rule": self.rule, "severity": self.severity, "cells": list(self.cells), "message": self.message}
        if self.explained:
            data["explained"] = True
        return data


def check(report: Report, stage: str = "draft") -> list[Finding]:
    """Every finding of every rule of the report's forms, in form order.

    stage: "draft" while filling in, "signoff" when signing (rules with a draft_severity are
    then reported at their full severity).
    """
    findings = []
    explanations = report.explanations
    for form in report.forms():
        marks = _marks(form.id)
        for rule_id, run in _compiled(form.id):
            found = run(report, stage)
            if found is None:
                continue
            severity, cells, message = found
            findings.append(Finding(rule_id, severity, cells, message, bool(explanations.get(rule_id, "").strip()),
                                    marks[rule_id]))
    return findings


def counts(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings; form order within each."""
    return sorted(findings, key=lambda f: f.severity != "error")


# ---- compilation: each rule becomes a function (report, stage) -> (severity, cells, message) | None


@cache
def _compiled(form_id: str) -> tuple:
    form = load_form(form_id)
    return tuple((rule["id"], _KINDS[rule["kind"]](form, rule)) for rule in form.rules)


@cache
def _marks(form_id: str) -> dict[str, bool]:
    return {rule["id"]: rule.get("mark", True) for rule in load_form(form_id).rules}


def _severity(rule: dict, stage: str, settings: dict | None = None) -> str:
    for setting, severity in rule.get("severity_if_setting", {}).items():
        if settings and settings.get(setting):
            return severity
    if stage == "draft":
        return rule.get("draft_severity", rule["severity"])
    return rule["severity"]


def _terms(terms: list[str]) -> list[tuple[int, bool, str]]:
    out = []
    for term in terms:
        sign = -1 if term.startswith("-") else 1
        term = term.lstrip("-")
        prev = term.startswith("prev:")
        out.append((sign, prev, term.removeprefix("prev:")))
    return out


def _side(terms, values, last_values):
    """The signed sum of the terms; None when every term is blank (the side is not given)."""
    total, given = 0, False
    for sign, prev, cid in terms:
        v = (last_values if prev else values).get(cid)
        if v is not None:
            total += sign * v
            given = True
    return total if given else None


def _sum_equal(form: Form, rule: dict):
    left, right = _terms(rule["left"]), _terms(rule["right"])
    needs_prev = any(prev for _, prev, _ in left + right)
    cells = tuple(dict.fromkeys(cid for _, prev, cid in left + right if not prev))
    unlinked = rule.get("unlinked")
    message = rule["message"]

    def run(report: Report, stage: str):
        values = report.values
        if needs_prev and report.last_year is None:
            if unlinked is None:
                return None
            lv = _side(left, values, {})
            if unlinked["when"] == "nonzero" and not lv:
                return None
            return unlinked["severity"], cells, unlinked["message"].format(left=format_value(lv))
        last = report.last_year.values if report.last_year else {}
        lv = _side(left, values, last)
        rv = _side(right, values, last)
        if lv is None or rv is None or lv == rv:
            return None
        text = message.format(left=format_value(lv), right=format_value(rv), diff=format_value(abs(lv - rv)))
        return _severity(rule, stage, report.settings), cells, text

    return run


def _not_greater(form: Form, rule: dict):
    cell, limit = rule["cell"], rule["limit"]

    def run(report: Report, stage: str):
        v, lim = report.values.get(cell), report.values.get(limit)
        if v is None or lim is None or v <= lim:
            return None
        return _severity(rule, stage), (cell, limit), rule["message"].format(value=format_value(v), limit=format_value(lim))

    return run


def _unique_count(form: Form, rule: dict):
    cell, low, high = rule["cell"], rule["at_least_max"], rule["at_most_sum"]
    cells = tuple(dict.fromkeys([cell, *low, *high]))

    def run(report: Report, stage: str):
        values = report.values
        v = values.get(cell)
        lows = [values[c] for c in low if values.get(c) is not None]
        highs = [values[c] for c in high if values.get(c) is not None]
        if v is None or not highs:
            return None
        mx, total = (max(lows) if lows else 0), sum(highs)
        if mx <= v <= total:
            return None
        text = rule["message"].format(value=format_value(v), max=format_value(mx), sum=format_value(total))
        return _severity(rule, stage), cells, text

    return run


def _zero_for_levels(form: Form, rule: dict):
    cells, levels = tuple(rule["cells"]), set(rule["levels"])

    def run(report: Report, stage: str):
        if report.organ.level not in levels:
            return None
        bad = [c for c in cells if report.values.get(c)]
        if not bad:
            return None
        shown = "、".join(f"{form.cells[c].col}={format_value(report.values[c])}" for c in bad)
        return _severity(rule, stage), tuple(bad), rule["message"].format(values=shown)

    return run


def _blank(form: Form, rule: dict):
    inputs = tuple(form.input_cells)

    def run(report: Report, stage: str):
        values = report.values
        blank = tuple(c for c in inputs if values.get(c) is None)
        if not blank:
            return None
        names = "、".join(f"{form.cells[c].row} · {form.cells[c].col}" for c in blank[:3])
        if len(blank) > 3:
            names += f"等{len(blank)}处"
        return _severity(rule, stage), blank, rule["message"].format(count=len(blank), cells=names)

    return run


def section_text(report: Report, section: str) -> str:
    """A text section with its items (六's items are texts of their own)."""
    parts = [report.text(section)]
    if section == "s6":
        parts += [report.text(i) for i in report.s6_items()]
    return "\n".join(p for p in parts if p.strip())


_SPACE = re.compile(r"\s+")


def _shingles(text: str, n: int = 4) -> set[str]:
    text = _SPACE.sub("", text)
    return {text[i : i + n] for i in range(max(len(text) - n + 1, 0))}


def similarity(this: str, last: str) -> float:
    """Share of this year's text (4-character runs) that stands in last year's text."""
    a, b = _shingles(this), _shingles(last)
    return len(a & b) / len(a) if a else 0.0


def _text_required(form: Form, rule: dict):
    section = rule["section"]

    def run(report: Report, stage: str):
        if section_text(report, section).strip():
            return None
        return _severity(rule, stage), (), rule["message"]

    return run


def _text_similar(form: Form, rule: dict):
    section, threshold = rule["section"], rule["threshold"]

    def run(report: Report, stage: str):
        if report.last_year is None:
            return None
        this = section_text(report, section)
        last_texts = report.last_year.texts
        last = "\n".join(v for k, v in last_texts.items() if k == section or k.startswith(section + "."))
        ratio = similarity(this, last)
        if ratio < threshold:
            return None
        return _severity(rule, stage), (), rule["message"].format(ratio=int(ratio * 100))

    return run


_ITEM_HEADING = re.compile(r"^\s*[（(]?\s*[一二三四五六七八九十\d]+\s*[）)、.．]")


def _statement_after(lines: list[str], i: int) -> str:
    """What the line at i states about its subject: the text after a colon; for a heading
    (（一）…的情况；) the next line unless it is the next heading; for prose, the line itself."""
    line = lines[i].strip()
    for colon in ("：", ":"):
        if colon in line:
            return line.rsplit(colon, 1)[1].strip()
    if _ITEM_HEADING.match(line) or line.rstrip("；;。. ").endswith("情况"):
        rest = line.rsplit("情况", 1)[1].strip("；;。.， ") if "情况" in line else ""
        if rest:
            return rest
        for nxt in lines[i + 1:]:
            if nxt.strip():
                return "" if _ITEM_HEADING.match(nxt) else nxt.strip()
        return ""
    return line


def _text_stated(form: Form, rule: dict):
    section, item, keywords = rule["section"], rule["item"], rule["keywords"]

    def run(report: Report, stage: str):
        if report.text(item).strip():
            return None
        lines = report.text(section).splitlines()
        for i, line in enumerate(lines):
            if any(kw in line for kw in keywords) and _statement_after(lines, i):
                return None
        return _severity(rule, stage), (), rule["message"]

    return run


def _text_mentions(form: Form, rule: dict):
    section, keywords, levels = rule["section"], rule["keywords"], set(rule["levels"])

    def run(report: Report, stage: str):
        if report.organ.level not in levels:
            return None
        text = section_text(report, section)
        if not text.strip() or any(kw in text for kw in keywords):
            return None
        return _severity(rule, stage), (), rule["message"]

    return run


_KINDS = {
    "sum_equal": _sum_equal,
    "not_greater": _not_greater,
    "unique_count": _unique_count,
    "zero_for_levels": _zero_for_levels,
    "blank": _blank,
    "text_required": _text_required,
    "text_similar": _text_similar,
    "text_stated": _text_stated,
    "text_mentions": _text_mentions,
}
