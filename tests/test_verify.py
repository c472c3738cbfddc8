"""`giapp verify`: each export read back and compared with the signed report (issue 14, part 1);
exports of a report changed behind giapp's back refused; JSON never brings a sign-off."""

import copy
import json
import re
import zipfile

import openpyxl
import pytest
from conftest import run_giapp
from docx import Document

from giapp import cli
from giapp.errors import GiappError
from giapp.export import write
from giapp.export.pdf import FontSet, _Template, _flowables, write_pdf
from giapp.export.blocks import build
from giapp.report import Report
from giapp.signoff import code
from giapp.store import ReportFile
from giapp.verify import check_export

PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}
OPEN_NATURAL = "三 自然人 三、本年度办理结果 · （一）予以公开"  # s3.r1.natural: 290 in the real report


@pytest.fixture
def signed(folder, signable_json):
    """A signed report file and its three exports, as giapp writes them."""
    path = folder / "沭阳 2025.gireport"
    ReportFile.create(path, Report.from_json(signable_json)).close()
    with ReportFile.open(path) as f:
        f.sign(PEOPLE, EXPLAIN)
        report = f.report
    assert report.values["s3.r1.natural"] == 290
    exports = {kind: write(kind, report, folder / f"沭阳 签发.{kind}") for kind in ("pdf", "docx", "xlsx")}
    return path, report, exports


def verify(capsys, *paths) -> tuple[int, str]:
    code_ = cli.main(["verify", *map(str, paths)])
    return code_, capsys.readouterr().out


def rezip(src, dst, change) -> None:
    """A copy of a .docx whose document.xml is changed as a clerk's word processor would save it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)


def test_genuine_exports_pass(signed, capsys):
    path, report, exports = signed
    rc, out = verify(capsys, path, *exports.values())
    assert rc == 0, out
    assert out.count("内容与签发的报告一致") == 3 and out.count(code(report.signoff["fingerprint"])) == 4


def test_an_edited_docx_figure_fails_named_by_its_cell(signed, folder, capsys):
    path, _, exports = signed
    word = Document(str(exports["docx"]))
    row = next(r for t in word.tables for r in t.rows if any(c.text == "（一）予以公开" for c in r.cells))
    cell = next(c for c in row.cells if c.text == "290")
    cell.paragraphs[0].runs[0].text = "390"
    edited = folder / "改过 的.docx"
    word.save(str(edited))
    rc, out = verify(capsys, path, edited)
    assert rc == 1
    assert f"{OPEN_NATURAL}：文件 290，导出件 390" in out
    assert "1处不同" in out  # the importer and the text comparison name it once


def test_a_docx_with_another_organ_fails(signed, folder, capsys):
    path, _, exports = signed
    other = folder / "别的机关.docx"
    rezip(exports["docx"], other, lambda xml: xml.replace("沭阳县人民政府", "泗阳县人民政府"))
    rc, out = verify(capsys, path, other)
    assert rc == 1
    assert "机关名称：文件 沭阳县人民政府，导出件 泗阳县人民政府" in out
    assert "落款（机关名称）" in out


def test_a_docx_with_an_edited_text_fails(signed, folder, capsys):
    path, _, exports = signed
    other = folder / "改字.docx"
    rezip(exports["docx"], other, lambda xml: xml.replace("拓宽主动公开渠道", "拓宽主动公开路子", 1))
    rc, out = verify(capsys, path, other)
    assert rc == 1 and "一、总体情况：文件“" in out and "渠道" in out and "路子" in out


def test_a_pdf_holding_nothing_but_the_code_fails(signed, folder, capsys):
    from reportlab.pdfgen import canvas

    path, report, _ = signed
    fake = folder / "只有校验码.pdf"
    fonts = FontSet()
    pdf = canvas.Canvas(str(fake))
    pdf.setFont(fonts.names["body"], 12)
    pdf.drawString(100, 780, f"校验码：{code(report.signoff['fingerprint'])}")
    pdf.save()
    rc, out = verify(capsys, path, fake)
    assert rc == 1
    assert "标题：文件“沭阳县人民政府2025年政府信息公开工作年度报告”，导出件中没有" in out
    assert "另有" in out  # hundreds of differences, the first ones listed


def test_an_edited_pdf_fails_and_names_the_cell_and_the_text(signed, folder):
    _, report, _ = signed
    changed = copy.deepcopy(report)  # the same sign-off and code, other content: an edited PDF
    changed.values["s3.r1.natural"] = 390
    changed.texts["s5"] = changed.texts["s5"].replace("政策解读", "政策宣讲", 1)
    pdf = write_pdf(changed, folder / "改过.pdf")
    result = check_export(report, pdf)
    assert result.code == code(report.signoff["fingerprint"])
    assert f"{OPEN_NATURAL}：文件 290，导出件 390" in result.differences
    assert any(d.startswith("五、存在的主要问题及改进情况：") and "政策宣讲" in d for d in result.differences)
    assert len(result.differences) == 2


def test_swapped_figures_in_a_pdf_fail(signed, folder):
    _, report, _ = signed
    changed = copy.deepcopy(report)
    v = changed.values
    v["s3.new.natural"], v["s3.new.total"] = v["s3.new.total"], v["s3.new.natural"]
    result = check_export(report, write_pdf(changed, folder / "对调.pdf"))
    assert sorted(result.differences) == ["三 总计 一、本年新收政府信息公开申请数量：文件 713，导出件 705",
                                          "三 自然人 一、本年新收政府信息公开申请数量：文件 705，导出件 713"]


def test_an_edited_visible_excel_sheet_fails(signed, folder, capsys):
    path, _, exports = signed
    book = openpyxl.load_workbook(exports["xlsx"])
    sheet = book["三、收到和处理政府信息公开申请情况"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == 290)
    cell.value = 390  # the hidden data sheet still says 290
    edited = folder / "改过 附表.xlsx"
    book.save(edited)
    rc, out = verify(capsys, path, edited)
    assert rc == 1 and f"{OPEN_NATURAL}：文件 290，导出件 390" in out


def test_an_excel_export_with_a_hidden_or_extra_sheet_fails(signed, folder):
    _, report, exports = signed
    book = openpyxl.load_workbook(exports["xlsx"])
    book["二、主动公开政府信息情况"].sheet_state = "hidden"
    book.create_sheet("另一张表")["A1"] = "行政许可 1"
    edited = folder / "多一张表.xlsx"
    book.save(edited)
    differences = check_export(report, edited).differences
    assert "工作表“二、主动公开政府信息情况”在导出件中被隐藏" in differences
    assert "导出件多出工作表“另一张表”" in differences


class _FooterTemplate(_Template):
    """The same pages with other running heads: the code in the footer, no names in a header,
    the page number as 第 N 页 (as a later layout may print them)."""

    def _decorate(self, canvas, _doc):
        f = self.fonts
        canvas.saveState()
        canvas.setFont(f.names["table"], 9)
        canvas.drawString(80, 40, f"第 {canvas.getPageNumber()} 页　校验码：{self._code}")
        canvas.drawString(80, 800, "政府信息公开工作年度报告")
        canvas.restoreState()


def test_running_heads_and_page_numbers_are_not_content(signed, folder):
    _, report, exports = signed
    the_code = code(report.signoff["fingerprint"])
    pdf = folder / "页脚.pdf"
    doc, fonts = build(report), FontSet()
    template = _FooterTemplate(pdf, doc, fonts)
    template._code = the_code
    template.build(_flowables(doc, fonts))
    result = check_export(report, pdf)
    assert result.code == the_code and result.differences == []
    word = Document(str(exports["docx"]))  # the code moved from the header into the footer
    for section in word.sections:
        for header in (section.header, section.even_page_header):
            for p in header.paragraphs:
                p.text = ""
        section.footer.paragraphs[0].add_run(f"　校验码：{the_code}")
    moved = folder / "页脚.docx"
    word.save(str(moved))
    result = check_export(report, moved)
    assert result.code == the_code and result.differences == []


def test_an_export_of_another_report_or_a_draft_fails(signed, folder, real_json, capsys):
    path, _, _ = signed
    draft = write("docx", Report.from_json(real_json), folder / "草稿.docx")
    rc, out = verify(capsys, path, draft)
    assert rc == 1 and "没有校验码" in out


def test_unreadable_exports_are_named(signed, folder, capsys):
    path, _, _ = signed
    broken = folder / "坏的.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    rc, out = verify(capsys, path, broken)
    assert rc == 2 and "坏的.pdf：无法读取" in out


# ---- a report changed behind giapp's back is neither exported nor printed


def _tamper(path) -> None:
    """Changed by someone who also recomputed the file's checksum (else the file is refused as damaged)."""
    from file_attacks import edit

    edit(path, "UPDATE cell SET value = '706' WHERE id = 's3.new.natural'", seal=True)


def test_export_refuses_a_tampered_report(signed, folder):
    path, _, _ = signed
    _tamper(path)
    with ReportFile.open(path, readonly=True) as f:
        report = f.report
    for kind in ("pdf", "docx", "xlsx"):
        with pytest.raises(GiappError, match="签发后内容被改动过.*不能导出或打印"):
            write(kind, report, folder / f"被改.{kind}")
        assert not (folder / f"被改.{kind}").exists()
    result = run_giapp("export", path, "--pdf", folder / "被改.pdf")
    assert result.returncode == 2 and "撤销签发" in result.stderr and not (folder / "被改.pdf").exists()


def test_the_window_refuses_to_export_or_print_a_tampered_report(signed, folder, qtbot, monkeypatch):
    from giapp.ui.app import make_app
    from giapp.ui.window import MainWindow

    path, _, _ = signed
    _tamper(path)
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    make_app()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.show()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    assert window._pdf_for_printing() is None
    assert "不能导出或打印" in window.message_bar.full and window.message_bar.isVisible()
    assert asked and "撤销签发" in asked[-1]  # offered
    window.message_bar.idle()
    assert window.export_files({"docx": folder / "窗口.docx"}) is None
    assert "不能导出或打印" in window.message_bar.full and len(asked) == 2
    assert not (folder / "窗口.docx").exists()
    # accepted: unsigned with a reason, so that it can be checked and signed again
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("签发后文件被他人改动，核实后重新签发", True))
    window.export_files({"docx": folder / "窗口.docx"})
    assert window.session.report.status == "draft"


# ---- JSON never brings a sign-off


def test_a_json_import_is_always_a_draft(signed, folder):
    path, _, _ = signed
    dumped = run_giapp("dump", path)
    data = json.loads(dumped.stdout)
    assert data["status"] == "signed" and data["signoff"]["fingerprint"]
    source = folder / "签发过的.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = folder / "读入.gireport"
    imported = run_giapp("import", out, source)
    assert imported.returncode == 0, imported.stderr
    assert "签发状态仅供参考" in imported.stdout
    with ReportFile.open(out, readonly=True) as f:
        assert f.report.status == "draft" and f.report.signoff is None
        assert not f.tampered
    checked = json.loads(run_giapp("check", "--json", source).stdout)
    assert checked[0]["status"] == "draft"
    assert re.search(r"签发状态仅供参考", run_giapp("new", folder / "新.gireport", "--from", source,
                                                    "--year", "2026").stdout)


def _png() -> bytes:
    """A 2×2 white PNG, made here."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_picture_laid_over_the_figures_or_a_number_format_that_prints_other_figures_fails(signed, folder):
    import io

    _, report, exports = signed
    word = Document(str(exports["docx"]))
    word.add_picture(io.BytesIO(_png()))  # a picture of other figures over the real ones
    pictured = folder / "有图.docx"
    word.save(str(pictured))
    assert any("图片" in d for d in check_export(report, pictured).differences)

    book = openpyxl.load_workbook(exports["xlsx"])
    sheet = book["三、收到和处理政府信息公开申请情况"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == 290)
    cell.number_format = '"390"'  # the value stays 290, the sheet shows 390
    shown = folder / "格式.xlsx"
    book.save(shown)
    assert any(d.startswith(f"{OPEN_NATURAL}：显示格式不同") for d in check_export(report, shown).differences)

    from reportlab.pdfgen import canvas

    png = folder / "图.png"
    png.write_bytes(_png())
    pdf = folder / "有图.pdf"
    page = canvas.Canvas(str(pdf))
    page.drawImage(str(png), 100, 400, 200, 200)
    page.save()
    assert any("图片" in d for d in check_export(report, pdf).differences)


@pytest.mark.parametrize("got, named", [
    ("行 290 7 1 下", "B：文件 1，导出件 7 1"), ("行 2900 1 下", "A：文件 290，导出件 2900"),
    ("行 290 下", "B：文件 1，导出件 空白"), ("行 2901 下", "B：文件 1，导出件 2901"),
    ("行 29 01 下", "A：文件 290，导出件 29 01"), ("行 1 290 下", "A：文件 290，导出件 1 290")])
def test_figures_moved_split_or_run_together_are_never_taken_for_label_order(got, named):
    """Labels of a table may come in another order from a PDF; a figure never does."""
    from giapp.verify import Owner, compare_text

    pieces = [(Owner("表格文字", table="t"), "行"), (Owner("A", "a", "t"), "290"), (Owner("B", "b", "t"), "1"),
              (Owner("表格文字", table="t"), "下")]
    assert compare_text(pieces, "行 290 1 下", lenient_tables=True) == []
    assert compare_text(pieces, "行\n290  1\r\n下", lenient_tables=True) == []
    for lenient in (False, True):
        assert named in [m for _, m in compare_text(pieces, got, lenient, {"t": "行"})]
