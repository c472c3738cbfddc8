"""The clerk's window, driven as a clerk drives it: real widgets, real keys, a real file."""

from pathlib import Path

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox

from giapp.report import Report
from giapp.store import ReportFile
from giapp.ui.app import make_app
from giapp.ui.texts import TextPage
from giapp.ui.window import GridPage, MainWindow


@pytest.fixture
def report_path(folder, real_json) -> Path:
    path = folder / "沭阳县 2025.gireport"
    ReportFile.create(path, Report.from_json(real_json)).close()
    return path


@pytest.fixture
def blank_path(folder) -> Path:
    path = folder / "新镇 2025.gireport"
    report = Report(year=2025)
    report.organ.name = "新镇人民政府"
    ReportFile.create(path, report).close()
    return path


def open_window(qtbot, path: Path) -> MainWindow:
    make_app()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def grid_for(window: MainWindow, section: str):
    window.goto_section(section)
    page = window.page(section)
    assert isinstance(page, GridPage)
    return page.view


def ime(widget, text: str) -> None:
    """What a Chinese input method sends: a commit string, not key presses."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def type_into(qtbot, view, cid: str, text: str, key=Qt.Key_Return):
    view.setCurrentIndex(view.grid_model.index_of(cid))
    view.setFocus()
    if not text.isascii():
        ime(view, text)
    for ch in text if text.isascii() else "":  # keys go where the focus is: the first opens the editor
        qtbot.keyClicks(QApplication.focusWidget(), ch)
    editor = QApplication.focusWidget()
    assert editor is not view, "typing did not open an editor"
    qtbot.keyClick(editor, key)


def saved_values(path: Path) -> dict:
    with ReportFile.open(path, readonly=True) as f:
        return dict(f.report.values)


def test_typing_saves_recomputes_and_moves_down(qtbot, blank_path):
    window = open_window(qtbot, blank_path)
    view = grid_for(window, "s3")
    type_into(qtbot, view, "s3.new.natural", "12")
    assert window.session.report.values["s3.new.natural"] == 12
    assert window.session.report.values["s3.new.total"] == 12  # derived, as one types
    assert view.grid_model.cell_id(view.currentIndex()) == "s3.carried.natural"  # Enter moved down
    type_into(qtbot, view, "s3.carried.natural", "１２", Qt.Key_Tab)  # full-width digits from an IME
    assert window.session.report.values["s3.carried.natural"] == 12
    assert view.grid_model.cell_id(view.currentIndex()) == "s3.carried.commercial"  # Tab moved on
    window.close()
    values = saved_values(blank_path)  # saved at once, no Save needed
    assert values["s3.new.natural"] == 12 and values["s3.carried.natural"] == 12 and values["s3.new.total"] == 12


@pytest.mark.parametrize("text, reason", [("abc", "不是数字"), ("-3", "负数"), ("2.5", "整数"), ("1000000000", "过大")])
def test_bad_input_is_refused_and_the_cell_keeps_its_value(qtbot, report_path, text, reason):
    window = open_window(qtbot, report_path)
    view = grid_for(window, "s3")
    type_into(qtbot, view, "s3.new.legal", text)
    assert window.session.report.values["s3.new.legal"] == 5
    message = window.message_bar.full
    assert window.message_bar.isVisible() and reason in message and "法律服务机构" in message and "原值" in message
    assert view.grid_model.cell_id(view.currentIndex()) == "s3.new.legal"  # stays for a correction
    window.close()
    assert saved_values(report_path)["s3.new.legal"] == 5


def test_amount_takes_six_decimals(qtbot, report_path):
    window = open_window(qtbot, report_path)
    view = grid_for(window, "s2")
    type_into(qtbot, view, "s2.fees", "5949.088667")
    assert str(window.session.report.values["s2.fees"]) == "5949.088667"
    type_into(qtbot, view, "s2.fees", "1.2345678")
    assert str(window.session.report.values["s2.fees"]) == "5949.088667" and "6位小数" in window.message_bar.full


def test_derived_cells_are_shaded_and_not_editable(qtbot, report_path):
    window = open_window(qtbot, report_path)
    view = grid_for(window, "s3")
    model = view.grid_model
    total = model.index_of("s3.r7.natural")
    assert not model.flags(total) & Qt.ItemIsEditable
    assert model.flags(model.index_of("s3.r1.natural")) & Qt.ItemIsEditable
    assert model.data(total, Qt.BackgroundRole) is not None and model.data(model.index_of("s3.r1.natural"), Qt.BackgroundRole) is None
    assert "自动计算" in model.data(total, Qt.ToolTipRole)


def test_paste_a_block_from_wps(qtbot, blank_path):
    window = open_window(qtbot, blank_path)
    view = grid_for(window, "s3")
    view.setCurrentIndex(view.grid_model.index_of("s3.new.natural"))
    # two rows of six columns as WPS copies them, total column included (it is computed, so skipped)
    QGuiApplication.clipboard().setText("3\t0\t0\t0\t1\t0\t4\r\n1\t0\tx\t0\t0\t-2\t1\r\n")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_V, Qt.ControlModifier)
    values = window.session.report.values
    assert (values["s3.new.natural"], values["s3.new.legal"], values["s3.new.total"]) == (3, 1, 4)
    assert values["s3.carried.natural"] == 1 and values.get("s3.carried.research") is None
    summary = window.message_bar.full
    assert "2个值被拒绝" in summary and "科研机构" in summary and "不是数字" in summary and "负数" in summary
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)  # the paste is one undo step
    assert values.get("s3.new.natural") is None and values.get("s3.carried.natural") is None


def test_paste_of_the_wrong_shape_is_refused_whole(qtbot, blank_path):
    window = open_window(qtbot, blank_path)
    view = grid_for(window, "s4")
    view.setCurrentIndex(view.grid_model.index_of("s4.direct.upheld"))
    refused = view.paste("1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11")
    assert refused and "超出了表格" in window.message_bar.full
    assert all(v is None for k, v in window.session.report.values.items() if k.startswith("s4."))


def test_delete_clears_and_undo_redo(qtbot, report_path):
    window = open_window(qtbot, report_path)
    view = grid_for(window, "s4")
    model = view.grid_model
    view.setCurrentIndex(model.index_of("s4.review.upheld"))
    view.selectionModel().select(model.index_of("s4.review.corrected"), view.selectionModel().SelectionFlag.Select)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Delete)
    values = window.session.report.values
    assert values["s4.review.upheld"] is None and values["s4.review.corrected"] is None
    assert values["s4.review.total"] == 24  # 9 + 15 left
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert values["s4.review.upheld"] == 27 and values["s4.review.total"] == 61
    qtbot.keyClick(view, Qt.Key_Y, Qt.ControlModifier)
    assert values["s4.review.upheld"] is None
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    window.close()
    assert saved_values(report_path)["s4.review.upheld"] == 27


def test_text_edits_are_saved_and_undone(qtbot, report_path):
    window = open_window(qtbot, report_path)
    window.goto_section("s5")
    page = window.page("s5")
    assert isinstance(page, TextPage)
    edit = page.editors[0].edit
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    ime(edit, "补充一句。")
    page.commit()
    assert window.session.report.texts["s5"].endswith("补充一句。")
    assert "字数" in page.editors[0].count.text()
    qtbot.keyClick(edit, Qt.Key_Z, Qt.ControlModifier)
    assert not window.session.report.texts["s5"].endswith("补充一句。")
    assert not edit.toPlainText().endswith("补充一句。")
    qtbot.keyClick(edit, Qt.Key_Y, Qt.ControlModifier)
    assert edit.toPlainText().endswith("补充一句。")
    window.close()
    with ReportFile.open(report_path, readonly=True) as f:
        assert f.report.texts["s5"].endswith("补充一句。")


def test_outline_and_preamble(qtbot, blank_path):
    window = open_window(qtbot, blank_path)
    window.goto_section("s1")
    page = window.page("s1")
    assert "新镇人民政府" in page.preamble.text() and "2025年1月1日" in page.preamble.text()
    assert "（五）监督保障情况" in page.editors[0].edit.placeholderText()
    page.editors[0].insert_outline()
    page.commit()
    assert window.session.report.texts["s1"].startswith("（一）主动公开情况")


def test_checks_live_and_follow_a_finding(qtbot, report_path):
    window = open_window(qtbot, report_path)
    panel = window.checks
    assert panel.summary.text() == "0个错误，3个警告"
    view = grid_for(window, "s3")
    type_into(qtbot, view, "s3.r1.natural", "300")  # was 288: 三 no longer balances
    assert panel.list.item(0).text().startswith("✖ 错误")
    assert "R3-balance.natural" == panel.list.item(0).data(Qt.UserRole).rule
    assert "错误" in window.counts_label.text() and "2个错误" in window.counts_label.text()
    red = view.grid_model.data(view.grid_model.index_of("s3.next.natural"), Qt.ToolTipRole)
    assert "第一项+第二项" in red
    window.goto_section("s1")
    qtbot.mouseClick(panel.list.viewport(), Qt.LeftButton, pos=panel.list.visualItemRect(panel.list.item(0)).center())
    assert window.current_section() == "s3"
    selected = {view.grid_model.cell_id(i) for i in view.selectedIndexes()}
    assert selected == {"s3.new.natural", "s3.carried.natural", "s3.r7.natural", "s3.next.natural"}
    window.goto_section("s1")
    qtbot.keyClick(window, Qt.Key_F8)
    assert window.current_section() in ("s3", "s1")
    assert panel.list.currentRow() == 1


def test_a_warning_takes_an_explanation(qtbot, report_path):
    window = open_window(qtbot, report_path)
    panel = window.checks
    row = next(i for i in range(panel.list.count()) if panel.list.item(i).data(Qt.UserRole).rule == "W-oversight")
    panel.list.setCurrentRow(row)
    assert panel.explain.isVisible()
    panel.explain.setFocus()
    ime(panel.explain, "已在监督保障部分说明")
    panel._save_explanation()
    assert window.session.report.explanations["W-oversight"] == "已在监督保障部分说明"
    assert "已说明" in panel.list.item(row).text()
    window.close()
    with ReportFile.open(report_path, readonly=True) as f:
        assert f.report.explanations["W-oversight"] == "已在监督保障部分说明"


def test_report_data_and_annex(qtbot, report_path):
    window = open_window(qtbot, report_path)
    data = window.session.report_data()
    window.session.set_report_data({**data, "name": "沭阳县人民政府办公室", "level": "county-dept", "annex": "annex-stats"})
    assert "沭阳县人民政府办公室 2025年度" in window.windowTitle()
    assert window.nav.item(window.nav.count() - 1).text().startswith("附件")
    assert "沭阳县人民政府办公室" in window.page("s1").preamble.text()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert "沭阳县人民政府 2025年度" in window.windowTitle() and window.nav.count() == 6


def test_same_file_twice_is_refused(qtbot, report_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: said.append(a[2]))
    first = open_window(qtbot, report_path)
    other = MainWindow()
    qtbot.addWidget(other)
    assert not other.open_file(report_path)
    assert "已在另一个窗口或程序中打开" in said[0]
    first.close()
    assert other.open_file(report_path)
    other.close()


def test_readonly_report_shows_a_banner_and_cannot_be_edited(qtbot, report_path):
    make_app()
    window = MainWindow(ReportFile.open(report_path, readonly=True))
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and "只读" in window.banner.text() and "[只读]" in window.windowTitle()
    view = grid_for(window, "s3")
    assert not view.grid_model.flags(view.grid_model.index_of("s3.new.natural")) & Qt.ItemIsEditable
    assert view.paste("1") and window.session.report.values["s3.new.natural"] == 705


def test_new_open_save_copy_and_reopen_where_left(qtbot, folder, report_path):
    window = open_window(qtbot, report_path)
    data = {"name": "城关街道办事处", "level": "street", "year": 2025, "address": "", "phone": "", "website": "",
            "annex": None, "deadline": "2026-01-31", "s6_items": None}
    assert window.new_report(data, folder / "城关 街道")
    assert window.session.file.path.name == "城关 街道.gireport" and "城关街道办事处" in window.windowTitle()
    view = grid_for(window, "s4")
    view.setCurrentIndex(view.grid_model.index_of("s4.direct.pending"))
    assert window.save_copy(folder / "副本.gireport") and (folder / "副本.gireport").exists()
    assert window.open_file(report_path)  # leaves 城关 at s4 / s4.direct.pending
    assert window.open_file(folder / "城关 街道.gireport")
    assert window.current_section() == "s4"
    page = window.page("s4")
    assert page.model.cell_id(page.view.currentIndex()) == "s4.direct.pending"
    from giapp import recent
    assert [p.name for p in recent.recent_files()][:2] == ["城关 街道.gireport", report_path.name]


def test_reopening_builds_only_the_page_left_off(qtbot, report_path):
    from giapp import recent

    recent.remember(report_path, {"section": "s4", "cell": "s4.direct.pending"})
    window = open_window(qtbot, report_path)
    assert window.current_section() == "s4"
    assert window.built_pages() == [window.page("s4")]  # no other page was made at start
    page = window.page("s4")
    assert page.model.cell_id(page.view.currentIndex()) == "s4.direct.pending"
    assert window.dock.height() < window.height() / 3  # the check panel's first height: about a fifth


def test_the_command_line_opens_the_window_says_when_it_is_shown_and_collects_garbage_again(report_path):
    import os
    import subprocess
    import sys

    # a process of its own: an event loop that has quit leaves the test process's application unusable
    code = ("import gc, sys, giapp.cli\n"
            "rc = giapp.cli.main(sys.argv[1:])\n"
            "print('gc', gc.isenabled(), gc.get_freeze_count() > 0)\n"
            "sys.exit(rc)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GIAPP_EXIT_WHEN_SHOWN": "1"}
    result = subprocess.run([sys.executable, "-c", code, str(report_path)], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len([line for line in lines if line.startswith("shown ")]) == 1 and float(lines[0].split()[1]) > 0
    assert "gc True True" in lines  # no collection while starting; collecting again once the window was painted
    assert not report_path.with_name(report_path.name + "-wal").exists()  # closed: one self-contained file


def test_f6_cycles_the_focus(qtbot, report_path):
    window = open_window(qtbot, report_path)
    window.goto_section("s1")
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key_PageDown, Qt.ControlModifier)
    view = window.page("s2").view
    assert window.current_section() == "s2" and view.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_F6)
    assert window.checks.list.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_F6)
    assert window.nav.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_F6)
    assert view.hasFocus() and view.editTriggers() & QAbstractItemView.AnyKeyPressed


def test_fits_1366x768_at_150_percent(qtbot, report_path):
    window = open_window(qtbot, report_path)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 / 1.5 and hint.height() <= 768 / 1.5, hint
    window.resize(910, 512)
    for section in window.sections():
        window.goto_section(section)
        qtbot.wait(1)
    view = grid_for(window, "s3")
    assert view.isVisible() and view.viewport().height() > 100


def test_looking_at_every_page_changes_nothing(qtbot, user_dirs):
    """The demo's texts hold no-break spaces, which Qt's editor shows as spaces: looking is not editing."""
    from giapp.demo import demo_report_path

    path = demo_report_path()
    with ReportFile.open(path, readonly=True) as f:
        before, audit = f.report.to_json(), len(f.audit())
    window = open_window(qtbot, path)
    for section in window.sections():
        window.goto_section(section)
    window.goto_section("s1")
    assert window.session.last_saved is None and not window.session.undo.canUndo()
    window.close()
    with ReportFile.open(path, readonly=True) as f:
        assert f.report.to_json() == before and len(f.audit()) == audit


def test_report_data_dialog(qtbot):
    from giapp.ui.dialogs import ReportDataDialog

    make_app()
    data = {"name": "某镇人民政府", "level": "township", "address": "", "phone": "", "website": "", "year": 2025,
            "annex": None, "deadline": "", "s6_items": ["s6.1"]}
    dialog = ReportDataDialog(data)
    qtbot.addWidget(dialog)
    dialog.name.setText("  某街道办事处 ")
    dialog.level.setCurrentIndex(dialog.level.findData("street"))
    dialog.phone.setText("0537-1234567")
    dialog.annex.setChecked(True)
    got = dialog.data()
    assert got["name"] == "某街道办事处" and got["level"] == "street" and got["phone"] == "0537-1234567"
    assert got["annex"] == "annex-stats" and got["deadline"] == "2026-01-31" and got["s6_items"] == ["s6.1"]
    dialog.name.setText("")
    dialog._accept()
    assert "机关名称" in dialog.problem.text() and dialog.result() == 0


def test_units_are_shown(qtbot, report_path):
    from giapp.ui.window import table_units

    window = open_window(qtbot, report_path)
    form = window.session.report.forms()[0]
    assert table_units(form, form.tables["s3"]) == "（单位：件）"
    assert table_units(form, form.tables["s2"]) == "（单位：件；本年收费金额为万元）"


def test_export_from_the_window_runs_in_the_background(qtbot, report_path, folder):
    window = open_window(qtbot, report_path)
    targets = {"docx": folder / "导出 报告.docx", "pdf": folder / "导出 报告.pdf", "xlsx": folder / "导出 附表.xlsx"}
    with qtbot.waitSignal(window.export_files(targets).done, timeout=60000) as blocker:
        pass
    written, problems = blocker.args
    assert problems == [] and [p.name for p in written] == [t.name for t in targets.values()]
    assert all(t.exists() and t.stat().st_size > 5000 for t in targets.values())
    assert "已导出" in window.message_bar.full


def test_print_is_exactly_the_pdf(qtbot, report_path, folder):
    import pypdfium2
    from PySide6.QtPrintSupport import QPrinter

    from giapp.export import write
    from giapp.ui.printing import new_printer

    window = open_window(qtbot, report_path)
    exported = write("pdf", window.session.report, folder / "导出.pdf")
    printer = new_printer()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(folder / "打印 输出.pdf"))
    printer.setResolution(100)
    printer.setFromTo(2, 3)  # a page range
    assert window.print_to(printer, exported)
    printed, ours = pypdfium2.PdfDocument(str(folder / "打印 输出.pdf")), pypdfium2.PdfDocument(str(exported))
    assert len(printed) == 2
    for i, page in enumerate(printed):
        assert (round(page.get_width()), round(page.get_height())) == (595, 842)
        a = page.render(scale=0.5, prefer_bgrx=True)
        b = ours[i + 1].render(scale=0.5, prefer_bgrx=True)
        assert (a.width, a.height) == (b.width, b.height)
        pa, pb = bytes(a.buffer), bytes(b.buffer)
        differ = sum(1 for x, y in zip(pa[::97], pb[::97]) if abs(x - y) > 60) / len(pa[::97])
        assert differ < 0.02, differ  # the same page, pixel for pixel but for resampling
        c = ours[0].render(scale=0.5, prefer_bgrx=True)
        assert sum(1 for x, y in zip(pa[::97], bytes(c.buffer)[::97]) if abs(x - y) > 60) / len(pa[::97]) > 0.02
    printed.close()
    ours.close()


def test_fonts_dialog_names_a_font_for_each_role(qtbot, report_path, monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    window = open_window(qtbot, report_path)
    window.fonts_dialog()
    assert "正文（仿宋）" in said[0] and ".tt" in said[0]


def test_the_import_report_shows_a_name_as_written(qtbot, folder, real_json):
    import json

    from giapp.inputs import read_imported
    from giapp.ui.dialogs import ImportReportDialog

    real_json["organ"]["name"] = "<b>某</b>镇人民政府"
    source = folder / "上年.json"
    source.write_text(json.dumps(real_json, ensure_ascii=False, default=str), encoding="utf-8")
    dialog = ImportReportDialog(read_imported(source), ask=False)
    qtbot.addWidget(dialog)
    assert dialog.head.text().startswith("<b>某</b>镇人民政府 2025年度")
    assert dialog.head.textFormat() == Qt.PlainText


def test_new_from_last_years_word_report(qtbot, folder, real_json, monkeypatch):
    from datetime import date

    from giapp.export import write
    from giapp.inputs import read_imported
    from giapp.ui.dialogs import ImportReportDialog

    source = write("docx", Report.from_json(real_json), folder / "上年 报告.docx", date(2026, 1, 23))
    window = MainWindow()
    qtbot.addWidget(window)
    imported = read_imported(source)
    dialog = ImportReportDialog(imported, ask=True)
    qtbot.addWidget(dialog)
    lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any("机关层级按名称" in line for line in lines)
    assert window.new_from_last_year(imported, source.name, folder / "本年 报告")
    report = window.session.report
    assert report.year == 2026 and report.last_year.year == 2025
    assert window.session.file.path.name == "本年 报告.gireport"
    view = grid_for(window, "s3")
    carried = view.grid_model.index_of("s3.carried.natural")
    assert not view.grid_model.flags(carried) & Qt.ItemIsEditable  # locked while linked
    assert view.grid_model.data(carried, Qt.DisplayRole) == str(real_json["values"]["s3.next.natural"])
    tip = view.grid_model.data(view.grid_model.index_of("s3.new.natural"), Qt.ToolTipRole)
    assert "上年（2025年）：705" in tip
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    window.show_saved_import_report()
    assert "识别为" in said[0]
    window.goto_section("s1")
    assert window.page("s1").editors[0].last_year.isVisibleTo(window.page("s1"))  # marked as last year's text


def test_start_page_help_and_about(qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from giapp.paths import data_dir

    make_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.screens.currentWidget() is window.start and window.session is None
    window.undo_action.trigger()  # needs a report: says so instead of failing
    assert "请先" in window.statusBar().currentMessage()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    assert window.open_manual()
    manual = Path(opened[0])
    assert manual == data_dir("resources") / "manual" / "index.html" and manual.exists()
    html = manual.read_text(encoding="utf-8")
    for image in re.findall(r'src="(images/[^"]+)"', html):
        assert (manual.parent / image).exists(), image
    for step in ("以上年报告为基础", "填写数字", "撰写文字", "校验与说明", "签发", "导出", "打印", "汇总"):
        assert step in html
    said = []
    monkeypatch.setattr(QMessageBox, "about", lambda *a: said.append(a[2]))
    window.about_dialog()
    assert "0.1.0" in said[0] and "文泉驿微米黑" in said[0] and "LGPL" in said[0]
    from PySide6.QtWidgets import QPushButton

    demo = next(b for b in window.start.findChildren(QPushButton) if "示例" in b.text())
    qtbot.mouseClick(demo, Qt.LeftButton)
    assert window.screens.currentWidget() is not window.start and window.session is not None
    assert "小孟镇" in window.windowTitle() and not window.windowIcon().isNull()
