"""The sign-off sheet (发文稿纸): one A4 form, printed with the report for the paper file.

It carries what the published copy leaves out: who prepared, reviewed and signed the report, the
sign-off date and the verification code that the published pages carry in their footers, and the
check result with every 说明 given for a warning. For a draft it is a blank form marked 草稿, to be
filled in and signed by hand."""

from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from ..document import title
from ..report import Report
from ..rules import SEVERITY_NAMES, check, counts, sorted_findings
from .blocks import chinese_date
from .paper import BOTTOM_MM, LEFT_MM, MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, RIGHT_MM, SIZES, TEXT_HEIGHT_MM, TEXT_WIDTH_PT, TOP_MM
from .pdf import FontSet

PAGE = (PAGE_WIDTH_MM * MM, PAGE_HEIGHT_MM * MM)
RULE = "#B01C1C"  # the red of a 发文稿纸's lines and labels
LABEL_COLUMN = 0.16 * TEXT_WIDTH_PT
BLANK_DATE = "\u00a0" * 10 + "年" + "\u00a0" * 6 + "月" + "\u00a0" * 6 + "日"  # room to write by hand


def _styles(f: FontSet) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=f.names["body"], fontSize=SIZES["四号"], leading=SIZES["四号"] * 1.5,
                          wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontName=f.names["title"], fontSize=26,  # 一号
                                leading=26 * 1.3, alignment=TA_CENTER, textColor=RULE),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER, textColor=RULE),
        "label": ParagraphStyle("label", parent=base, fontName=f.names["h1"], alignment=TA_CENTER, textColor=RULE),
        "cell": base,
        "small": ParagraphStyle("small", parent=base, fontName=f.names["table"], fontSize=SIZES["五号"],
                                leading=SIZES["五号"] * 1.45),
        "small-head": ParagraphStyle("small-head", parent=base, fontName=f.names["h1"], fontSize=SIZES["五号"],
                                     leading=SIZES["五号"] * 1.45, alignment=TA_CENTER),
        "rule": ParagraphStyle("rule", parent=base, fontName=f.names["table"], fontSize=SIZES["小五"],
                               leading=SIZES["小五"] * 1.5, wordWrap=None),
        "note": ParagraphStyle("note", parent=base, fontName=f.names["table"], fontSize=SIZES["小五"],
                               leading=SIZES["小五"] * 1.5, textColor="#404040"),
    }


def summary(report: Report, stage: str) -> tuple[str, list]:
    """The check result in a sentence, and its findings (errors first)."""
    findings = sorted_findings(check(report, stage))
    errors, warnings = counts(findings)
    if not findings:
        return "校验未发现问题。", findings
    explained = sum(1 for f in findings if f.severity == "warning" and f.explained)
    parts = ([f"{errors}个错误"] if errors else []) + ([f"{warnings}个警告（已说明{explained}个）"] if warnings else [])
    return "校验发现" + "、".join(parts) + "，详见下表。", findings


def _people(report: Report) -> dict:
    """The names and the date as printed: blank lines on a draft's form."""
    signed = report.status == "signed" and report.signoff
    s = report.signoff or {}
    if not signed:
        return {"preparer": "", "reviewer": "", "approver": "", "date": BLANK_DATE, "code": ""}
    from ..signoff import code

    try:
        day = chinese_date(date.fromisoformat(s.get("date", "")))
    except (TypeError, ValueError):
        day = s.get("date", "")
    return {"preparer": s.get("preparer", ""), "reviewer": s.get("reviewer", ""), "approver": s.get("approver", ""),
            "date": day, "code": code(s.get("fingerprint", ""))}


def _flowables(report: Report, f: FontSet, today: date) -> list:
    st = _styles(f)
    draft = not (report.status == "signed" and report.signoff)
    people = _people(report)

    def p(text: str, style: str = "cell") -> Paragraph:
        role = {"title": "title", "label": "h1", "small-head": "h1"}.get(style, "table" if style in ("small", "note") else "body")
        return Paragraph(f.markup(text, role).replace("\n", "<br/>"), st[style])

    w = TEXT_WIDTH_PT
    if people["code"]:  # in one face: 3F2A-9C01-7B44
        latin = f.names.get("latin") or f.names["table"]
        code_cell = Paragraph(f'<font name="{latin}">{people["code"]}</font>', st["cell"])
    else:
        code_cell = p("（签发后由软件生成，抄录于此）", "note")
    sign_col = (w - LABEL_COLUMN) / 2
    organ = report.organ.name or "（机关名称）"
    rows = [
        [p("签发", "label"), p(f"签发人：{people['approver']}\n\n签字：\n\n日期：{people['date']}"), "", ""],
        [p("审核", "label"), p(f"审核人：{people['reviewer']}\n签字："), p("填报", "label"),
         p(f"填报人：{people['preparer']}\n签字：")],
        [p("标题", "label"), p(title(report)), "", ""],
        [p("发文机关", "label"), p(organ), p("报告年度", "label"), p(f"{report.year}年度" if report.year else "")],
        [p("校验码", "label"), code_cell, "", ""],
        [p("校验结果", "label"), p(summary(report, "draft" if draft else "signoff")[0]), "", ""],
    ]
    widths = [LABEL_COLUMN, sign_col - LABEL_COLUMN / 2, LABEL_COLUMN, sign_col - LABEL_COLUMN / 2]
    spans = [((1, 0), (3, 0)), ((1, 2), (3, 2)), ((1, 4), (3, 4)), ((1, 5), (3, 5))]
    style = [("GRID", (0, 0), (-1, -1), 0.8, RULE), ("BOX", (0, 0), (-1, -1), 1.6, RULE),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 6),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 6)]
    style += [("SPAN", a, b) for a, b in spans]
    out = [p("发文稿纸", "title"), p("政府信息公开工作年度报告签发单" + ("（草稿）" if draft else ""), "subtitle"),
           Spacer(1, 6 * MM),
           Table(rows, colWidths=widths, rowHeights=[None] * len(rows), style=TableStyle(style))]
    stage = "draft" if draft else "signoff"
    _, findings = summary(report, stage)
    explained_rules = {f.rule for f in findings}
    others = [(rule, text) for rule, text in sorted(report.explanations.items()) if rule not in explained_rules and text]
    if findings or others:
        head = [p(t, "small-head") for t in ("规则", "类别", "内容", "说明")]
        body = [[p(x.rule, "rule"), p(SEVERITY_NAMES[x.severity], "small"), p(x.message, "small"),
                 p(report.explanations.get(x.rule, "") or ("（未说明）" if x.severity == "warning" else ""), "small")]
                for x in findings]
        body += [[p(rule, "rule"), p("说明", "small"), p("（该警告现已不再出现）", "small"), p(text, "small")]
                 for rule, text in others]
        cols = [0.22 * w, 0.08 * w, 0.40 * w, 0.30 * w]
        out += [Spacer(1, 5 * MM), p("校验结果与说明", "label"), Spacer(1, 2 * MM),
                Table([head] + body, colWidths=cols, repeatRows=1,
                      style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]))]
    out += [Spacer(1, 5 * MM)] + [p(line, "note") for line in (  # short lines: none breaks before a ；
        "本签发单随报告纸质件归档，不公开。",
        "公开的报告（Word、PDF、Excel）不印人员姓名，只在每页页脚印校验码。",
        "用 giapp verify 可核对导出文件所印校验码与报告文件是否一致。",
        f"打印日期：{chinese_date(today)}。")]
    return out


class _Sheet(BaseDocTemplate):
    def __init__(self, target, report: Report, f: FontSet):
        super().__init__(str(target), pagesize=PAGE, leftMargin=LEFT_MM * MM, rightMargin=RIGHT_MM * MM,
                         topMargin=TOP_MM * MM, bottomMargin=BOTTOM_MM * MM, title=f"{title(report)}（签发单）",
                         author=report.organ.name, subject="政府信息公开工作年度报告签发单", creator="giapp",
                         initialFontName=f.names["body"], initialFontSize=SIZES["三号"])
        self.fonts = f
        self.draft = not (report.status == "signed" and report.signoff)
        self.code = "" if self.draft else _people(report)["code"]
        frame = Frame(LEFT_MM * MM, BOTTOM_MM * MM, TEXT_WIDTH_PT, TEXT_HEIGHT_MM * MM, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas, _doc):
        f = self.fonts
        canvas.saveState()
        canvas.setFont(f.names["page"], SIZES["五号"])
        canvas.setFillColor("#404040")
        footer = f"签发单 第 {canvas.getPageNumber()} 页"
        if self.code:  # as on the published pages, so that giapp verify reads it here too
            footer += f"　　校验码：{self.code}"
        canvas.drawCentredString(PAGE[0] / 2, (BOTTOM_MM - 12) * MM, footer)
        if self.draft:  # a blank form: 草稿 at the top and across the page
            canvas.setFillColorRGB(0.75, 0.1, 0.1)
            canvas.setFont(f.names["h1"], SIZES["四号"])
            canvas.drawRightString(LEFT_MM * MM + TEXT_WIDTH_PT, PAGE[1] - (TOP_MM - 12) * MM, "草稿")
            canvas.setFont(f.names["h1"], 96)
            canvas.setFillColorRGB(0.88, 0.88, 0.88)
            canvas.translate(PAGE[0] / 2, PAGE[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, -30, "草稿")
        canvas.restoreState()


def write_sheet(report: Report, target, today: date | None = None) -> Path:
    """Write the sign-off sheet as PDF to target; returns the path."""
    target = Path(target)
    f = FontSet()
    _Sheet(target, report, f).build(_flowables(report, f, today or date.today()))
    return target
