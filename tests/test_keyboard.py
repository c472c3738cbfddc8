"""The keyboard contract, driven as a clerk drives it: keys only, from the paper into the window.

The order of the cells is taken from the form here (reading order, totals and the locked 上年结转
row left out), not from the grid, so that a grid stopping on the wrong cell fails the test."""

import copy
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from giapp.form import load_form
from giapp.lastyear import from_last_year
from giapp.report import Report
from giapp.store import ReportFile
from giapp.ui.window import GridPage
from test_window import open_window  # the window as a clerk starts it, at 1366×768
from giapp.values import format_value

FORM = load_form("gov-info-2021")


def input_order(table_id: str, locked: set[str]) -> list[str]:
    """The cells that take input in a table, in reading order (row by row, left to right)."""
    places = sorted((p.r, p.c, p.cell) for p in FORM.tables[table_id].places if p.cell)
    return [cid for _, _, cid in places if not FORM.cells[cid].derived and cid not in locked]


@pytest.fixture
def carried_path(folder, real_json) -> Path:
    """This year's report started from last year's file: 上年结转 filled from it and locked."""
    prev = Report.from_json(copy.deepcopy(real_json))
    prev.year = 2024
    this = real_json["values"]
    for cid in FORM.cells:
        if cid.startswith("s3.carried.") and not FORM.cells[cid].derived:
            prev.values[cid.replace("s3.carried.", "s3.next.")] = this[cid]
    prev.recompute(FORM)
    report = from_last_year(prev, "沭阳县 2024.gireport")
    path = folder / "沭阳县 2025 从上年.gireport"
    ReportFile.create(path, report).close()
    return path


def focused():
    return QApplication.focusWidget()


def type_text(qtbot, text: str) -> None:
    """Each key to whatever has the focus then, as an X server sends them (the first opens the editor)."""
    for ch in text:
        qtbot.keyClicks(focused(), ch)


def key(qtbot, k, modifier=Qt.NoModifier):
    qtbot.keyClick(focused(), k, modifier)


def current_cell(window) -> str | None:
    page = window.stack.currentWidget()
    return page.model.cell_id(page.view.currentIndex()) if isinstance(page, GridPage) else None


def text_of(value) -> str:
    return "0" if value is None else format_value(value)


def test_a_whole_report_typed_with_keys_only(qtbot, carried_path, real_json):
    window = open_window(qtbot, carried_path)
    window.goto_section("s1")
    window.nav.setFocus()
    locked = window.session.locked
    assert locked and all(c.startswith("s3.carried.") for c in locked)
    typed = {}
    for section, table, move in (("s2", "s2", Qt.Key_Tab), ("s3", "s3", Qt.Key_Tab), ("s4", "s4", Qt.Key_Return)):
        key(qtbot, Qt.Key_PageDown, Qt.ControlModifier)
        assert window.current_section() == section
        cells = input_order(table, locked)
        assert current_cell(window) == cells[0], "Ctrl+PgDn lands on the first cell that takes input"
        for i, cid in enumerate(cells):
            assert current_cell(window) == cid, f"typing {cid} landed on {current_cell(window)}"
            text = text_of(real_json["values"].get(cid))
            type_text(qtbot, text)
            typed[cid] = text
            if i < len(cells) - 1:
                key(qtbot, move)
        # the last value is left half-typed: Ctrl+PgDn commits it on the way out
    key(qtbot, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.current_section() == "s5"
    assert isinstance(focused(), QLineEdit) is False and focused() is window.page("s5").editors[0].edit
    key(qtbot, Qt.Key_Q, Qt.ControlModifier)  # quits, closing the file cleanly
    assert not window.isVisible()
    assert not carried_path.with_name(carried_path.name + "-wal").exists()
    with ReportFile.open(carried_path, readonly=True) as f:
        values = f.report.values
    assert {cid: text_of(values.get(cid)) for cid in typed} == typed
    assert [values[c] for c in sorted(locked)] == [real_json["values"][c] for c in sorted(locked)]
    for cid in FORM.order:  # the totals add up what was typed
        assert values.get(cid) == real_json["values"].get(cid), cid


def test_tab_stays_on_the_last_input_cell_and_shift_tab_goes_back(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s1")
    window.page("s1").editors[0].edit.setFocus()
    key(qtbot, Qt.Key_PageDown, Qt.ControlModifier)
    key(qtbot, Qt.Key_PageDown, Qt.ControlModifier)
    cells = input_order("s3", window.session.locked)
    assert current_cell(window) == cells[0]
    key(qtbot, Qt.Key_Tab)
    key(qtbot, Qt.Key_Backtab)
    assert current_cell(window) == cells[0]
    window.page("s3").view.setCurrentIndex(window.page("s3").model.index_of(cells[-1]))
    key(qtbot, Qt.Key_Tab)
    assert current_cell(window) == cells[-1]
    # a second visit lands on the first input cell again
    key(qtbot, Qt.Key_PageUp, Qt.ControlModifier)
    key(qtbot, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.current_section() == "s3" and current_cell(window) == cells[0]


def test_enter_goes_down_to_the_next_input_cell_skipping_locked_rows(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s3")
    page = window.page("s3")
    page.view.setCurrentIndex(page.model.index_of("s3.new.natural"))
    page.view.setFocus()
    type_text(qtbot, "7")
    key(qtbot, Qt.Key_Return)
    r_new, c = page.model.cell_pos["s3.new.natural"]
    below = current_cell(window)
    r_below, c_below = page.model.cell_pos[below]
    assert c_below == c and r_below > r_new and not below.startswith("s3.carried.")
    assert window.session.report.values["s3.new.natural"] == 7


def test_typing_replaces_a_filled_cell_and_f2_edits_it(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s2")
    page = window.page("s2")
    page.view.setCurrentIndex(page.model.index_of("s2.normative.issued"))
    page.view.setFocus()
    type_text(qtbot, "9")
    key(qtbot, Qt.Key_Tab)
    assert window.session.report.values["s2.normative.issued"] == 9  # replaced, not 69
    page.view.setCurrentIndex(page.model.index_of("s2.normative.issued"))
    key(qtbot, Qt.Key_F2)
    key(qtbot, Qt.Key_End)
    type_text(qtbot, "1")
    key(qtbot, Qt.Key_Return)
    assert window.session.report.values["s2.normative.issued"] == 91


@pytest.mark.parametrize("cid,reason", [("s3.new.total", "此格为合计，自动计算"),
                                        ("s3.carried.natural", "上年结转，来自上年报告"),
                                        ("s2.normative.in_force", None)])
def test_typing_on_a_total_or_locked_cell_changes_nothing_and_says_why(qtbot, carried_path, cid, reason):
    window = open_window(qtbot, carried_path)
    section = cid.split(".")[0]
    window.goto_section(section)
    page = window.page(section)
    if reason is None:  # a label: the header cell above a figure
        r, c = page.model.cell_pos[cid]
        index = next(page.model.index(rr, c) for rr in range(r - 1, -1, -1) if page.model.cell_id(page.model.index(rr, c)) is None)
        reason = "此格为表头"
    else:
        index = page.model.index_of(cid)
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    before = dict(window.session.report.values)
    type_text(qtbot, "53")
    assert page.view.currentIndex() == index, "type-to-search or a stray key moved the cell"
    assert focused() is page.view  # no editor opened anywhere
    assert window.session.report.values == before
    assert reason in window.message_bar.text() and window.message_bar.isVisible()


def test_every_way_out_of_a_cell_commits(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s2")
    page = window.page("s2")
    view = page.view
    values = window.session.report.values
    steps = [("s2.rules.issued", lambda: key(qtbot, Qt.Key_S, Qt.ControlModifier)),  # Ctrl+S
             ("s2.rules.repealed", lambda: key(qtbot, Qt.Key_F8)),  # next problem
             ("s2.rules.in_force", lambda: qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton,
                                                            pos=window.nav.visualItemRect(window.nav.item(0)).center()))]
    for n, (cid, leave) in enumerate(steps, 1):
        window.goto_section("s2")
        view.setCurrentIndex(page.model.index_of(cid))
        view.setFocus()
        type_text(qtbot, str(40 + n))
        assert isinstance(focused(), QLineEdit)
        leave()
        assert values[cid] == 40 + n, cid
    assert "已保存" in window.statusBar().currentMessage() or values["s2.rules.issued"] == 41
    # a refused value is said, not lost silently, and the section does not change
    window.goto_section("s2")
    view.setCurrentIndex(page.model.index_of("s2.licensing"))
    view.setFocus()
    type_text(qtbot, "abc")
    key(qtbot, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.current_section() == "s2" and "不是数字" in window.message_bar.full
    # closing the window commits too
    view.setCurrentIndex(page.model.index_of("s2.penalty"))
    view.setFocus()
    type_text(qtbot, "12")
    window.close()
    with ReportFile.open(carried_path, readonly=True) as f:
        assert f.report.values["s2.penalty"] == 12


def test_the_list_of_sections_arrows_only_show_enter_goes_in(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s1")
    window.nav.setFocus()
    key(qtbot, Qt.Key_Down)
    assert window.current_section() == "s2" and focused() is window.nav
    key(qtbot, Qt.Key_Return)
    assert focused() is window.page("s2").view
    rect = window.nav.visualItemRect(window.nav.item(2))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.current_section() == "s3" and focused() is window.page("s3").view


def test_the_focused_cell_has_a_strong_frame(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s2")
    view = window.page("s2").view
    view.setFocus()
    qtbot.wait(10)
    rect = view.visualRect(view.currentIndex())
    frame = view.viewport().grab().toImage().pixelColor(rect.topLeft() + QPoint(2, rect.height() // 2))
    assert (frame.red(), frame.green(), frame.blue()) == (0x0b, 0x57, 0xd0)
    window.nav.setFocus()
    qtbot.wait(10)
    plain = view.viewport().grab().toImage().pixelColor(rect.topLeft() + QPoint(2, rect.height() // 2))
    assert (plain.red(), plain.green(), plain.blue()) != (0x0b, 0x57, 0xd0)


def test_the_message_bar_does_not_move_the_page(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    window.goto_section("s3")
    view = window.page("s3").view
    before = view.mapTo(window, QPoint(0, 0))
    window.show_message("error", "第一行\n第二行\n第三行")
    qtbot.wait(1)
    assert view.mapTo(window, QPoint(0, 0)) == before
    window.message_bar.idle()
    qtbot.wait(1)
    assert view.mapTo(window, QPoint(0, 0)) == before


def test_unlinking_a_wrong_carry_over(qtbot, carried_path):
    window = open_window(qtbot, carried_path)
    session = window.session
    assert "s3.carried.natural" in session.locked
    with pytest.raises(Exception):
        session.unlink_carry("短")  # a reason is a decision: at least 4 characters
    session.unlink_carry("上年报告结转数统计有误，已核实")
    assert not session.locked
    page = window.page("s3")
    view = page.view
    view.setCurrentIndex(page.model.index_of("s3.carried.natural"))
    view.setFocus()
    type_text(qtbot, "35")
    key(qtbot, Qt.Key_Tab)
    assert session.report.values["s3.carried.natural"] == 35
    found = {f.rule: f for f in session.findings}
    assert found["X-carried.natural"].severity == "warning"  # warns until explained
    session.set_explanation("X-carried.natural", "上年报告结转数有误，本年按实际结转")
    assert next(f for f in session.findings if f.rule == "X-carried.natural").explained
    window.close()
    with ReportFile.open(carried_path, readonly=True) as f:
        audit = f.audit()
        assert f.report.values["s3.carried.natural"] == 35
    assert any("上年报告结转数统计有误" in (row["new"] or "") for row in audit)
