"""Last year's Word report, made with anybody's template: organ and year from the title, contact
data from the preamble, the sections by their headings, the tables by their labels."""

import posixpath
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

from ..errors import GiappError
from ..form import MAIN_FORM, load_form
from ..report import Report
from . import Imported
from .common import (MIN_SCORE, TITLE, annex_form, detect_format, guess_level, level_note, organ_name, read_grids,
                     website_address)
from .safety import check_office_file
from .tables import MAX_BLOCKS, MAX_COLS, MAX_ROWS, MAX_TABLES, Grid, core, nearest_label, table_score


_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_ITEM_END = re.compile(r"[；;：:。.，,\s]+$")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _TBL, _TR, _TC, _HYPERLINK = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc", "hyperlink"))
_TAB, _PTAB, _CR, _BR, _NO_BREAK_HYPHEN = (_W + t for t in ("tab", "ptab", "cr", "br", "noBreakHyphen"))
_TRPR, _TCPR, _GRID_BEFORE, _GRID_SPAN, _VMERGE = (_W + t for t in ("trPr", "tcPr", "gridBefore", "gridSpan", "vMerge"))
_VAL, _TYPE = _W + "val", _W + "type"
_SIGNS = {_TAB: "\t", _PTAB: "\t", _CR: "\n", _NO_BREAK_HYPHEN: "-"}
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _parser() -> etree.XMLParser:
    """As python-docx parses a part: no entities resolved, blank text between elements dropped."""
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def _document(path: Path):
    """The main document part's root (w:document), found as python-docx finds it: the package's
    officeDocument relationship, whose part must be a Word document's main part. Only this part
    is parsed (python-docx's object model parses every part and costs more than the reading)."""
    parser = _parser()
    with zipfile.ZipFile(path) as archive:
        rels = etree.fromstring(archive.read("_rels/.rels"), parser)
        targets = [r for r in rels.iter(_RELS) if r.get("Type") == _OFFICE_DOCUMENT]
        if len(targets) != 1 or targets[0].get("TargetMode") == "External":
            raise ValueError("no main document part")
        name = posixpath.abspath(posixpath.join("/", targets[0].get("Target", "")))
        types = etree.fromstring(archive.read("[Content_Types].xml"), parser)
        overrides = {e.get("PartName", "").lower(): e.get("ContentType") for e in types.iter(_TYPES + "Override")}
        defaults = {e.get("Extension", "").lower(): e.get("ContentType") for e in types.iter(_TYPES + "Default")}
        kind = overrides.get(name.lower()) or defaults.get(posixpath.splitext(name)[1][1:].lower())
        if kind != _MAIN:
            raise ValueError(f"content type {kind}")
        root = etree.fromstring(archive.read(name[1:]), parser)
    body = root.find(_W + "body") if root.tag == _W + "document" else None
    if body is None:
        raise ValueError("no body")
    return body


def _run_text(run) -> str:
    """A run's text as python-docx gives it: tabs, line breaks, non-breaking hyphens as characters."""
    out = []
    for e in run.iterchildren(_T, _TAB, _PTAB, _CR, _BR, _NO_BREAK_HYPHEN):
        tag = e.tag
        if tag == _T:
            out.append(e.text or "")
        elif tag == _BR:
            if e.get(_TYPE, "textWrapping") == "textWrapping":
                out.append("\n")
        else:
            out.append(_SIGNS[tag])
    return "".join(out)


def _paragraph_text(p) -> str:
    """A paragraph's text: its runs, and the runs of its hyperlinks."""
    out = []
    for child in p.iterchildren(_R, _HYPERLINK):
        if child.tag == _R:
            out.append(_run_text(child))
        else:
            out.extend(_run_text(r) for r in child.iterchildren(_R))
    return "".join(out)


def _cell_text(tc) -> str:
    """A cell's paragraphs, a line each (the paragraphs of a table within it are not its own)."""
    return "\n".join(_paragraph_text(p) for p in tc.iterchildren(_P))


def _grid(tbl, name: str, problems: list[str]) -> Grid:
    """The table as a grid, built from its XML within MAX_ROWS x MAX_COLS: a column span
    repeats the cell, a vertical merge repeats the cell above (a merge continued in the first
    row is a cell of its own). What lies beyond the bound is not read, and is listed."""
    texts: list[list[str]] = []
    region: list[list[int]] = []
    rows = list(tbl.iterchildren(_TR))
    clipped = len(rows) > MAX_ROWS
    for tr in rows[:MAX_ROWS]:
        row_texts: list[str] = []
        row_region: list[int] = []
        trPr = _child(tr, _TRPR)
        before = _count(_child(trPr, _GRID_BEFORE) if trPr is not None else None, 0)
        for _ in range(min(before, MAX_COLS)):
            row_texts.append("")
            row_region.append(-1 - len(texts) * 1000 - len(row_texts))  # an empty place of its own
        for tc in tr.iterchildren(_TC):
            tcPr = _child(tc, _TCPR)
            span_element = vmerge = None
            for e in () if tcPr is None else tcPr.iterchildren(_GRID_SPAN, _VMERGE):  # the first of each, as find()
                if e.tag == _GRID_SPAN and span_element is None:
                    span_element = e
                elif e.tag == _VMERGE and vmerge is None:
                    vmerge = e
            span = _count(span_element, 1)
            c = len(row_texts)
            if c >= MAX_COLS:
                clipped = True
                break
            if span > MAX_COLS - c:
                span, clipped = MAX_COLS - c, True
            above = region[-1] if region else []
            continued = vmerge is not None and vmerge.get(_VAL, "continue") == "continue"
            if continued and c < len(above):
                text, rid = texts[-1][c], above[c]
            else:
                text, rid = _cell_text(tc), len(texts) * 1000 + c  # where the region starts
            row_texts.extend([text] * span)
            row_region.extend([rid] * span)
        texts.append(row_texts)
        region.append(row_region)
    if clipped:
        problems.append(f"{name}超出读取范围（前{MAX_ROWS}行、前{MAX_COLS}列；年度报告的表格远小于此），"
                        "超出部分未读取")
    return Grid(name, texts, region)


def _child(element, tag: str):
    """The first child with this tag, or None (element.find, without its path parsing)."""
    return next(element.iterchildren(tag), None)


def _count(element, default: int) -> int:
    """A w:gridSpan or w:gridBefore as a count of grid columns (default when absent or unreadable)."""
    text = element.get(_VAL, "") if element is not None else ""
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 10 else default


def _heading_core(text: str) -> str:
    return core(text).replace("、", "")


_SECTION_NUMBER = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．，,]\s*")


def section_heading(text: str, form) -> tuple[str, str] | None:
    """(section id, the text after the heading) when a paragraph is a section's heading, else None.

    Headings as the form and its aliases print them, under any section number, or a part's number
    only when it is the section's ("（一）主动公开政府信息情况" is a part of 一); a variant in other words
    ("五、存在的主要问题及整改措施") when its number is the section's and it is close to one of the
    section's headings; a heading run into its first sentence ("一、总体情况2024年，…") when its
    number is the section's."""
    headings = _headings(form.id)
    head = _heading_core(text)
    if head in headings and len(text) < 40:
        sid = headings[head][0]
        printed = _part_number(text)
        if printed is None or printed == _numerals(form.id).get(sid):
            return sid, ""
        return None  # "（一）主动公开政府信息情况" opens a part of 一、总体情况, not 二
    number = _SECTION_NUMBER.match(text)
    if number is None:
        return None
    own = [sid for sid, numeral in _numerals(form.id).items() if numeral == number.group(1)]
    if not own:
        return None
    rest = text[number.end():]
    names = sorted(((n, sid) for n, (sid, _) in headings.items() if sid == own[0]), key=lambda x: -len(x[0]))
    got = _heading_core(rest)
    if len(rest) < 40 and not re.search(r"[。；;]", rest.rstrip("。；; ")):
        for name, sid in names:
            if nearest_label(got, [name]) is not None:
                return sid, ""
    for name, sid in names:  # run into its first sentence
        printed = headings[name][1]
        if rest.startswith(printed) and len(rest) > len(printed):
            return sid, rest[len(printed):].lstrip("：:。 \u3000")
    return None


@cache
def _headings(form_id: str) -> dict[str, tuple[str, str]]:
    """Heading cores -> (section id, the heading as printed without its number)."""
    out = {}
    for section in load_form(form_id).sections:
        for name in [section["heading"], *section.get("aliases", [])]:
            out[_heading_core(name)] = (section["id"], _SECTION_NUMBER.sub("", name))
    return out


_PART_NUMBER = re.compile(r"^\s*(?:[（(]\s*([一二三四五六七八九十]+|\d{1,2})\s*[)）]|(\d{1,2})\s*[、.．])")
_DIGITS = dict(zip("123456789", "一二三四五六七八九"))


def _part_number(text: str) -> str | None:
    """The number of a part a paragraph starts with ("（一）", "(2)", "1."), as a Chinese numeral;
    None for a section's own numbering ("六、", which older formats count differently) or none."""
    match = _PART_NUMBER.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    number = next(g for g in match.groups() if g)
    return _DIGITS.get(number, number)


@cache
def _numerals(form_id: str) -> dict[str, str]:
    """Each section's number as its heading prints it (一 … 六)."""
    out = {}
    for section in load_form(form_id).sections:
        number = _SECTION_NUMBER.match(section["heading"])
        if number:
            out[section["id"]] = number.group(1)
    return out


def read_word(path: Path) -> Imported:
    check_office_file(path, "docx")
    try:
        body = _document(path)
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Word 文档读取（{e.__class__.__name__}）") from None
    problems: list[str] = []
    blocks: list = []
    tables = 0
    for child in body:  # paragraphs and tables in document order
        if child.tag == _TBL:
            tables += 1
            if tables > MAX_TABLES:
                if tables == MAX_TABLES + 1:
                    problems.append(f"文档中的表格超过{MAX_TABLES}个，其余的表格未读取")
                continue
            blocks.append(_grid(child, f"第{tables}个表格", problems))
        elif child.tag == _P:
            blocks.append(_paragraph_text(child))
            if len(blocks) > MAX_BLOCKS:  # a crafted document: reading on would take minutes
                raise GiappError(f"“{path.name}”的段落超过{MAX_BLOCKS}个，不像是年度报告，为安全起见不予读取")
    return read_blocks(path, blocks, problems)


def read_blocks(path: Path, blocks: list, problems: list[str] | None = None) -> Imported:
    """A report from its paragraphs (str) and tables (Grid) in document order: Word, web page, PDF.
    problems: what reading the file has already listed."""
    form = load_form(MAIN_FORM)
    items = {i["id"]: _ITEM_END.sub("", core(i["title"])).removesuffix("情况") for i in form.section("s6")["items"]}

    report = Report(format=MAIN_FORM)
    problems, notes = list(problems or []), []
    before: list[str] = []  # title and preamble
    texts: dict[str, list[str]] = {}
    grids: list[Grid] = []
    section = None
    item = None
    annex = False
    paragraphs: list[str] = []
    held: list[str] = []  # paragraphs under a table section, placed when the next heading shows where
    headed: set[str] = set()
    for block in blocks:
        if isinstance(block, Grid):
            grids.append(block)
            continue
        text = block.replace("\r", "").strip().strip("\u3000")
        if not text:
            continue
        paragraphs.append(text)
        found = section_heading(text, form)
        if found is not None:
            _place_held(form, section, found[0], held, headed, texts, problems, notes)
            section, item = found[0], None
            headed.add(section)
            if not found[1]:
                continue
            text = found[1]  # a heading run into its first sentence: the rest is the section's text
        if re.match(r"^附件\s*\d*\s*[:：]?\s*$", text):  # "附件" or "附件3" opens the annex
            _place_held(form, section, None, held, headed, texts, problems, notes)
            annex, section = True, None
            continue
        if re.match(r"^附件\s*\d*\s*[:：].*(统计表|附表)", text):  # "附件：…统计表" names it
            continue
        if annex:
            if "统计表" in text and len(text) < 60:
                continue  # the annex's title
            if text.startswith("（注") or text.startswith("(注"):
                continue  # its printed note
            problems.append(f"附件中的段落“{text[:30]}”未导入")
            continue
        if section is None:
            before.append(text)
            continue
        if section == "s6":
            key = _item_key(text, items)
            if key is not None:
                item = key
                rest = re.split(r"[：:]", text, maxsplit=1)
                if len(rest) == 2 and rest[1].strip():
                    texts.setdefault(item, []).append(rest[1].strip())
                else:
                    texts.setdefault(item, [])
                continue
        if form.section(section)["kind"] != "text":  # a note under a table, or the text of a section
            held.append(text)  # whose heading is missing: the next heading tells which
            continue
        texts.setdefault(item or section, []).append(text)
    _place_held(form, section, None, held, headed, texts, problems, notes)

    grids = [g for g in grids if g is not None]
    _title_and_preamble(report, before, problems, notes)
    _closing(report, texts, notes)
    for key, lines in texts.items():
        report.texts[key] = "\n".join(lines)
    found_items = [k for k in items if k in texts]
    if found_items:
        report.settings["s6_items"] = found_items
    for s in ("s1", "s5", "s6"):
        if s not in texts and not (s == "s6" and found_items):
            problems.append(f"没有找到“{form.section(s)['heading']}”部分")

    labels = set().union(*(g.labels() for g in grids)) if grids else set()
    labels |= {core(t) for t in paragraphs}  # older formats are known by their headings too
    recognised = sum(1 for t in form.tables.values() for g in grids if table_score(g, t) >= MIN_SCORE)
    if not report.year and not texts and not recognised:
        raise GiappError(f"“{path.name}”不是政府信息公开工作年度报告（没有找到标题、章节或统计表）")
    older = detect_format(labels, form)
    forms = [form]
    if any(_is_annex(g) for g in grids):
        report.annex = "annex-stats"
        forms.append(annex_form())
    if older is not None:
        values = read_grids(grids, forms, [])
        carried = {k: v for k, v in values.items() if any(k.startswith(p) for p in older["carry"])}
        report.values.update(carried)
        notes.append(f"这是{older['name']}的报告：文字和机关信息已导入"
                     + ("，“结转下年度继续办理”可结转到本年" if carried else "") + "；其余数字与现行格式不对应，未导入")
        return Imported(report, older["name"], problems, notes)
    report.values.update(read_grids(grids, forms, problems, notes, report.settings))
    return Imported(report, f"{form.title}（{form.basis}）", problems, notes)


def _place_held(form, table: str | None, heading: str | None, held: list[str], headed: set[str],
                texts: dict[str, list[str]], problems: list[str], notes: list[str]) -> None:
    """Paragraphs found under a table section (held), once the next heading (None: the end) is
    known. When the section after the table is a text section whose heading never came before the
    next one (real reports print 五's text after table 四 without "五、…"), they are its text, and
    the import report says so; otherwise (a note under a table, "该部分以表格形式报告。") they are
    listed as not read."""
    if not held:
        return
    order = [s["id"] for s in form.sections]
    after = order[order.index(table) + 1] if table in order and order.index(table) + 1 < len(order) else None
    lines = [t for t in held if not re.match(r"^[（(]?注[）)]?\s*[:：]", t)]  # "注：…" is the table's note
    if (after is not None and form.section(after)["kind"] == "text" and after not in headed and lines
            and (heading is None or order.index(heading) > order.index(after))):
        texts.setdefault(after, []).extend(lines)
        notes.append(f"没有找到“{form.section(after)['heading']}”的标题：{form.section(table)['heading']}"
                     f"之后的{len(lines)}段按这一部分读入，请核对")
        held[:] = [t for t in held if t not in lines]
    for text in held:
        problems.append(f"{form.section(table)['heading']}中的段落“{text[:30]}”未导入（这一部分是表格）")
    held.clear()


def _is_annex(grid: Grid) -> bool:
    labels = grid.labels()
    return "统计指标" in labels and "统计数" in labels


def _item_key(text: str, items: dict[str, str]) -> str | None:
    """Which item of 六 a line opens: （一）依据…收取信息处理费的情况；, 1、…, (3) …"""
    head = re.split(r"[：:]", text, maxsplit=1)[0]
    if len(head) > 70:
        return None
    got = _ITEM_END.sub("", core(head)).removesuffix("情况")
    if len(got) < 6:
        return None
    for key, title in items.items():
        if got == title or title.startswith(got) or got.startswith(title):
            return key
    return None


def _title_and_preamble(report: Report, before: list[str], problems: list[str], notes: list[str]) -> None:
    """Organ and year from the title (perhaps over two paragraphs); contact data from the preamble."""
    title_end = 0
    for start in range(min(len(before), 12)):  # a web page may print its metadata before the title
        for n in range(1, min(3, len(before) - start) + 1):
            match = TITLE.match(re.sub(r"\s+", "", "".join(before[start:start + n])))
            if match:
                report.organ.name = organ_name(match["organ"])
                report.year = int(match["year"])
                title_end = start + n
                break
        if title_end:
            break
    if not title_end:
        problems.append("没有找到标题“××××年政府信息公开工作年度报告”，机关名称和年度需要手工填写")
    preamble = "".join(before[title_end:])
    patterns = {"address": r"地址[：:]\s*([^，,；;）)\n]+)", "phone": r"(?:联系)?电话[：:]\s*((?:[（(]\d{3,4}[)）])?[0-9０-９\-－— ]{6,})",
                "website": r"可以?(?:在|登录|通过)(.+?)(?:查阅|下载|浏览)"
                           r"|(?:通过|在|登录)([^，,。；;]{0,40}?网站\s*[（(][^）)]{4,100}[）)])\s*(?:上)?(?:公布|公开|发布)"}
    for key, pattern in patterns.items():
        match = re.search(pattern, preamble)
        if match:
            found = next(g for g in match.groups() if g)
            setattr(report.organ, key, found.strip().rstrip("，,。"))
    report.organ.website = website_address(report.organ.website)
    if report.organ.name:
        report.organ.level = guess_level(report.organ.name)
        notes.append(level_note(report.organ.name, report.organ.level))


def _closing(report: Report, texts: dict[str, list[str]], notes: list[str]) -> None:
    """The organ's name and the date at the end are the closing, not text of 六."""
    last = next((k for k in reversed(list(texts)) if texts[k]), None)
    if last is None:
        return
    lines = texts[last]
    while lines and (_DATE.match(lines[-1]) or lines[-1] == report.organ.name or lines[-1].startswith("附件：")):
        lines.pop()
