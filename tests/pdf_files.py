"""A PDF drawn the way print drivers draw reports: fixtures for the PDF importer.

Nothing here uses giapp. The report is drawn with reportlab's canvas (the Adobe CID font
STSong-Light, nothing embedded): a running header on every page ("政务公开专栏") and page numbers
"- N -" at the foot, a frame around the text area, the title centred over two lines, paragraphs wrapped by hand with a first-line
indent, 二 drawn inside a form XObject (moved by the page's matrix) with its rules as filled thin
rectangles, 三 with stroked lines cut in two across a page break (the second part without header
rows), 四 with three header rows, and the closing organ and date right-aligned.

- ``drawn_pdf(path, data)``: data is a report JSON dict (the official 2021 layout)
"""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

import clerk_files

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595, 842
LEFT, RIGHT, TOP, BOTTOM = 80, 515, 770, 80
BODY = 12
HEADER = "政务公开专栏"


class _Writer:
    def __init__(self, path: Path):
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.page = 1
        self.y = TOP
        self.forms = 0
        self._frame()

    def _frame(self):
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(PAGE_W / 2, 805, HEADER)
        self.c.drawCentredString(PAGE_W / 2, 40, f"- {self.page} -")
        self.c.setLineWidth(1)
        self.c.rect(45, 55, PAGE_W - 90, 740)  # a frame around the text area, as some templates have

    def new_page(self):
        self.c.showPage()
        self.page += 1
        self.y = TOP
        self._frame()

    def need(self, height):
        if self.y - height < BOTTOM:
            self.new_page()

    def centred(self, text, size):
        self.need(size * 1.6)
        self.y -= size * 1.6
        self.c.setFont(FONT, size)
        self.c.drawCentredString(PAGE_W / 2, self.y, text)

    def right(self, text):
        self.need(BODY * 1.8)
        self.y -= BODY * 1.8
        self.c.setFont(FONT, BODY)
        self.c.drawRightString(RIGHT, self.y, text)

    def paragraph(self, text, indent=True):
        per_line = int((RIGHT - LEFT) / BODY)
        first = per_line - 2 if indent else per_line
        lines = [text[:first]] + [text[i:i + per_line] for i in range(first, len(text), per_line)]
        for n, line in enumerate(lines):
            self.need(BODY * 1.8)
            self.y -= BODY * 1.8
            self.c.setFont(FONT, BODY)
            x = LEFT + (2 * BODY if n == 0 and indent else 0)
            if n < len(lines) - 1:  # justified: the line fills the measure
                gap = (RIGHT - x - pdfmetrics.stringWidth(line, FONT, BODY)) / max(len(line) - 1, 1)
                self.c.drawString(x, self.y, line, charSpace=gap)
            else:
                self.c.drawString(x, self.y, line)

    def table(self, layout, widths, fill, row_h=22, size=6.5, form=False):
        rows, cells = layout
        self.need(rows * row_h + 6)
        top = self.y - 6
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        c = self.c
        if form:  # drawn in a form XObject, placed by a translation: its space is not the page's
            name = f"table{self.forms}"
            self.forms += 1
            c.beginForm(name)
            c.setFillGray(0)
            dx, dy = 7, -13
        else:
            dx = dy = 0
        for cell in cells:
            x0, x1 = xs[cell["c"]], xs[cell["c"] + cell["cs"]]
            y1 = top - cell["r"] * row_h
            y0 = y1 - cell["rs"] * row_h
            if form:
                for rx, ry, rw, rh in ((x0, y0, x1 - x0, 0.6), (x0, y1, x1 - x0, 0.6),
                                       (x0, y0, 0.6, y1 - y0), (x1, y0, 0.6, y1 - y0)):
                    c.rect(rx - dx, ry - dy, rw, rh, stroke=0, fill=1)
            else:
                c.setLineWidth(0.5)
                for a, b, d, e in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                    c.line(a, b, d, e)
        if form:  # the rules in the form, the text on the page
            c.endForm()
            c.saveState()
            c.translate(dx, dy)
            c.doForm(name)
            c.restoreState()
        for cell in cells:
            x0, x1 = xs[cell["c"]], xs[cell["c"] + cell["cs"]]
            y1 = top - cell["r"] * row_h
            y0 = y1 - cell["rs"] * row_h
            text = cell["text"] if "text" in cell else fill(cell["cell"])
            per_line = max(int((x1 - x0 - 4) / size), 1)
            parts = [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]
            c.setFont(FONT, size)
            middle = (y0 + y1) / 2 + (len(parts) - 1) * size * 0.6 - size * 0.35
            for k, part in enumerate(parts):
                c.drawCentredString((x0 + x1) / 2, middle - k * size * 1.2, part)
        self.y = top - rows * row_h - 6

    def save(self):
        self.c.showPage()
        self.c.save()


def _number(value) -> str:
    return "" if value is None else str(value)


def drawn_pdf(path: Path, data: dict) -> Path:
    values = data["values"]
    organ = data["organ"]
    fill = lambda cell_id: _number(values.get(cell_id))  # noqa: E731
    w = _Writer(path)
    w.centred(organ["name"], 18)
    w.centred(f"{data['year']}年政府信息公开工作年度报告", 18)
    w.paragraph(f"本报告由{organ['name']}编制。本报告电子版可在{organ['website']}查阅或下载。如对本报告有疑问，请与"
                f"{organ['name']}联系（地址：{organ['address']}，联系电话：{organ['phone']}）。")
    sections = {"s1": "一、总体情况", "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项"}
    for key in ("s1",):
        w.paragraph(sections[key])
        for para in data["texts"][key].split("\n"):
            if para.strip():
                w.paragraph(para.strip())
    w.paragraph("二、主动公开政府信息情况")
    w.table(clerk_files._s2_layout(clerk_files._S2_BLOCKS_2021), (195, 80, 80, 80), fill, form=True)
    w.paragraph("三、收到和处理政府信息公开申请情况")
    first, second = clerk_files._s3_two_column_layouts(lambda row_id: ".")
    widths = (75, 150) + (30,) * 7
    w.new_page()
    w.table(first, widths, fill)
    w.new_page()  # the rest of the table on the next page, without its header
    w.table(second, widths, fill)
    w.paragraph("四、政府信息公开行政复议、行政诉讼情况")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    w.table(clerk_files._s4_layout(heads, heads), (29,) * 15, fill, row_h=26, size=6)
    for key in ("s5", "s6"):
        w.paragraph(sections[key])
        for para in data["texts"][key].split("\n"):
            if para.strip():
                w.paragraph(para.strip())
    w.right(organ["name"])
    w.right("2026年1月20日")
    w.save()
    return path
