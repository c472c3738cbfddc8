"""The window's manners, each found by trying it: names in the audit trail, 说明 as decisions, a locked
report locks every control, stale exports after re-signing, the manual without a browser, a new
report never saved over another file, Qt's own texts in Chinese, the window where it was left."""

from pathlib import Path

import pytest
from conftest import run_giapp
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QInputDialog, QMessageBox, QPlainTextEdit, QPushButton

from giapp.errors import GiappError
from giapp.report import Report
from giapp.store import ReportFile
from giapp.ui.app import make_app
from giapp.ui.window import MainWindow

PEOPLE = {"preparer": "张三", "reviewer": "李四", "approver": "王五", "date": "2026-01-20"}
EXPLAIN = {"X-carried.natural": "上年报告为纸质文件", "X-carried.total": "上年报告为纸质文件",
           "W-oversight": "见总体情况第三段"}


@pytest.fixture
def path(folder, signable_json) -> Path:
    p = folder / "沭阳 2025.gireport"
    ReportFile.create(p, Report.from_json(signable_json)).close()
    return p


def window_on(qtbot, path: Path) -> MainWindow:
    make_app()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.show()
    return window


def sign(window) -> None:
    for rule, text in EXPLAIN.items():
        window.session.set_explanation(rule, text)
    window.session.sign(PEOPLE)


def test_qt_speaks_chinese():
    make_app()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QFileDialog", "Open") == "打开"


def test_the_audit_trail_names_places_as_the_form_does(qtbot, path):
    window = window_on(qtbot, path)
    window.session.set_values({"s2.rules.issued": 3})
    window.session.set_explanation("W-oversight", "见总体情况第三段")
    sign(window)
    window.unsign("发现第三部分数字有误，需要重新核对后再签发")
    dialog = window.audit_dialog()
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(6)] for r in range(dialog.table.rowCount())]
    assert any(row[3] == "二 规章 本年制发件数" and row[5] == "3" for row in rows)
    assert any(row[3].startswith("说明 W-oversight") for row in rows)
    unsign = next(row for row in rows if row[2] == "撤销签发")
    assert "发现第三部分数字有误，需要重新核对后再签发" in unsign[5]
    # the reason is readable in full: its row is tall enough for the wrapped text
    r = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 2).text() == "撤销签发")
    assert dialog.table.rowHeight(r) >= dialog.table.fontMetrics().height()
    assert dialog.table.columnWidth(3) >= 200


def test_an_explanation_is_a_decision_of_four_characters_at_least(qtbot, path, folder):
    with ReportFile.open(path) as f:
        with pytest.raises(GiappError, match="太短"):
            f.set_explanation("W-oversight", "无")
        with pytest.raises(GiappError, match="太短"):
            f.sign(PEOPLE, {**EXPLAIN, "W-oversight": "ok"})
        assert f.report.status == "draft"
    result = run_giapp("sign", path, "--preparer", "张三", "--reviewer", "李四", "--approver", "王五",
                       *[a for rule in EXPLAIN for a in ("--explain", f"{rule}={'是' if rule == 'W-oversight' else EXPLAIN[rule]}")])
    assert result.returncode != 0 and "太短" in result.stdout + result.stderr
    window = window_on(qtbot, path)
    assert not window.session.set_explanation("W-oversight", "无")
    assert "太短" in window.message_bar.full and "W-oversight" not in window.session.report.explanations


def test_a_file_holding_a_short_explanation_still_opens(path):
    from file_attacks import edit

    edit(path, "INSERT INTO explanation(rule, body) VALUES ('W-oversight', '无')", seal=True)  # as older giapp wrote
    with ReportFile.open(path, readonly=True) as f:
        assert f.report.explanations["W-oversight"] == "无"


def test_the_sign_dialog_lists_every_explanation(qtbot, path):
    window = window_on(qtbot, path)
    for rule, text in EXPLAIN.items():
        window.session.set_explanation(rule, text)
    dialog = window.sign_dialog()
    qtbot.addWidget(dialog)
    shown = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
    assert len(shown) == len(EXPLAIN) and all(any(text in s for s in shown) for text in EXPLAIN.values())
    assert "3条说明" in dialog.notes_label.text()


def test_a_signed_report_disables_every_editing_control(qtbot, path):
    window = window_on(qtbot, path)
    sign(window)
    for section in window.sections():
        window.goto_section(section)
    for page in window.built_pages():
        for edit in page.findChildren(QPlainTextEdit):
            assert edit.isReadOnly(), page
        for button in page.findChildren(QPushButton):
            assert not button.isEnabled(), button.text()
        for box in page.findChildren(QCheckBox):
            assert not box.isEnabled(), box.text()
    editor = window.page("s1").editors[0]
    before = window.session.report.text("s1")
    editor.insert_outline()
    editor.commit()
    assert window.session.report.text("s1") == before


def test_re_signing_says_the_exports_are_stale_and_offers_the_last_names(qtbot, path, monkeypatch):
    from giapp import export

    window = window_on(qtbot, path)
    sign(window)
    for kind, target in export.default_targets(path, window.session.report).items():
        export.write(kind, window.session.report, target)
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True) if not asked.append(1) and len(asked) == 1
                        else ("签发后发现数字有误", True))
    window.unsign_dialog()
    assert len(asked) == 2 and window.session.report.status == "draft"  # the empty reason kept it open
    questions = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: questions.append(a[2]) or QMessageBox.No)
    dialog = window.sign_dialog()
    qtbot.addWidget(dialog)
    assert (dialog.preparer.text(), dialog.reviewer.text(), dialog.approver.text()) == ("张三", "李四", "王五")
    dialog._sign()
    assert window.session.report.status == "signed"
    assert questions and "过时" in questions[0] and "年度报告.pdf" in questions[0]
    assert "过时" in window.message_bar.full


def test_the_manual_without_a_browser_says_where_it_is(qtbot, path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    window = window_on(qtbot, path)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda *a: False)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(a[2]))
    assert window.open_manual() is False
    assert said and "index.html" in said[0] and "浏览器" in said[0]
    manual = (Path(__file__).resolve().parents[1] / "resources" / "manual" / "index.html").read_text(encoding="utf-8")
    assert "工具 → 汇总多个单位的报告" in manual


def test_a_new_report_is_never_saved_over_another_file(qtbot, path, folder, monkeypatch):
    window = window_on(qtbot, path)
    before = path.read_bytes()
    offered = []
    answers = iter([str(path), None])

    def save_dialog(parent, title, proposal, *args):
        offered.append(proposal)
        answer = next(answers)
        return (answer if answer else proposal), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    target = window.ask_new_path("保存新报告", path)
    assert warned and "正在本窗口中打开" in warned[0]
    assert offered[0] != str(path) and offered[1] != str(path) and not Path(offered[1]).exists()
    assert target == Path(offered[1]) and path.read_bytes() == before


def test_the_edit_menu_pastes_clears_and_names_what_undo_undoes(qtbot, path):
    window = window_on(qtbot, path)
    texts = [a.text() for a in window.menuBar().actions()[1].menu().actions()]
    assert "粘贴(&P)" in texts and "清除(&D)" in texts
    window.session.set_values({"s3.new.natural": 9})
    assert window.undo_action.text() == "撤销“填写 三 一、本年新收政府信息公开申请数量 自然人”(&U)"
    window.goto_section("s3")
    view = window.page("s3").view
    view.setCurrentIndex(view.grid_model.index_of("s3.new.natural"))
    view.setFocus()
    QApplication.clipboard().setText("11")
    window.actions_by_slot["paste"].trigger()
    assert window.session.report.values["s3.new.natural"] == 11
    window.actions_by_slot["clear"].trigger()
    assert window.session.report.values.get("s3.new.natural") is None


def test_the_window_stands_where_it_was_left(qtbot, path):
    window = window_on(qtbot, path)
    window.resize(760, 540)
    window.splitter.setSizes([230, 500])
    sizes = window.splitter.sizes()
    window.close()
    again = window_on(qtbot, path)
    assert (again.width(), again.height()) == (760, 540)
    assert again.splitter.sizes()[0] == sizes[0]


def test_the_first_window_fits_the_screen(qtbot, path):
    make_app()
    screen = QApplication.primaryScreen().availableGeometry()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    assert window.width() <= screen.width() and window.height() + 40 <= screen.height()
    window.show()
    assert window.dock.height() <= window.height() / 4 + 1 or window.dock.height() <= 160


def test_an_empty_item_in_the_sign_dialog_goes_to_its_editor(qtbot, path, monkeypatch):
    window = window_on(qtbot, path)
    data = window.session.report_data()
    window.session.set_report_data({**data, "s6_items": ["s6.1", "s6.2"]})
    dialog = window.sign_dialog()
    qtbot.addWidget(dialog)
    items = [dialog.list.item(i) for i in range(dialog.list.count())]
    empty = next(i for i in items if i.data(Qt.UserRole).rule == "W-item-empty.s6.2")
    qtbot.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=dialog.list.visualItemRect(empty).center())
    assert window.current_section() == "s6"
    editor = next(e for e in window.page("s6").editors if e.key == "s6.2")
    assert QApplication.focusWidget() is editor.edit or editor.edit.hasFocus() or window.focusWidget() is editor.edit


def test_checking_and_adding_up_units_leaves_nothing_beside_their_files(folder):
    """A read-only `giapp check` or 汇总 of a unit left with a WAL by a crash (an older giapp) or
    with a hot journal: the unit's files stay as they were, and no -wal/-shm appears beside them."""
    import subprocess
    import sys

    from test_store_attacks import KILLER, ROOT, WAL_WRITER

    from giapp.store import write_new_file

    units = folder / "各单位"
    units.mkdir()
    old = units / "旧版 崩溃.gireport"
    report = Report(year=2023)
    report.organ.name = "旧镇人民政府"
    write_new_file(old, report, schema_version=2)
    subprocess.run([sys.executable, "-c", WAL_WRITER, str(old)], cwd=ROOT, timeout=60)
    hot = units / "新版 中断.gireport"
    report.organ.name = "新镇人民政府"
    ReportFile.create(hot, report).close()
    subprocess.run([sys.executable, "-c", KILLER, str(hot), "settings", "2"], cwd=ROOT, timeout=60)
    before = {p.name: p.read_bytes() for p in units.iterdir()}
    assert old.name + "-wal" in before and hot.name + "-journal" in before
    result = run_giapp("check", old, hot)
    assert result.returncode in (0, 1), result.stderr  # read, with its findings
    out = folder / "汇总.xlsx"
    result = run_giapp("aggregate", units, "-o", out, "--year", "2023")
    assert out.exists(), result.stdout + result.stderr
    assert {p.name: p.read_bytes() for p in units.iterdir()} == before


def test_fonts_of_another_kind_are_said_once_before_exporting(qtbot, path, folder, monkeypatch):
    from giapp import recent
    from giapp.export import fonts

    monkeypatch.setattr(fonts, "fallback_notice", lambda: "本机未安装以下公文字体：\n标题：用宋体代替")
    window = window_on(qtbot, path)
    box = window.font_notice()
    assert box is not None and box.isVisible() and not box.isModal() and "公文字体" in box.text()
    assert window.font_notice() is None  # once
    box.checkBox().setChecked(True)
    box.accept()
    assert recent.notice_off("fonts")
    window.close()
    again = window_on(qtbot, path)
    assert again.font_notice() is None


def test_the_text_against_table_check_follows_just_after_the_window_shows(qtbot, folder, signable_json):
    signable_json["texts"]["s1"] = "本年共收到政府信息公开申请5件。" + signable_json["texts"]["s1"]
    p = folder / "文中数字.gireport"
    ReportFile.create(p, Report.from_json(signable_json)).close()
    window = window_on(qtbot, p)
    qtbot.waitUntil(lambda: any(f.rule == "W-text-table.new" for f in window.session.findings), timeout=2000)
    assert any("W-text-table.new" == window.checks.list.item(i).data(Qt.UserRole).rule
               for i in range(window.checks.list.count()))
