"""The report model: organ, year, values, texts, annex, explanations and status. Qt-free.

Values are keyed by cell id. A missing or None value is blank, which is not 0. Derived cells
recompute when one of their parts is set through `set_value`; values that come from outside
(a JSON, Word or Excel file) are kept as printed, so that a check reports what is printed.
"""

import json
from dataclasses import asdict, dataclass, field

from .errors import GiappError
from .form import MAIN_FORM, Cell, Form, load_form
from .values import Value, ValueRefused, format_value, parse_value, to_json_number

SCHEMA = "giapp.report/1"
ANNEX_FORM = "annex-stats"

LEVELS = {
    "township": "乡镇人民政府",
    "street": "街道办事处",
    "county-gov": "县级人民政府",
    "county-dept": "县级人民政府部门",
    "city-gov": "市级人民政府",
    "city-dept": "市级人民政府部门",
    "other": "其他机关",
}
STATUSES = {"draft": "草稿", "signed": "已签发"}
TEXT_SECTIONS = ("s1", "s5", "s6")


@dataclass
class Organ:
    name: str = ""
    level: str = "township"
    address: str = ""
    phone: str = ""
    website: str = ""


@dataclass
class LastYear:
    """The linked report of last year, kept in this year's file so that the file stands alone."""

    file: str
    year: int
    organ: str
    fingerprint: str
    values: dict[str, Value] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    organ: Organ = field(default_factory=Organ)
    year: int = 0
    format: str = MAIN_FORM
    values: dict[str, Value] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    annex: str | None = None
    explanations: dict[str, str] = field(default_factory=dict)
    status: str = "draft"
    signoff: dict | None = None
    settings: dict = field(default_factory=dict)
    last_year: LastYear | None = None

    # ---- forms and cells

    def forms(self) -> list[Form]:
        forms = [load_form(self.format)]
        if self.annex:
            forms.append(load_form(self.annex))
        return forms

    def find_cell(self, cell_id: str) -> tuple[Form, Cell]:
        for form in self.forms():
            if cell_id in form.cells:
                return form, form.cells[cell_id]
        raise GiappError(f"未知的单元格“{cell_id}”")

    def locked_cells(self) -> set[str]:
        """Cells filled from last year's report while it is linked: 上年结转 (unless the clerk
        unlinked them, with a reason, because last year's figure was wrong)."""
        if self.last_year is None or self.settings.get("carry_unlinked"):
            return set()
        return {c for c in load_form(self.format).cells if c.startswith("s3.carried.")}

    def parse(self, cell_id: str, text) -> Value:
        """What the clerk typed, as this cell's value; GiappError naming the cell and the reason."""
        form, cell = self.find_cell(cell_id)
        try:
            return parse_value(text, cell.type.decimals, cell.type.max, cell.unit)
        except ValueRefused as e:
            raise GiappError(f"{form.cell_name(cell_id)}：{e}") from None

    def set_value(self, cell_id: str, value) -> dict[str, tuple[Value, Value]]:
        """Set an input cell and recompute the derived cells that use it; returns what changed."""
        form, cell = self.find_cell(cell_id)
        if cell.derived:
            raise GiappError(f"{form.cell_name(cell_id)}：自动计算，不能填写")
        if cell_id in self.locked_cells():
            raise GiappError(f"{form.cell_name(cell_id)}：已从上年报告结转并锁定")
        new = self.parse(cell_id, value)
        old = self.values.get(cell_id)
        if _same(old, new):
            return {}
        changes = {cell_id: (old, new)}
        self.values[cell_id] = new
        changes.update(self.recompute(form, [cell_id]))
        return changes

    def recompute(self, form: Form, changed: list[str] | None = None) -> dict[str, tuple[Value, Value]]:
        """Recompute derived cells depending on `changed` (all of them when None)."""
        if changed is None:
            affected = set(form.order)
        else:
            affected, stack = set(), list(changed)
            while stack:
                for d in form.dependents.get(stack.pop(), ()):
                    if d not in affected:
                        affected.add(d)
                        stack.append(d)
        changes = {}
        values = self.values
        for cid in form.order:
            if cid not in affected:
                continue
            parts = [values.get(p) for p in form.cells[cid].parts]
            given = [p for p in parts if p is not None]
            new = sum(given) if given else None
            old = values.get(cid)
            if not _same(old, new):
                values[cid] = new
                changes[cid] = (old, new)
        return changes

    # ---- texts

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def s6_items(self) -> list[str]:
        """The items of 六 switched on for this report."""
        form = load_form(self.format)
        items = form.section("s6").get("items", [])
        chosen = self.settings.get("s6_items")
        if chosen is None:
            return [i["id"] for i in items if i["default"]]
        return [i["id"] for i in items if i["id"] in chosen or i["required"]]

    # ---- interchange

    def to_json(self) -> dict:
        data = {
            "schema": SCHEMA,
            "format": self.format,
            "organ": asdict(self.organ),
            "year": self.year,
            "values": {cid: to_json_number(self.values.get(cid)) for form in self.forms() for cid in form.cells},
            "texts": {k: v for k, v in self.texts.items()},
            "annex": self.annex,
            "explanations": dict(self.explanations),
            "status": self.status,
            "signoff": self.signoff,
        }
        if self.settings:
            data["settings"] = self.settings
        if self.last_year is not None:
            ly = self.last_year
            data["last_year"] = {"file": ly.file, "year": ly.year, "organ": ly.organ, "fingerprint": ly.fingerprint}
        return data

    def fingerprint(self) -> str:
        """SHA-256 over a canonical form of the content (not of status or sign-off)."""
        content = {
            "format": self.format,
            "organ": asdict(self.organ),
            "year": self.year,
            "values": {cid: format_value(self.values.get(cid)) for form in self.forms() for cid in sorted(form.cells)},
            "texts": {k: v for k, v in sorted(self.texts.items()) if v},
            "annex": self.annex,
            "explanations": dict(sorted(self.explanations.items())),
            "s6_items": self.s6_items(),
        }
        blob = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        import hashlib  # not needed to open a report

        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, data, source: str = "JSON") -> "Report":
        """A report as the JSON says, values as printed; GiappError listing every bad place."""
        problems: list[str] = []

        def bad(place: str, why: str) -> None:
            problems.append(f"{place}：{why}")

        if not isinstance(data, dict):
            raise GiappError(f"{source}：不是报告（应为 JSON 对象）")
        if data.get("schema", SCHEMA) != SCHEMA:
            bad("schema", f"不支持“{data.get('schema')}”，应为 {SCHEMA}")
        report = cls()
        fmt = data.get("format", MAIN_FORM)
        try:
            load_form(fmt)
            report.format = fmt
        except GiappError as e:
            bad("format", str(e))
        organ = data.get("organ") or {}
        if not isinstance(organ, dict):
            bad("organ", "应为对象")
            organ = {}
        for key in ("name", "level", "address", "phone", "website"):
            v = organ.get(key)
            if v is None:
                continue
            if not isinstance(v, str):
                bad(f"organ.{key}", "应为文字")
            else:
                setattr(report.organ, key, v.strip())
        if report.organ.level not in LEVELS:
            bad("organ.level", f"“{report.organ.level}”不是可用的机关层级（{'、'.join(LEVELS)}）")
        year = data.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            bad("year", f"“{year}”不是有效年度")
        else:
            report.year = year
        annex = data.get("annex")
        if annex not in (None, ANNEX_FORM):
            bad("annex", f"不支持的附件“{annex}”")
        else:
            report.annex = annex
        values = data.get("values") or {}
        if not isinstance(values, dict):
            bad("values", "应为对象")
            values = {}
        if not problems:
            known = {cid: (form, cell) for form in report.forms() for cid, cell in form.cells.items()}
            for cid, raw in values.items():
                if cid not in known:
                    hint = "（附件未启用）" if str(cid).startswith("a.") and not report.annex else ""
                    bad(f"values.{cid}", f"没有这个单元格{hint}")
                    continue
                form, cell = known[cid]
                try:
                    report.values[cid] = parse_value(raw, cell.type.decimals, cell.type.max, cell.unit)
                except ValueRefused as e:
                    bad(f"values.{cid}（{form.cell_name(cid)}）", str(e))
        for key, target in (("texts", report.texts), ("explanations", report.explanations)):
            block = data.get(key) or {}
            if not isinstance(block, dict):
                bad(key, "应为对象")
                continue
            for k, v in block.items():
                if v is None:
                    continue
                if not isinstance(v, str):
                    bad(f"{key}.{k}", "应为文字")
                else:
                    target[str(k)] = v
        status = data.get("status", "draft")
        if status not in STATUSES:
            bad("status", f"“{status}”应为 draft 或 signed")
        else:
            report.status = status
        signoff = data.get("signoff")
        if signoff is not None and not isinstance(signoff, dict):
            bad("signoff", "应为对象或 null")
        else:
            report.signoff = signoff
        settings = data.get("settings") or {}
        if isinstance(settings, dict):
            report.settings = settings
        if problems:
            shown = "；\n  ".join(problems[:20])
            more = f"\n  ……另有{len(problems) - 20}处" if len(problems) > 20 else ""
            raise GiappError(f"{source} 有{len(problems)}处无法读取：\n  {shown}{more}")
        return report


EXPLANATION_MIN = 4  # a 说明 is a decision with a signature under it, not "无" or "ok"


def check_explanation(rule: str, body: str) -> str:
    """A new 说明, stripped; GiappError when it is too short to say anything (empty: removed)."""
    body = (body or "").strip()
    if body and len(body) < EXPLANATION_MIN:
        raise GiappError(f"“{rule}”的说明“{body}”太短：说明是签发时要签字负责的核实意见，"
                         f"请至少写{EXPLANATION_MIN}个字，写明核实了什么")
    return body


def _same(a: Value, b: Value) -> bool:
    return (a is None) == (b is None) and (a is None or a == b)
