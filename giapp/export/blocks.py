"""The report as a sequence of blocks, in the order of the official outline. The Word and PDF
writers both draw these blocks, so that the two documents say the same thing."""

import re
from dataclasses import dataclass, field
from datetime import date

from ..document import preamble, title
from ..form import Form, Table, load_form
from ..report import Report
from ..values import format_value
from .paper import TEXT_WIDTH_PT, TITLE_PT

SUBHEADING = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]")  # （一）… in 楷体
HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、")  # 一、… in 黑体
MAX_HEADING = 30  # characters: a longer line is a paragraph, perhaps with a run-in heading


@dataclass
class Block:
    kind: str  # title, body, h1, h2, table, attachment, annex_label, annex_title, note, closing, date, page_break
    text: str = ""
    form: Form | None = None
    table: Table | None = None
    bookmark: str = ""  # an entry of the PDF outline / Word navigation
    lead: str = ""  # a run-in heading at the start of a body paragraph: "（一）思想认识不足。"


@dataclass
class Document:
    title: str
    organ: str
    blocks: list[Block] = field(default_factory=list)
    draft: bool = True
    values: dict = field(default_factory=dict)
    code_line: str = ""  # signed: "校验码：…" in small print in every page's footer (no staff names)

    def cell_text(self, cid: str) -> str:
        return format_value(self.values.get(cid))


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def code_line(report: Report) -> str:
    """In every page's footer of a signed report: the verification code, and no staff names (those
    go on the sign-off sheet, giapp/export/sheet.py)."""
    if report.status != "signed" or not report.signoff:
        return ""
    from ..signoff import code

    return f"校验码：{code(report.signoff.get('fingerprint', ''))}"


def text_blocks(text: str) -> list[Block]:
    """A clerk's text: one block a line; （一） lines are sub-headings."""
    blocks = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip().strip("\u3000")
        if not line:
            continue
        if SUBHEADING.match(line) or HEADING.match(line):
            stop = line.find("。")
            if len(line) <= MAX_HEADING and stop in (-1, len(line) - 1):
                blocks.append(Block("h2", line))  # a heading line of its own
                continue
            if 0 < stop <= MAX_HEADING:  # a run-in heading: its first sentence in 楷体, the rest 仿宋
                blocks.append(Block("body", line[stop + 1:], lead=line[: stop + 1]))
                continue
        blocks.append(Block("body", line))
    return blocks


# Where a title may break: after the organ's name, after the year, after an administrative unit of the
# name; never inside a word (政府信息, 公开, 工作, 年度报告, 统计表, a number).
UNIT_ENDS = ("人民政府", "办事处", "委员会", "管委会", "办公室", "街道", "省", "市", "区", "县", "旗", "镇", "乡", "局", "厅",
             "中心", "所", "站")
WORDS = ("政府信息", "公开", "工作", "年度报告", "情况", "统计表", "人民政府", "街道办事处", "委员会", "办公室", "自治区",
         "自治州", "自治县", "自治旗")


def _title_width(text: str) -> float:
    return sum(TITLE_PT / 2 if ch.isascii() else TITLE_PT for ch in text)


TITLE_MEASURE = TEXT_WIDTH_PT - TITLE_PT  # a character to spare: word processors may space figures out


def break_title(text: str, organ: str = "") -> str:
    """A title too long for one line (二号, 156 mm) broken into as few lines as fit, at the best points:
    after the organ's name, after the year, between words; lines as even as may be."""
    if _title_width(text) <= TITLE_MEASURE or "\n" in text:
        return text
    cost = {}  # break before position i: its cost
    for i in range(1, len(text)):
        if text[i - 1].isascii() and text[i].isascii() or text[i] in "年" and text[i - 1].isdigit():
            continue  # inside a number, or between a year and its 年
        cost[i] = 50  # between any two characters: worse than a line more
    for word in WORDS:
        for m in re.finditer(word, text):
            for i in range(m.start() + 1, m.end()):
                cost.pop(i, None)
            for i in (m.start(), m.end()):
                if i in cost:
                    cost[i] = min(cost[i], 4)
    year = re.search(r"\d{4}年", text)
    if year:
        cost.pop(year.start() + 1, None)
        for i in (year.start(), year.end()):
            if i in cost:
                cost[i] = 2 if i == year.start() else 3
    for unit in UNIT_ENDS:
        for m in re.finditer(unit, text[: len(organ)] if organ and text.startswith(organ) else ""):
            if m.end() in cost:
                cost[m.end()] = min(cost[m.end()], 5)
    if organ and text.startswith(organ) and len(organ) in cost:
        cost[len(organ)] = 0
    best = None
    points = sorted(cost)

    def search(start: int, chosen: list):
        nonlocal best
        rest = text[start:]
        if _title_width(rest) <= TITLE_MEASURE:
            lines = [text[a:b] for a, b in zip([0, *chosen], [*chosen, len(text)])]
            widths = [_title_width(line) for line in lines]
            score = 20 * len(lines) + sum(cost[c] for c in chosen) + (max(widths) - min(widths)) / TITLE_PT / 4
            if best is None or score < best[0]:
                best = (score, chosen)
            return
        if len(chosen) >= 3:
            return
        for i in points:
            if i > start and _title_width(text[start:i]) <= TITLE_MEASURE:
                search(i, chosen + [i])

    search(0, [])
    if best is None:
        return text
    return "\n".join(text[a:b] for a, b in zip([0, *best[1]], [*best[1], len(text)]))


def build(report: Report, today: date | None = None) -> Document:
    form = load_form(report.format)
    signed = report.status == "signed" and report.signoff
    day = date.fromisoformat(report.signoff["date"]) if signed and report.signoff.get("date") else (today or date.today())
    doc = Document(title(report), report.organ.name, draft=not signed, values=report.values,
                   code_line=code_line(report))
    blocks = doc.blocks
    blocks.append(Block("title", break_title(doc.title, doc.organ)))
    blocks += [Block("body", p) for p in preamble(report)]
    for section in form.sections:
        blocks.append(Block("h1", section["heading"], bookmark=section["heading"]))
        if section["kind"] == "table":
            blocks.append(Block("table", form=form, table=form.tables[section["table"]]))
            continue
        blocks += text_blocks(report.text(section["id"]))
        for item in section.get("items", []):
            body = text_blocks(report.text(item["id"])) if item["id"] in report.s6_items() else []
            if body:  # an empty item is never printed as a bare heading (and blocks sign-off)
                blocks.append(Block("h2", item["title"]))
                blocks += body
    annex = load_form(report.annex) if report.annex else None
    if annex:
        blocks.append(Block("attachment", f"附件：{annex.title}"))
    blocks.append(Block("closing", report.organ.name))
    blocks.append(Block("date", chinese_date(day)))
    if annex:
        blocks.append(Block("page_break"))
        blocks.append(Block("annex_label", "附件"))
        for section in annex.sections:
            table = annex.tables[section["table"]]
            heading = f"{report.organ.name}{report.year}年{table.title}"
            blocks.append(Block("annex_title", break_title(heading, report.organ.name), bookmark=f"附件：{table.title}"))
            blocks.append(Block("table", form=annex, table=table))
    return doc
