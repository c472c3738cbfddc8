"""Web pages and web archives made the way offices publish reports: fixtures for importer tests.

Nothing here uses giapp. A Word file (from tests/clerk_files.py or any other) is written out as
Word's "save as web page" / paste-into-the-site's-editor markup: mso classes and styles, text in
nested spans, digits split over spans, <o:p>, &nbsp; indents, source lines wrapped in the middle
of Chinese text, merged cells as rowspan/colspan, headings as <p><b> or <strong>, and the site's
frame around it (navigation, breadcrumb, an index table that repeats the title, a layout table,
a footer with the site's details).

- ``word_page(docx, path, encoding="utf-8", frame=True)``: the page, in "utf-8" or "gbk" (declared
  as gb2312, as sites do)
- ``word_archive(docx, path, encoding="gbk")``: the same page as a web archive (.mht)
"""

import html
import quopri
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

FRAME_TOP = """<div class="top-nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a></div>
<div class=nav><ul><li><a href="/zfxxgk/">政府信息公开</a></li><li><a href="/ndbg/">政府信息公开年报</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告 &gt; {title}</div>
<table class="xxgk-info" border=1><tr><td>索引号：</td><td>014000000/2026-00012</td><td>发布机构：</td><td>{organ}</td></tr>
<tr><td>标题：</td><td colspan=3>{title}</td></tr><tr><td>发文日期：</td><td>2026-01-20</td><td>主题分类：</td><td>政务公开</td></tr></table>
<h1 class="article-title">{title}</h1>
<p class="article-info">发布时间：2026-01-20 10:30　来源：县政府办　字号：[大 中 小]</p>
"""
FRAME_BOTTOM = """<p style="text-align:right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</p>
<p>上一篇：<a href="/ndbg/2025.html">{organ}2024年政府信息公开工作年度报告</a></p>
<p>下一篇：<a href="/ndbg/2023.html">{organ}2023年政府信息公开工作年度报告</a></p>
<div class="xgwz"><p>相关文章</p><ul><li><a href="/ndbg/2022.html">{organ}2022年政府信息公开工作年度报告</a></li></ul></div>
<div class="footer"><p>主办单位：{organ}办公室　网站标识码：3213220001</p><p>苏ICP备05000000号　苏公网安备 32132202000000号</p></div>
<script>var _hmt = _hmt || []; document.write("统计");</script>
"""


def _wrap(text: str, width: int = 38) -> str:
    """Source lines broken in the middle of the text, as Word writes its HTML: between two
    Chinese characters (a browser shows nothing there), about every width characters."""
    out, run = [], 0
    for i, ch in enumerate(text):
        if run >= width and i and ord(text[i - 1]) > 0x2e80 and ord(ch) > 0x2e80:
            out.append("\r\n")
            run = 0
        out.append(ch)
        run += 1
    return "".join(out)


def _spans(text: str, size: str) -> str:
    """Text in nested spans; a number split over two spans as Word does after an edit."""
    esc = html.escape(text, quote=False)
    if text.strip().isdigit() and len(text.strip()) > 1:
        t = text.strip()
        return (f"<span lang=EN-US style='font-size:{size};font-family:\"Times New Roman\"'>{t[:1]}"
                f"<span style='mso-spacerun:yes'>{t[1:]}</span></span>")
    return (f"<span style='font-size:{size};font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>"
            f"<span lang=EN-US>{_wrap(esc)}</span></span>")


def _paragraph(p: Paragraph, n: int) -> str:
    text = p.text
    if not text.strip():
        return "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    bold = bool(p.runs) and all(r.bold for r in p.runs if r.text.strip())
    centered = p.alignment is not None and int(p.alignment) == 1
    if centered:
        return (f"<p class=MsoNormal align=center style='text-align:center;mso-line-height-rule:exactly'><b>"
                f"{_spans(text, '22.0pt')}</b><span lang=EN-US><o:p></o:p></span></p>")
    inner = _spans(text, "16.0pt")
    if bold:
        inner = f"<strong>{inner}</strong>" if n % 2 else f"<b style='mso-bidi-font-weight:normal'>{inner}</b>"
    indent = "&nbsp;&nbsp;&nbsp;&nbsp;" if n % 3 == 0 else ""
    return (f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt'>"
            f"{indent}{inner}<span lang=EN-US><o:p></o:p></span></p>")


def _table(table: Table) -> str:
    """The table with its merged cells as rowspan/colspan."""
    cols = len(table.columns)
    cells = table._cells
    grid = [cells[i:i + cols] for i in range(0, len(cells), cols)]
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=604 "
           "style='width:453.1pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>"]
    done = set()
    for r, row in enumerate(grid):
        out.append(f" <tr style='mso-yfti-irow:{r};height:20.0pt'>")
        for c, cell in enumerate(row):
            tc = cell._tc
            if id(tc) in done:
                continue
            done.add(id(tc))
            cs = 1
            while c + cs < cols and row[c + cs]._tc is tc:
                cs += 1
            rs = 1
            while r + rs < len(grid) and grid[r + rs][c]._tc is tc:
                rs += 1
            span = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
            paras = "".join(
                f"<p class=MsoNormal align=center style='text-align:center'>{_spans(p.text, '10.5pt')}"
                f"<span lang=EN-US><o:p></o:p></span></p>" if p.text.strip() else
                "<p class=MsoNormal align=center><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
                for p in cell.paragraphs)
            out.append(f"  <td width=80{span} valign=middle style='border:solid windowtext 1.0pt;"
                       f"mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>\r\n  {paras}</td>")
        out.append(" </tr>")
    out.append("</table>")
    return "\r\n".join(out)


def _body(docx: Path) -> tuple[str, str, str]:
    doc = Document(str(docx))
    parts, title, n = [], [], 0
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            if len(title) < 2 and p.text.strip():
                title.append(p.text.strip())
            parts.append(_paragraph(p, n))
            n += 1
        elif tag == "tbl":
            parts.append(_table(Table(child, doc)))
    whole = "".join(title)
    organ = whole.split("20", 1)[0] if "年" in whole else title[0]
    return "\r\n".join(parts), whole, organ


def _page(docx: Path, charset: str, frame: bool) -> str:
    body, title, organ = _body(docx)
    top = FRAME_TOP.format(title=title, organ=organ) if frame else ""
    bottom = FRAME_BOTTOM.format(organ=organ) if frame else ""
    report = f"<div class=WordSection1 style='layout-grid:15.6pt'>\r\n{body}\r\n</div>"
    if frame:  # the old sites' layout table around everything
        report = (f"<table width=1000 align=center><tr><td>{top}</td></tr><tr><td class=\"article\">"
                  f"<div id=\"zoom\">{report}</div></td></tr></table>{bottom}")
    return (
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"\r\n"
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">\r\n"
        f"<head>\r\n<meta http-equiv=Content-Type content=\"text/html; charset={charset}\">\r\n"
        "<meta name=ProgId content=Word.Document>\r\n<meta name=Generator content=\"Microsoft Word 15\">\r\n"
        f"<title>{html.escape(title)}</title>\r\n"
        "<!--[if gte mso 9]><xml>\r\n <w:WordDocument>\r\n  <w:View>Normal</w:View>\r\n </w:WordDocument>\r\n"
        "</xml><![endif]-->\r\n<style>\r\n<!--\r\n p.MsoNormal, li.MsoNormal, div.MsoNormal\r\n"
        "\t{mso-style-parent:\"\";margin:0cm;text-align:justify;font-size:10.5pt;font-family:等线;}\r\n-->\r\n"
        f"</style>\r\n</head>\r\n<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\r\n"
        f"{report}\r\n</body>\r\n</html>\r\n")


def word_page(docx: Path, path: Path, encoding: str = "utf-8", frame: bool = True) -> Path:
    charset = "gb2312" if encoding == "gbk" else "utf-8"
    path.write_bytes(_page(docx, charset, frame).encode(encoding, errors="xmlcharrefreplace"))
    return path


def word_archive(docx: Path, path: Path, encoding: str = "gbk") -> Path:
    charset = "gb2312" if encoding == "gbk" else "utf-8"
    page = quopri.encodestring(_page(docx, charset, True).encode(encoding, errors="xmlcharrefreplace")).decode("ascii")
    boundary = "----=_NextPart_01DA5C3E.8A1B2C30"
    image = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    text = (
        "MIME-Version: 1.0\r\n"
        f"Content-Type: multipart/related; boundary=\"{boundary}\"; type=\"text/html\"\r\n\r\n"
        "此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n".encode("utf-8").decode("ascii", "ignore")
        + f"--{boundary}\r\nContent-Location: file:///C:/0B7F6C3A/report.htm\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Type: text/html; charset=\"{charset}\"\r\n\r\n{page}\r\n\r\n"
        f"--{boundary}\r\nContent-Location: file:///C:/0B7F6C3A/report.files/image001.png\r\n"
        "Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\n"
        f"{image}\r\n\r\n--{boundary}--\r\n")
    path.write_bytes(text.encode("ascii"))
    return path
