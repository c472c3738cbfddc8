"""The sign-off sheet (发文稿纸): written by `giapp export` and the window's export-all, read back
with poppler (pdftotext, pdfinfo)."""

import re
import subprocess
from datetime import date

import pytest
from conftest import run_giapp

from giapp.errors import GiappError
from giapp.export import default_targets, write
from giapp.report import Report
from giapp.signoff import code
from giapp.store import ReportFile
from giapp.verify import check_export

pytestmark = pytest.mark.needs_linux_tools  # poppler and LibreOffice read what we write

DAY = date(2026, 1, 23)
PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}


def pages(pdf, mode: str = "-raw") -> list[str]:
    """Each page's text; -raw: in the order drawn, so that a wrapped cell's lines stay together."""
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", mode, "-f", str(i), "-l", str(i), pdf, "-"], capture_output=True,
                           text=True, check=True).stdout for i in range(1, n + 1)]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def signed(folder, signable_json) -> Report:
    path = folder / "沭阳 签发.gireport"
    ReportFile.create(path, Report.from_json(signable_json)).close()
    with ReportFile.open(path) as f:
        f.sign(PEOPLE, EXPLAIN)
        return f.report


@pytest.mark.parametrize("organ", ["沭阳县人民政府", "江苏省宿迁市沭阳县沭城街道办事处社会事业和公共服务局（政务公开办）"])
def test_signed_sheet_names_the_people_the_date_the_code_and_every_explanation(organ, folder, signable_json):
    signable_json["organ"]["name"] = organ
    path = folder / "签发 单位.gireport"
    ReportFile.create(path, Report.from_json(signable_json)).close()
    with ReportFile.open(path) as f:
        f.sign(PEOPLE, EXPLAIN)
        report = f.report
    sheet = write("sheet", report, folder / "签发单 2025.pdf", DAY)
    text = pages(sheet)
    whole = flat("".join(text))
    for fact in ("发文稿纸", f"{organ}2025年政府信息公开工作年度报告", organ, "2025年度", "填报人：张三",
                 "审核人：李四", "签发人：王五", "2026年1月20日", code(report.signoff["fingerprint"])):
        assert flat(fact) in whole, fact
    for rule, explanation in EXPLAIN.items():  # every 说明, beside its rule
        assert rule in whole and flat(explanation) in whole, rule
    assert "校验发现" in whole and "草稿" not in whole
    assert check_export(report, sheet).code == code(report.signoff["fingerprint"])  # giapp verify reads it from the footer
    info = subprocess.run(["pdfinfo", sheet], capture_output=True, text=True, check=True).stdout
    assert "A4" in info and "签发单" in info


def test_draft_sheet_is_a_blank_form_marked_draft_on_every_page(folder, real_json):
    report = Report.from_json(real_json)
    text = pages(write("sheet", report, folder / "草稿 签发单.pdf", DAY))
    assert text and all("草稿" in page for page in text)
    whole = flat("".join(text))
    assert "填报人：" in whole and "签发人：" in whole and "校验码" in whole  # the fields, to fill by hand
    assert not any(name in whole for name in ("张三", "李四", "王五")) and "2026年1月20日" not in whole
    assert "签发后由软件生成" in whole and "沭阳县人民政府" in whole
    assert check_export(report, folder / "草稿 签发单.pdf").code is None


def test_sheet_must_be_a_pdf(folder, real_json):
    with pytest.raises(GiappError, match=r"\.pdf"):
        write("sheet", Report.from_json(real_json), folder / "签发单.docx", DAY)


def test_command_line_writes_the_sheet_alone_or_with_the_rest(folder, signable_json, signed):
    report = next(folder.glob("*.gireport"))
    only = run_giapp("export", report, "--sheet", folder / "只要 签发单.pdf")
    assert only.returncode == 0, only.stderr
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".gireport") == ["只要 签发单.pdf"]
    assert "王五" in "".join(pages(folder / "只要 签发单.pdf"))
    every = run_giapp("export", report)
    assert every.returncode == 0, every.stderr
    for kind, target in default_targets(report.absolute(), signed).items():
        assert target.exists() and target.stat().st_size > 3000, kind
    assert default_targets(report, signed)["sheet"].name.endswith("（签发单）.pdf")
    assert every.stdout.count("已导出") == 4 and "签发单" in every.stdout


def test_export_all_in_the_window_writes_the_sheet_too(qtbot, folder, signed):
    from giapp.ui.app import make_app
    from giapp.ui.window import MainWindow

    make_app()
    window = MainWindow(ReportFile.open(next(folder.glob("*.gireport"))))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.export_all() or window._export_job.done, timeout=120000) as blocker:
        pass
    written, problems = blocker.args
    assert problems == [] and any(p.name.endswith("（签发单）.pdf") for p in written) and len(written) == 4
    window.close()
