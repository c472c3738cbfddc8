"""The county office's 汇总: many units' reports checked and added up. Qt-free.

    files = collect([folder])                 # the files giapp reads, folders expanded
    agg = scan(files, progress, cancelled)    # read and check each file, build the roster, add up
    agg = combine(agg.roster, exclude={...})  # a new choice of units, without reading the files again
    write_aggregate_file(agg, "县汇总.gireport")
    export.county.write_workbook(agg, "县汇总.xlsx")  # the workbook

Reading is streaming: one report is in memory at a time (in each worker process, giapp.batch). Of each file the roster keeps what the
window shows (unit, level, year, format, status, the findings) and the figures in a compact form
(one array of ints per file, amounts in units of their last decimal), from which the sum and the per-unit sheets are
made, so that 10,000 units fit in memory and nothing has to be read twice.

What is added: the units whose year and report format are those chosen (the most common, or given),
each unit once. Units of another year or format, several files of one unit, unreadable files, files
excluded by the user and aggregates themselves are listed with the reason and not added; nothing is
added silently. Blank adds nothing; a cell blank in every unit stays blank. Derived cells (totals)
of the sum are computed from the summed parts, so that a unit's wrong total does not carry over.
"""

import os
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Callable, Iterable

from .errors import GiappError
from .form import MAIN_FORM, available_forms, load_form
from .lastyear import organ_key
from .report import ANNEX_FORM, LEVELS, STATUSES, Organ, Report
from .rules import Finding, SEVERITY_NAMES, check, counts, sorted_findings
from .values import Value, format_value

READ_SUFFIXES = (".gireport", ".json", ".docx", ".xlsx", ".html", ".htm", ".mht", ".mhtml", ".pdf")
KIND_NAMES = {".gireport": "报告文件", ".json": "JSON", ".docx": "Word", ".xlsx": "Excel", ".html": "网页", ".htm": "网页",
              ".mht": "网页存档", ".mhtml": "网页存档", ".pdf": "PDF"}
BLANK = -1  # a blank cell in the compact figures (values are never negative)

# Reasons a file is not added (RosterRow.flags start with one of these words).
NOT_READ = "无法读取"
OTHER_YEAR = "年度不同"
OTHER_FORMAT = "格式不同"
SAME_UNIT = "同一单位多个文件"
EXCLUDED = "已排除"
NO_NAME = "未能识别单位名称"
IS_AGGREGATE = "汇总报告"
TAMPERED = "签发后被改动"
UNVERIFIED = "JSON 文件，未经核验"  # an added unit read from JSON: its status is only what the file says
READ_TIMEOUT = 120  # seconds a file may take to be read; a file that takes longer is skipped

ROSTER_HEADERS = ("单位", "层级", "年度", "格式", "状态", "错误", "警告", "未能读取", "说明", "汇总", "文件类型", "文件")


class Cancelled(GiappError):
    """The user stopped the work; nothing was written."""

    def __init__(self):
        super().__init__("已取消")


# ---- collecting the files


def collect(paths: Iterable) -> list[Path]:
    """The files to read: folders expanded recursively into the files giapp reads (.gireport,
    .json, .docx, .xlsx, published .html/.htm/.mht/.pdf), without Office lock files (~$x.docx), hidden files (our own temporary
    files start with a dot) and our print folders (giapp-print-…); files named one by one are kept
    whatever they are (reading them says what is wrong). Sorted, each file once."""
    found: dict[str, Path] = {}
    for p in paths:
        p = _full(p)
        if not p.is_dir():
            found.setdefault(os.path.normcase(p), p)
            continue
        for root, dirs, files in os.walk(p):  # symbolic links to folders are not followed
            dirs[:] = [d for d in dirs if not d.startswith((".", "giapp-print-", "__MACOSX"))]
            for name in files:
                if name.startswith(("~$", ".")) or not name.lower().endswith(READ_SUFFIXES):
                    continue
                f = Path(root) / name
                found.setdefault(os.path.normcase(f), f)
    return sorted(found.values(), key=lambda f: (str(f.parent), f.name))


def _full(path) -> Path:
    """An absolute path with . and .. taken out (links are left as they are)."""
    return Path(os.path.abspath(path))


def _same_files(paths: Iterable) -> set[str]:
    """Paths as compared: absolute, normalised, case folded where the system ignores case."""
    return {os.path.normcase(_full(p)) for p in paths}


# ---- the roster


@cache
def _layout(forms: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The cells of these forms in order, and the decimals of each."""
    cells = [cell for form_id in forms for cell in load_form(form_id).cells.values()]
    return tuple(c.id for c in cells), tuple(c.type.decimals for c in cells)


@cache
def _addable_formats() -> frozenset[str]:
    return frozenset(f for f in available_forms() if load_form(f).kind == "report")


@cache
def format_name(format_id: str) -> str:
    """A report format in words: 2021年格式（国办公开办函〔2021〕30号）."""
    for f in _addable_formats():
        form = load_form(f)
        if f == format_id:
            year = re.search(r"〔(\d{4})〕", form.basis)
            return f"{year.group(1)}年格式（{form.basis}）" if year else form.title
        for older in form.older_formats:
            if older["id"] == format_id:
                return older["name"]
    return format_id


def unit_key(name: str) -> str:
    """A unit's name as compared, the same way as across years (lastyear.organ_key): invisible
    format characters (zero-width space, LRM, BOM…) removed, NFKC, no spaces, case folded."""
    return organ_key(name)


def _visible(text: str) -> str:
    """Text without format characters (Unicode category Cf: ZWSP, ZWJ, LRM, RLO, BOM, soft hyphen…)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


@dataclass(slots=True, eq=False)
class RosterRow:
    """One file of the roster: what it is, what the check found, whether it is added and why not."""

    file: Path
    unit: str = ""  # the organ's name
    level: str = ""  # organ level id (LEVELS)
    year: int | None = None
    format: str = ""  # report format id; an older format's id (gov-info-2019…) for an older Word report
    kind: str = ""  # the file's type in words: 报告文件, JSON, Word, Excel
    status: str = ""  # draft or signed
    errors: int = 0
    warnings: int = 0
    read_problems: list[str] = field(default_factory=list)  # what could not be read (Word, Excel)
    read_error: str | None = None  # why the file could not be read at all
    flags: list[str] = field(default_factory=list)  # why it is not added
    included: bool = False
    findings: tuple[Finding, ...] = ()  # errors first, then warnings, as the check panel lists them
    tampered: bool = False  # signed, but the content no longer matches the sign-off
    unverified: bool = False  # read from JSON: its status and sign-off cannot be verified
    annex: str | None = None
    totals_off: tuple[str, ...] = ()  # derived cells printed unlike the sum of their parts
    aggregate: bool = False  # the file is itself an aggregate (汇总)
    forms: tuple[str, ...] = ()  # the forms whose cells `figures` holds, in order
    figures: array | None = None  # every cell of `forms`: int, amounts × 10**decimals, BLANK when blank
    last_year: str = ""  # the file of last year's report of the same unit, when linked

    @property
    def key(self) -> str:
        return unit_key(self.unit)

    @property
    def readable(self) -> bool:
        return self.read_error is None

    def values(self) -> dict[str, Value]:
        """The unit's figures as printed, cell id -> value (blank cells as None)."""
        if self.figures is None:
            return {}
        cells, decimals = _layout(self.forms)
        return {cid: _value(v, d) for cid, v, d in zip(cells, self.figures, decimals)}

    def status_name(self) -> str:
        if not self.readable:
            return ""
        if self.unverified:
            return "未核验（JSON）"
        name = STATUSES.get(self.status, self.status)
        return f"{name}（签发后被改动）" if self.tampered else name

    def remarks(self) -> list[str]:
        """Why the file is not added; for an added file, what is worth knowing."""
        out = list(self.flags)
        if self.unverified and self.included:
            out.append(f"{UNVERIFIED}（JSON 不带可核对的签发，按其所填数字相加）")
        if self.readable and self.unit != _visible(self.unit):
            out.append("单位名称含不可见字符（比较时已去除）")
        if self.totals_off:
            out.append(f"所填合计与各项之和不符{len(self.totals_off)}处（汇总时按各项之和计算）")
        return out

    def cells(self) -> tuple:
        """The roster's columns (ROSTER_HEADERS): text, or int where the column is a number."""
        problems = self.read_error if self.read_error else "；".join(self.read_problems)
        fmt = format_name(self.format) if self.format else ""
        errors, warnings = (self.errors, self.warnings) if self.readable else (None, None)
        return (self.unit, LEVELS.get(self.level, self.level), self.year, fmt, self.status_name(), errors, warnings,
                problems, "；".join(self.remarks()), "是" if self.included else "否", self.kind, str(self.file))

    def sort_key(self, column: int):
        """A key to sort the roster by one of its columns (blanks last)."""
        value = self.cells()[column]
        return (value is None or value == "", value if value is not None else 0)

    def details(self) -> list[str]:
        """Everything about this file, a line each, for the window and the command line."""
        lines = [f"文件：{self.file}"]
        if self.read_error:
            return lines + [f"无法读取：{self.read_error}"]
        lines.append(f"单位：{self.unit or '（未识别）'}，{self.year}年，{format_name(self.format)}，{self.status_name()}")
        lines.append("已汇总" if self.included else "未汇总：" + "；".join(self.flags))
        lines += [f"未能读取：{p}" for p in self.read_problems]
        if self.totals_off:
            lines.append(f"所填合计与各项之和不符：{'、'.join(self.totals_off)}")
        lines += [f"{SEVERITY_NAMES[f.severity]} {f.rule}：{f.message}" for f in self.findings]
        if not self.findings:
            lines.append("校验未发现问题")
        return lines


def _compact(v: Value, decimals: int) -> int:
    """A value as an int: amounts in units of 10**-decimals, blank as BLANK."""
    if v is None:
        return BLANK
    return v if decimals == 0 else int(v.scaleb(decimals))


def _value(v: int, decimals: int) -> Value:
    """The value a compact int stands for."""
    if v == BLANK:
        return None
    return v if decimals == 0 else Decimal(v).scaleb(-decimals)


def read_last_years(folder, timeout: float = READ_TIMEOUT) -> dict[str, list[tuple[Report, str]]]:
    """Last year's reports in a folder, by unit (organ_key), read on every core; unreadable
    files, and files not read within `timeout` seconds, are left out."""
    from .batch import run_files

    found: dict[str, list[tuple[Report, str]]] = {}
    folder = Path(folder)
    if not folder.is_dir():
        raise GiappError(f"找不到上年报告文件夹“{folder}”")
    files = collect([folder])
    reports, _ = run_files(_last_year_report, files, None, lambda path, why: None, timeout=timeout)
    for path, report in zip(files, reports):
        if report is not None:
            found.setdefault(organ_key(report.organ.name), []).append((report, path.name))
    return found


def _last_year_report(path: Path, _context=None) -> Report | None:
    """A report of last year's folder, or None when it cannot be read or names no unit and year."""
    from .inputs import read_imported

    try:
        report = read_imported(path).report
    except Exception:  # noqa: BLE001 - an unreadable file of last year links nothing
        return None
    return report if report.organ.name and report.year else None


def _link_last_year(report: Report, last_years: dict) -> str:
    """Link a unit's report to last year's report of the same unit; the linked file's name or ''."""
    from .lastyear import link_last_year

    for prev, name in last_years.get(organ_key(report.organ.name), ()):
        if prev.year == report.year - 1 and prev.format == report.format:
            link_last_year(report, prev, name)
            return name
    return ""


def read_row(path, last_years: dict | None = None) -> RosterRow:
    """Read and check one file; whatever goes wrong becomes the row's read_error.

    last_years: last year's reports by unit (read_last_years); the unit's report is linked to its
    own, so that the cross-year rules run."""
    from .files import check_input
    from .inputs import read_imported
    from .signoff import intact

    path = Path(path)
    row = RosterRow(path, kind=KIND_NAMES.get(path.suffix.lower(), path.suffix.lstrip(".") or "其他"))
    try:
        check_input(path)  # never a pipe, a device, a folder or a looping link: nothing is opened
        imported = read_imported(path)
    except GiappError as e:
        row.read_error = str(e)
        return row
    except Exception as e:  # one odd file must not stop a batch of thousands
        row.read_error = f"“{path.name}”无法读取（{type(e).__name__}：{e}）"
        return row
    report = imported.report
    row.unit, row.level, row.year, row.status = report.organ.name, report.organ.level, report.year, report.status
    row.format = report.format
    for older in load_form(report.format).older_formats:  # an older Word report: its numbers were not read
        if imported.format_name == older["name"]:
            row.format = older["id"]
    row.read_problems = list(imported.problems)
    row.tampered = not intact(report)
    row.unverified = imported.format_name == "JSON"
    row.annex = report.annex
    row.aggregate = "aggregate" in report.settings or bool(re.search(r"汇总（\d+个单位）$", report.organ.name))
    if last_years and report.organ.name and report.year:
        row.last_year = _link_last_year(report, last_years)
    stage = "signoff" if report.status == "signed" else "draft"
    row.findings = tuple(sorted_findings(check(report, stage)))
    row.errors, row.warnings = counts(row.findings)
    row.forms = tuple(f.id for f in report.forms())
    cells, decimals = _layout(row.forms)
    values = report.values
    row.figures = array("q", [_compact(values.get(cid), d) for cid, d in zip(cells, decimals)])
    off = []
    for form in report.forms():
        for cid in form.order:
            printed = values.get(cid)
            given = [p for p in (values.get(x) for x in form.cells[cid].parts) if p is not None]
            if printed is not None and printed != (sum(given) if given else None):
                off.append(cid)
    row.totals_off = tuple(off)
    return row


# ---- the aggregate


@dataclass
class Aggregate:
    roster: list[RosterRow]
    report: Report  # the sum: organ "…汇总（N个单位）", level other, draft, settings["aggregate"]
    notes: list[str]
    year: int | None = None
    format: str = MAIN_FORM
    cancelled: bool = False  # scan stopped early: the roster holds the files read so far

    @property
    def included(self) -> list[RosterRow]:
        return [r for r in self.roster if r.included]

    @property
    def too_large(self) -> list[str]:
        """Cells whose sum is over the largest value a cell holds (the report file refuses them)."""
        out = []
        for form in self.report.forms():
            for cid, cell in form.cells.items():
                v = self.report.values.get(cid)
                if v is not None and v > cell.type.max:
                    out.append(cid)
        return out


def scan(paths: Iterable, progress: Callable[[int, int], None] | None = None,
         cancelled: Callable[[], bool] | None = None, *, year: int | None = None, format: str | None = None,
         prefer: Iterable = (), exclude: Iterable = (), county: str | None = None,
         last_year_folder=None, timeout: float = READ_TIMEOUT, workers: int | None = None) -> Aggregate:
    """Read and check every file (folders expanded), on every core, and add up the chosen units.

    progress(done, total) is called as files finish; when cancelled() returns True the scan stops
    and the Aggregate (cancelled=True) holds the files read so far. last_year_folder: a folder of
    last year's reports; each unit is linked to its own (names compared after NFKC). A file not read
    within `timeout` seconds is listed as unread: its worker process is ended (giapp.batch; read
    in this process, its thread is left behind and ends with the program). workers: processes to
    read with (None: one a core, for a few files or more; 0: none). The other parameters are
    those of `combine`. The roster is in the order of the files, however many workers read them.
    """
    from .batch import run_files

    last_years = read_last_years(last_year_folder, timeout) if last_year_folder is not None else None
    files = collect(paths)
    total = len(files)
    rows, stopped = run_files(read_row, files, last_years, _unread, progress, cancelled, timeout, workers)
    agg = combine(rows, year=year, format=format, prefer=prefer, exclude=exclude, county=county)
    if last_years is not None:
        agg.notes.append(_last_year_note(rows))
    if stopped:
        agg.cancelled = True
        agg.notes.insert(0, f"已取消：只读取了{len(rows)}个文件（共{total}个），汇总不完整")
    return agg


def _unread(path, why: str) -> RosterRow:
    """The row of a file that could not be read in time, or whose reading was interrupted."""
    row = RosterRow(Path(path), kind=KIND_NAMES.get(Path(path).suffix.lower(), "其他"))
    row.read_error = why
    return row


def _last_year_note(rows: list[RosterRow]) -> str:
    """How many units were linked to last year's report, and which were not."""
    readable = [r for r in rows if r.readable and r.unit]
    linked = [r for r in readable if r.last_year]
    missing = [r.unit for r in readable if not r.last_year]
    note = f"已关联上年报告：{len(linked)}个单位（上年结转、现行有效件数已与上年报告核对）"
    if missing:
        shown = "、".join(missing[:10]) + (f"等{len(missing)}个" if len(missing) > 10 else "")
        note += f"；未找到上年报告：{shown}"
    return note


def combine(rows: list[RosterRow], *, year: int | None = None, format: str | None = None, prefer: Iterable = (),
            exclude: Iterable = (), county: str | None = None) -> Aggregate:
    """Decide which files are added, and add them up. Fast: no file is read again; the rows'
    flags and `included` are set anew (in place).

    year, format: what to add (default: the most common among the readable files; a tie goes to
    the later year). prefer: files to take when a unit has several (the others are not added);
    exclude: files not to add. county: the name the aggregate takes ("某某县" gives
    "某某县汇总（N个单位）"); default: what the added units' names begin with, up to 县/区/市.
    """
    prefer, exclude = _same_files(prefer), _same_files(exclude)
    candidates = []
    for row in rows:
        row.flags, row.included = [], False
        if not row.readable:
            row.flags.append(NOT_READ)
        elif os.path.normcase(_full(row.file)) in exclude:
            row.flags.append(f"{EXCLUDED}（按选择不汇总）")
        elif row.aggregate:
            row.flags.append(f"{IS_AGGREGATE}，不是单位报告")
        elif row.tampered:
            row.flags.append(f"{TAMPERED}（与签发时的指纹不符，可能被其他程序修改），请该单位核实后撤销签发、重新签发")
        elif not row.key:
            row.flags.append(NO_NAME)
        else:
            candidates.append(row)

    if format is None:
        formats = Counter(r.format for r in candidates if r.format in _addable_formats())
        format = max(formats, key=lambda f: (formats[f], f == MAIN_FORM, f)) if formats else MAIN_FORM
    elif format not in _addable_formats():
        raise GiappError(f"不能按“{format_name(format)}”汇总（可用：{'、'.join(sorted(_addable_formats()))}）")
    if year is None:
        years = Counter(r.year for r in candidates)
        year = max(years, key=lambda y: (years[y], y)) if years else None
    chosen = []
    for row in candidates:
        if row.year != year:
            row.flags.append(f"{OTHER_YEAR}（{row.year}年，汇总的是{year}年）")
        if row.format != format:
            row.flags.append(f"{OTHER_FORMAT}（{format_name(row.format)}，汇总的是{format_name(format)}）")
        if not row.flags:
            chosen.append(row)

    # Several files of one unit: none is added unless one of them is preferred.
    by_unit: dict[str, list[RosterRow]] = {}
    for row in chosen:
        by_unit.setdefault(row.key, []).append(row)
    for group in by_unit.values():
        if len(group) < 2:
            group[0].included = True
            continue
        picked = [r for r in group if os.path.normcase(_full(r.file)) in prefer]
        if len(picked) == 1:
            picked[0].included = True
            for r in group:
                if r is not picked[0]:
                    r.flags.append(f"{SAME_UNIT}（已选用“{picked[0].file.name}”）")
        else:
            names = "、".join(f"“{r.file.name}”" for r in group)
            for r in group:
                r.flags.append(f"{SAME_UNIT}（共{len(group)}个：{names}），请选用其中一个或排除其余")
    return _add_up(rows, year, format, county)


def _add_up(rows: list[RosterRow], year, format: str, county: str | None) -> Aggregate:
    """The sum of the included rows' figures, as a report, with notes on what was done."""
    included = [r for r in rows if r.included]
    main = load_form(format)
    sums: dict[str, list] = {}  # form id -> [totals], [given]
    with_annex = 0
    for row in included:
        start = 0
        for form_id in row.forms:
            form = load_form(form_id)
            n = len(form.cells)
            totals, given = sums.setdefault(form_id, ([0] * n, [False] * n))
            figures = row.figures
            for i in range(n):
                v = figures[start + i]
                if v != BLANK:
                    totals[i] += v
                    given[i] = True
            start += n
        with_annex += ANNEX_FORM in row.forms

    name = f"{_county(included) if county is None else county}汇总（{len(included)}个单位）"
    report = Report(organ=Organ(name=name, level="other"), year=year or 0, format=format,
                    annex=ANNEX_FORM if with_annex else None, status="draft")
    for form_id, (totals, given) in sums.items():
        cells, decimals = _layout((form_id,))
        form = load_form(form_id)
        for cid, total, g, d in zip(cells, totals, given, decimals):
            if g and not form.cells[cid].derived:
                report.values[cid] = _value(total, d)
    for form in report.forms():
        report.recompute(form)

    notes = _notes(rows, included, year, with_annex, main)
    report.settings = {"aggregate": {
        "year": year, "format": format,
        "units": [{"name": r.unit, "level": r.level, "file": str(r.file)} for r in included],
        "excluded": [{"name": r.unit, "file": str(r.file), "why": "；".join(r.flags)} for r in rows if not r.included],
        "notes": notes,
        "made": datetime.now().astimezone().isoformat(timespec="seconds"),
    }}
    agg = Aggregate(rows, report, notes, year, format)
    too_large = agg.too_large
    if too_large:
        form, cell = report.find_cell(too_large[0])
        shown = "、".join(report.find_cell(c)[0].cell_name(c) for c in too_large[:3])
        notes.append(f"{len(too_large)}处汇总数超过单元格上限（{format_value(cell.type.max)}），如{shown}；"
                     "只能导出 Excel，不能保存为报告文件")
    return agg


def _notes(rows, included, year, with_annex: int, main) -> list[str]:
    when = f"{year}年，" if year else ""
    notes = [f"汇总{len(included)}个单位（{when}{format_name(main.id)}），共{len(rows)}个文件"]
    left = [r for r in rows if not r.included]
    if left:
        reasons = Counter(r.flags[0].split("（")[0].split("，")[0] for r in left if r.flags)
        notes.append(f"{len(left)}个文件未汇总：" + "、".join(f"{k}{n}个" for k, n in reasons.most_common())
                     + "（见名单的“说明”）")
    if with_annex:
        notes.append(f"附件《政府信息公开情况统计表》只按有附件的{with_annex}个单位汇总（共{len(included)}个单位）")
    off = [r for r in included if r.totals_off]
    shown = "、".join(r.unit for r in off[:5]) + ("等" if len(off) > 5 else "")
    notes.append("汇总表中的合计一律按汇总后的各项之和计算，不取各单位所填的合计"
                 + (f"；{len(off)}个单位所填合计与各项之和不符（{shown}）" if off else ""))
    errors = [r for r in included if r.errors]
    if errors:
        notes.append(f"{len(errors)}个已汇总的单位仍有校验错误（共{sum(r.errors for r in errors)}处），按其所填数字相加")
    unverified = [r for r in included if r.unverified]
    if unverified:
        notes.append(f"{len(unverified)}个已汇总单位来自 JSON 文件，未经核验（JSON 中的签发状态仅供参考）")
    partial = [r for r in included if r.read_problems]
    if partial:
        notes.append(f"{len(partial)}个已汇总单位的文件有未能读取的内容，按读出的数字相加（见名单的“未能读取”）")
    return notes


_COUNTY_END = re.compile(r"^.*[县区旗]|^.*[市州盟]")


def _county(rows: list[RosterRow]) -> str:
    """What the units' names have in common, up to the last 县/区/旗 (else 市/州/盟): 某某县."""
    if not rows:
        return ""
    prefix = os.path.commonprefix([r.unit for r in rows])
    m = _COUNTY_END.match(prefix)
    return m.group(0) if m else ""


# ---- the aggregate's report file


def write_aggregate_file(agg: Aggregate, out) -> Path:
    """The aggregate as a report file of its own (refusing to overwrite), marked 汇总 by its
    settings and its audit entry."""
    from .store import SUFFIX, ReportFile

    out = Path(out)
    check_writable(agg)
    if out.suffix.lower() != SUFFIX:
        raise GiappError(f"汇总报告文件名应以 {SUFFIX} 结尾：“{out.name}”")
    if not agg.included:
        raise GiappError("没有可汇总的单位，未保存汇总报告")
    if agg.too_large:
        raise GiappError(f"{len(agg.too_large)}处汇总数超过单元格上限，不能保存为报告文件；请导出为 Excel")
    names = "、".join(r.unit for r in agg.included[:20]) + ("等" if len(agg.included) > 20 else "")
    with ReportFile.create(out, agg.report, "aggregate", f"汇总{len(agg.included)}个单位：{names}"):
        pass
    return out


def check_writable(agg: Aggregate) -> None:
    if agg.cancelled:
        raise GiappError("汇总已取消，内容不完整，未保存")
