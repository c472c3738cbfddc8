"""The rule engine: runs the rules of a report's forms and returns findings. Qt-free.

The rules themselves live in forms/*.json; this module knows only their kinds.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

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


SLOW_KINDS = frozenset({"text_figure"})  # their patterns take a while to compile: the window runs them just after it shows


def check(report: Report, stage: str = "draft", skip: frozenset = frozenset()) -> list[Finding]:
    """Every finding of every rule of the report's forms, in form order.

    stage: "draft" while filling in, "signoff" when signing (rules with a draft_severity are
    then reported at their full severity). skip: rule kinds left out (SLOW_KINDS, once).
    """
    findings = []
    explanations = report.explanations
    for form in report.forms():
        marks = _marks(form.id)
        for rule_id, kind, run in _compiled(form.id):
            if kind in skip:
                continue
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
    return tuple((rule["id"], rule["kind"], _KINDS[rule["kind"]](form, rule)) for rule in form.rules)


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
    cell_set = frozenset(cells)
    totals = tuple(c for c in cells if c in form.cells and form.cells[c].derived)
    unlinked = rule.get("unlinked")
    message = rule["message"]

    def run(report: Report, stage: str):
        values = report.values
        if _absent(report) & cell_set:
            return None  # the file's table never had these cells (an older layout): nothing to check
        if any(values.get(c) is None for c in totals):
            return None  # a total an imported file prints blank is not given, not 0
        if needs_prev and report.last_year is None:
            if unlinked is None:
                return None
            lv = _side(left, values, {})
            if unlinked["when"] == "nonzero" and not lv:
                return None
            return unlinked["severity"], cells, unlinked["message"].format(left=format_value(lv))
        last = report.last_year.values if report.last_year else {}
        if needs_prev and all(last.get(cid) is None for _, prev, cid in left + right if prev):
            return None  # last year's report does not give the figure (an older format, a blank)
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


def _absent(report: Report) -> set[str]:
    """Cells that the table an imported file printed never had (an older layout), still blank."""
    layout = report.settings.get("older_layout")
    if not isinstance(layout, dict):
        return set()
    return {c for c in layout.get("cells", ()) if report.values.get(c) is None}


def _older_layout(form: Form, rule: dict):
    def run(report: Report, stage: str):
        absent = _absent(report)
        if not absent:
            return None
        rows = "、".join(f"“{r}”" for r in report.settings["older_layout"].get("rows", ()))
        cells = tuple(c for c in form.input_cells if c in absent)
        return _severity(rule, stage), cells, rule["message"].format(rows=rows, count=len(cells))

    return run


def _blank(form: Form, rule: dict):
    inputs = tuple(form.input_cells)

    def run(report: Report, stage: str):
        values = report.values
        absent = _absent(report)
        blank = tuple(c for c in inputs if values.get(c) is None and c not in absent)
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
    """The section states its item: the item's own text, a line on the subject that says nothing
    happened ("未收取信息处理费", "无收取信息处理费情况"), or a line on the subject with its statement."""
    section, item, keywords = rule["section"], rule["item"], rule["keywords"]
    nothing = rule.get("nothing", [])
    weak = rule.get("nothing_keywords", [])  # words on the subject only with a word that nothing happened

    def run(report: Report, stage: str):
        if report.text(item).strip():
            return None
        lines = section_text(report, section).splitlines()
        for i, line in enumerate(lines):
            none = any(word in line for word in nothing)
            if any(kw in line for kw in keywords):
                if none or _statement_after(lines, i):
                    return None
            elif none and any(kw in line for kw in weak):
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


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_CLAUSE_START = re.compile(r"[，,；;。：:（(\n]")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
# words before a figure, in its clause, that make it another year's figure or a comparison
_OTHER_TIME = ("上年度", "上一年", "去年", "上年同期", "同比", "较上年", "比上年", "较去年")


def _number(text: str) -> int | None:
    """A figure as printed: digits, or a Chinese numeral up to 99 (两件, 十二件)."""
    if text.isdigit():
        return int(text)
    if text in _CN_DIGITS:
        return _CN_DIGITS[text]
    if "十" in text and len(text) <= 3:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is not None and o is not None:
            return t * 10 + o
    return None


_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_WIDE = re.compile("[０-９]")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3})")


@lru_cache(maxsize=64)
def _plain(text: str) -> str:
    """A text as the figure patterns read it: ASCII digits, no spaces, no thousands separators."""
    if _WIDE.search(text):
        text = text.translate(_WIDE_DIGITS)
    return _THOUSANDS.sub("", _SPACES.sub("", text))


def _tail(text: str, at: int, stop: re.Pattern, window: int = 80) -> str:
    """The text before `at` back to the last `stop` mark (within `window` characters)."""
    before = text[max(0, at - window):at]
    marks = list(stop.finditer(before))
    return before[marks[-1].end():] if marks else before


def _excerpt(text: str, match: re.Match, room: int = 30) -> str:
    """The sentence around a figure, cut to `room` characters either side of what matched."""
    before = _tail(text, match.start(), _SENTENCE_END, room + 1)
    end = _SENTENCE_END.search(text, match.end())
    after = text[match.end():end.start() if end else len(text)]
    cut_before = "……" if len(before) > room else ""
    cut_after = "……" if len(after) > room else ""
    return f"{cut_before}{before[-room:]}{match.group(0)}{after[:room]}{cut_after}"


def _text_figure(form: Form, rule: dict):
    """A figure the texts state that a table also holds: the stated figure must equal one of the
    alternatives (each a sum of cells, e.g. new, or new + carried). Blank alternatives are not given."""
    sections = rule["sections"]
    patterns = []  # compiled at the first run
    alternatives = [_terms(a) for a in rule["equals"]]
    cells = tuple(dict.fromkeys(cid for alt in alternatives for _, _, cid in alt))

    def mentions(report: Report):
        if not patterns:
            patterns.extend(re.compile(p) for p in rule["patterns"])
        for section in sections:
            text = _plain(section_text(report, section))
            for pattern in patterns:
                for match in pattern.finditer(text):
                    n = _number(match.group("n"))
                    if n is None:
                        continue
                    clause = _tail(text, match.start(), _CLAUSE_START)
                    years = {int(y) for y in _YEAR.findall(clause)}
                    if any(w in clause for w in _OTHER_TIME) or (report.year and years - {report.year}):
                        continue  # last year's figure or a comparison
                    yield section, _excerpt(text, match), n

    def run(report: Report, stage: str):
        given = [v for alt in alternatives if (v := _side(alt, report.values, {})) is not None]
        if not given:
            return None
        wrong = [(sec, sentence, n) for sec, sentence, n in mentions(report) if n not in given]
        if not wrong:
            return None
        section, sentence, n = wrong[0]
        more = f"（另有{len(wrong) - 1}处）" if len(wrong) > 1 else ""
        text = rule["message"].format(section=form_heading(report, section), sentence=sentence, text=n,
                                      table="或".join(format_value(v) for v in dict.fromkeys(given))) + more
        return _severity(rule, stage), cells, text

    return run


def form_heading(report: Report, section: str) -> str:
    """The heading of a report's text section ("一、总体情况")."""
    try:
        return load_form(report.format).section(section)["heading"]
    except StopIteration:
        return section


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
    "text_figure": _text_figure,
    "older_layout": _older_layout,
}
