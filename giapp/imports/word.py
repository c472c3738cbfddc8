"""Last year's Word report, made with anybody's template: organ and year from the title, contact
data from the preamble, the sections by their headings, the tables by their labels."""

import re
from pathlib import Path

from docx import Document as WordDocument
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from ..errors import GiappError
from ..form import MAIN_FORM, load_form
from ..report import Report
from . import Imported
from .common import MIN_SCORE, TITLE, annex_form, detect_format, guess_level, level_note, read_grids
from .safety import check_office_file
from .tables import Grid, core, table_score

_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_ITEM_END = re.compile(r"[；;：:。.，,\s]+$")


def _grid(table: WordTable, name: str) -> Grid:
    try:
        cells = table._cells  # merged regions repeat, as a grid
        cols = len(table.columns)
        rows = [cells[i:i + cols] for i in range(0, len(cells), cols)]
    except Exception:  # an irregular table: row by row
        rows = [list(row.cells) for row in table.rows]
    texts = [[c.text for c in row] for row in rows]
    region = [[id(c._tc) for c in row] for row in rows]
    return Grid(name, texts, region)


def _blocks(doc):
    """Paragraphs and tables in document order."""
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, doc)
        elif tag == "tbl":
            yield WordTable(child, doc)


def _heading_core(text: str) -> str:
    return core(text).replace("、", "")


def read_word(path: Path) -> Imported:
    check_office_file(path, "docx")
    try:
        doc = WordDocument(str(path))
    except Exception as e:
        raise GiappError(f"“{path.name}”无法作为 Word 文档读取（{e.__class__.__name__}）") from None
    blocks: list = []
    for block in _blocks(doc):
        if isinstance(block, WordTable):
            blocks.append(_grid(block, f"第{sum(isinstance(b, Grid) for b in blocks) + 1}个表格"))
        else:
            blocks.append(block.text)
    return read_blocks(path, blocks)


def read_blocks(path: Path, blocks: list) -> Imported:
    """A report from its paragraphs (str) and tables (Grid) in document order: Word, web page, PDF."""
    form = load_form(MAIN_FORM)
    headings = {}
    for section in form.sections:
        for name in [section["heading"], *section.get("aliases", [])]:
            headings[_heading_core(name)] = section["id"]
    items = {i["id"]: _ITEM_END.sub("", core(i["title"])).removesuffix("情况") for i in form.section("s6")["items"]}

    report = Report(format=MAIN_FORM)
    problems, notes = [], []
    before: list[str] = []  # title and preamble
    texts: dict[str, list[str]] = {}
    grids: list[Grid] = []
    section = None
    item = None
    annex = False
    paragraphs: list[str] = []
    for block in blocks:
        if isinstance(block, Grid):
            grids.append(block)
            continue
        text = block.replace("\r", "").strip().strip("\u3000")
        if not text:
            continue
        paragraphs.append(text)
        head = _heading_core(text)
        if head in headings and len(text) < 40:
            section, item = headings[head], None
            continue
        if re.match(r"^附件\s*\d*\s*[:：]?\s*$", text):  # "附件" or "附件3" opens the annex
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
        texts.setdefault(item or section, []).append(text)

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
    report.values.update(read_grids(grids, forms, problems))
    return Imported(report, f"{form.title}（{form.basis}）", problems, notes)


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
    for n in range(1, min(3, len(before)) + 1):
        match = TITLE.match(re.sub(r"\s+", "", "".join(before[:n])))
        if match:
            report.organ.name = match["organ"].strip()
            report.year = int(match["year"])
            title_end = n
            break
    if not title_end:
        problems.append("没有找到标题“××××年政府信息公开工作年度报告”，机关名称和年度需要手工填写")
    preamble = "".join(before[title_end:])
    patterns = {"address": r"地址[：:]\s*([^，,；;）)\n]+)", "phone": r"(?:联系)?电话[：:]\s*((?:[（(]\d{3,4}[)）])?[0-9０-９\-－— ]{6,})",
                "website": r"可(?:在|登录|通过)(.+?)(?:查阅|下载|浏览)"}
    for key, pattern in patterns.items():
        match = re.search(pattern, preamble)
        if match:
            setattr(report.organ, key, match.group(1).strip().rstrip("，,。"))
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
