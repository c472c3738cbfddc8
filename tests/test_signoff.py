"""Sign-off, lock, unlock, audit trail and verification, through the core, the command line and
the window; the tampering case included."""

import json
import re
import subprocess

import pytest
from conftest import run_giapp
from file_attacks import edit
from PySide6.QtCore import Qt

from giapp.errors import GiappError
from giapp.export import write
from giapp.report import Report
from giapp.signoff import code, obstacles
from giapp.store import ContentMismatch, ReportFile
from giapp.verify import check_export

PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}


@pytest.fixture
def path(folder, signable_json):
    p = folder / "沭阳 2025.gireport"
    ReportFile.create(p, Report.from_json(signable_json)).close()
    return p


def audit_count(p) -> int:
    with ReportFile.open(p, readonly=True) as f:
        return len(f.audit())


def test_sign_is_refused_while_something_stands_in_the_way(path):
    before = audit_count(path)
    with ReportFile.open(path) as f:
        f.report.values["s2.licensing"] = None  # a blank
        kinds = {o.kind for o in obstacles(f.report)}
        assert kinds == {"unexplained", "blank"}
        with pytest.raises(GiappError) as e:
            f.sign(PEOPLE, EXPLAIN)
        assert "不能签发" in str(e.value) and "未填写" in str(e.value)
        assert f.report.status == "draft" and "W-oversight" not in f.report.explanations
    assert audit_count(path) == before


def test_empty_items_and_missing_contact_block_sign_off(folder, real_json):
    report = Report.from_json(real_json)  # as imported: 六 as one text, its five default items empty
    found = {o.rule: o for o in obstacles(report)}
    empty = sorted(r for r in found if r.startswith("W-item-empty."))
    assert empty == [f"W-item-empty.s6.{i}" for i in range(1, 6)]
    assert found["W-item-empty.s6.2"].kind == "text" and "落实上级年度政务公开工作要点" in found["W-item-empty.s6.2"].message
    assert "取消选用" in found["W-item-empty.s6.2"].message and "取消选用" not in found["W-item-empty.s6.1"].message
    assert "W-preamble.website" not in found and "W-preamble.contact" not in found
    report.texts["s6.1"] = report.texts.pop("s6")
    report.settings["s6_items"] = ["s6.1"]
    assert not any(r.startswith("W-item-empty.") for r in (o.rule for o in obstacles(report)))
    report.organ.website, report.organ.phone = "", " "
    assert "W-preamble.contact" not in {o.rule for o in obstacles(report)}  # the address is enough
    report.organ.address = ""
    blocking = {o.rule: o for o in obstacles(report)}
    assert blocking["W-preamble.website"].kind == "organ" and "网站" in blocking["W-preamble.website"].message
    assert "联系电话" in blocking["W-preamble.contact"].message
    path = folder / "缺联系方式.gireport"
    ReportFile.create(path, report).close()
    with ReportFile.open(path) as f, pytest.raises(GiappError, match="网站"):
        f.sign(PEOPLE, EXPLAIN)


@pytest.mark.needs_linux_tools
def test_sign_locks_the_report_and_the_exports_lose_the_draft_mark(path, folder):
    with ReportFile.open(path) as f:
        signoff = f.sign(PEOPLE, EXPLAIN)
        assert f.report.status == "signed" and len(signoff["fingerprint"]) == 64
        for change in (lambda: f.set_value("s3.new.natural", 1), lambda: f.set_text("s1", "x"),
                       lambda: f.set_organ(phone="1"), lambda: f.set_explanation("W-oversight", "改")):
            with pytest.raises(GiappError, match="已签发"):
                change()
        report = f.report
    the_code = code(signoff["fingerprint"])
    pdf = write("pdf", report, folder / "签发.pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True).stdout
        # the code on every page, and no staff names (they go on the sign-off sheet)
        assert f"校验码：{the_code}" in text and "草稿" not in text, n
        assert not any(name in text for name in ("张三", "李四", "王五")), n
    assert check_export(report, write("docx", report, folder / "签发.docx")).code == the_code
    assert check_export(report, write("xlsx", report, folder / "签发.xlsx")).code == the_code
    from docx import Document

    word = Document(str(folder / "签发.docx"))
    assert "2026年1月20日" in [p.text for p in word.paragraphs]
    section = word.sections[0]
    for footer in (section.footer, section.even_page_footer):
        assert f"校验码：{the_code}" in "\n".join(p.text for p in footer.paragraphs)
    assert not "".join(p.text for h in (section.header, section.even_page_header) for p in h.paragraphs)


def test_command_line_sign_verify_tamper_unsign(path, folder):
    refused = run_giapp("sign", path, "--preparer", "张三", "--reviewer", "李四", "--approver", "王五")
    assert refused.returncode == 1 and "不能签发" in refused.stderr and "监督保障" in refused.stderr
    args = ["sign", path, "--preparer", "张三", "--reviewer", "李四", "--approver", "王五", "--date", "2026-01-20"]
    for rule, text in EXPLAIN.items():
        args += ["--explain", f"{rule}={text}"]
    signed = run_giapp(*args)
    assert signed.returncode == 0, signed.stderr
    the_code = re.search(r"校验码 (\S+)", signed.stdout).group(1)
    assert run_giapp(*args).returncode == 2  # already signed
    exported = run_giapp("export", path, "--pdf", folder / "a.pdf", "--docx", folder / "a.docx", "--xlsx", folder / "a.xlsx")
    assert exported.returncode == 0
    assert not (folder / "a（签发单）.pdf").exists() and len(list(folder.glob("*签发单*"))) == 0  # only what was asked
    draft = folder / "草稿.pdf"
    write("pdf", Report.from_json(json.loads(run_giapp("dump", path).stdout) | {"status": "draft", "signoff": None}), draft)
    ok = run_giapp("verify", path, folder / "a.pdf", folder / "a.docx", folder / "a.xlsx")
    assert ok.returncode == 0 and ok.stdout.count(the_code) == 4 and "未改动" in ok.stdout
    mixed = run_giapp("verify", path, folder / "a.pdf", draft)
    assert mixed.returncode == 1 and "没有校验码" in mixed.stdout

    signed_copy = path.read_bytes()
    edit(path, "UPDATE cell SET value = '706' WHERE id = 's3.new.natural'")  # changed with sqlite3
    tampered = run_giapp("verify", path, folder / "a.pdf")
    assert tampered.returncode == 1 and "已被改动" in tampered.stdout and "内容校验" in tampered.stdout
    with pytest.raises(ContentMismatch):
        ReportFile.open(path, readonly=True)
    with ReportFile.open(path, salvage=True) as f:
        assert f.tampered and f.readonly and f.damage
    path.write_bytes(signed_copy)
    edit(path, "UPDATE cell SET value = '706' WHERE id = 's3.new.natural'", seal=True)  # checksum made again
    tampered = run_giapp("verify", path, folder / "a.pdf")
    assert tampered.returncode == 1 and "已被改动" in tampered.stdout and "内容校验" not in tampered.stdout
    with ReportFile.open(path, readonly=True) as f:
        assert f.tampered

    assert run_giapp("unsign", path, "--reason", "").returncode == 2
    unsigned = run_giapp("unsign", path, "--reason", "数据录入有误，需更正")
    assert unsigned.returncode == 0
    data = json.loads(run_giapp("dump", path).stdout)
    assert data["status"] == "draft" and data["signoff"] is None
    actions = [(row["action"], row["new"]) for row in data["audit"]]
    assert any(a == "sign" and "王五" in n for a, n in actions)
    unsign = next(row for row in data["audit"] if row["action"] == "unsign")
    assert "数据录入有误" in unsign["new"] and len(re.search(r"指纹 ([0-9a-f]+)", unsign["old"]).group(1)) == 64
    assert all(row["user"] for row in data["audit"])


def test_verify_refuses_other_files(folder, real_json):
    other = folder / "别的.gireport"
    ReportFile.create(other, Report.from_json(real_json)).close()
    result = run_giapp("verify", other)
    assert result.returncode == 1 and "尚未签发" in result.stdout


# ---- the window


def test_sign_off_in_the_window(qtbot, path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from giapp.ui.app import make_app
    from giapp.ui.window import MainWindow

    make_app()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.show()
    window.session.set_values({"s4.direct.pending": None})  # a blank
    dialog = window.sign_dialog()
    qtbot.addWidget(dialog)
    items = [dialog.list.item(i).data(Qt.UserRole) for i in range(dialog.list.count())]
    assert {o.kind for o in items} == {"blank", "unexplained"} and not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    blank = next(i for i in range(dialog.list.count()) if items[i].kind == "blank")
    qtbot.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=dialog.list.visualItemRect(dialog.list.item(blank)).center())
    view = window.page("s4").view
    assert window.current_section() == "s4"
    assert {view.grid_model.cell_id(i) for i in view.selectedIndexes()} == {"s4.direct.pending"}
    assert dialog.fill.isVisible()
    dialog.fill.click()  # one undoable step
    assert window.session.report.values["s4.direct.pending"] == 0
    window.undo()
    assert window.session.report.values.get("s4.direct.pending") is None
    window.redo()
    for rule, text in EXPLAIN.items():
        window.session.set_explanation(rule, text)
    assert dialog.list.count() == 0 and dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.preparer.setText("张三")
    dialog.reviewer.setText("李四")
    dialog.approver.setText("")
    dialog._sign()
    assert "签发人" in dialog.problem.text() and window.session.report.status == "draft"
    dialog.approver.setText("王五")
    dialog._sign()
    assert window.session.report.status == "signed"
    assert "已签发" in window.banner.text() and "王五" in window.banner.text() and "[已签发]" in window.windowTitle()
    view = window.page("s3").view
    assert not view.grid_model.flags(view.grid_model.index_of("s3.new.natural")) & Qt.ItemIsEditable
    assert window.page("s1").editors[0].edit.isReadOnly()
    assert not window.session.undo.canUndo()
    audit = window.audit_dialog()
    qtbot.addWidget(audit)
    actions = [audit.table.item(r, 2).text() for r in range(audit.table.rowCount())]
    assert "签发" in actions and "说明" in actions
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("发现错误", True))
    window.unsign_dialog()
    assert window.session.report.status == "draft" and not window.banner.isVisible()
    view = window.page("s3").view
    assert view.grid_model.flags(view.grid_model.index_of("s3.new.natural")) & Qt.ItemIsEditable


def test_a_tampered_report_says_so_when_opened(qtbot, path):
    from giapp.ui.app import make_app
    from giapp.ui.window import MainWindow

    with ReportFile.open(path) as f:
        f.sign(PEOPLE, EXPLAIN)
    edit(path, "UPDATE text SET body = body || '（改）' WHERE key = 's1'", seal=True)
    make_app()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and "被改动" in window.banner.text()
