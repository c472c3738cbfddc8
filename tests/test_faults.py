"""A fault of ours (or of a damaged installation) never shows a traceback: the command line and the
window say "内部错误" in one sentence with the path of a log file that holds the details, and go on
where they can. The faults here are real: a library of the installation is damaged (a broken
package first on the path), or a slot raises."""

import os
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, run_giapp

from giapp import crashlog


@pytest.fixture
def damaged(tmp_path) -> dict:
    """The environment of an installation whose XlsxWriter and openpyxl are damaged."""
    lib = tmp_path / "损坏的 库"
    for name in ("xlsxwriter", "openpyxl"):
        (lib / name).mkdir(parents=True)
        (lib / name / "__init__.py").write_text('raise RuntimeError("damaged installation")\n', encoding="utf-8")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(lib), str(ROOT)])}


def logs() -> list[Path]:
    return sorted(crashlog.log_folder().glob("giapp-*.log"))


def test_the_command_line_says_internal_error_and_where_the_log_is(folder, damaged):
    report = folder / "小孟镇 2025.gireport"
    assert run_giapp("new", report, "--organ", "小孟镇人民政府", "--year", "2025").returncode == 0
    result = run_giapp("export", report, "--xlsx", folder / "附表 2025.xlsx", env=damaged)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "内部错误（RuntimeError）" in result.stderr and "已保存的内容不受影响" in result.stderr, result.stderr
    [log] = logs()
    assert f"“{log}”" in result.stderr
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "damaged installation" in text and "giapp 0.1" in text
    assert not (folder / "附表 2025.xlsx").exists()
    assert [p.name for p in folder.iterdir()] == [report.name]  # no half-written file beside it


def test_a_batch_check_goes_on_past_a_fault_in_one_file(folder, damaged):
    report = folder / "甲镇 2025.gireport"
    assert run_giapp("new", report, "--organ", "甲镇人民政府", "--year", "2025").returncode == 0
    annex = folder / "乙镇 附表.xlsx"
    assert run_giapp("export", report, "--xlsx", annex).returncode == 0
    result = run_giapp("check", annex, report, env=damaged)  # reading .xlsx needs openpyxl
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    assert "乙镇 附表.xlsx" in result.stdout and "内部错误（RuntimeError）" in result.stdout, result.stdout
    assert "甲镇人民政府" in result.stdout  # the next file was checked
    assert len(logs()) == 1


def test_only_the_newest_logs_are_kept(monkeypatch):
    monkeypatch.setattr(crashlog, "KEEP", 3)
    for i in range(5):
        try:
            raise ValueError(f"第{i}次")
        except ValueError as e:
            assert crashlog.record(e) is not None
    kept = logs()
    assert len(kept) == 3 and "第4次" in kept[-1].read_text(encoding="utf-8")


def test_no_log_folder_still_gives_the_sentence(tmp_path, monkeypatch):
    blocker = tmp_path / "state"
    blocker.write_text("", encoding="utf-8")  # a file where the folder should be
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    try:
        raise KeyError("x")
    except KeyError as e:
        text = crashlog.report(e)
    assert text.startswith("内部错误（KeyError）") and "日志文件无法写入" in text


@pytest.mark.qt_no_exception_capture
def test_the_window_shows_a_fault_in_a_slot_and_goes_on(qtbot, folder, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from giapp.ui.faults import FaultReporter
    from giapp.ui.window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # both restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    FaultReporter(window).install()

    def broken_slot():
        raise ZeroDivisionError("一个程序错误")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=5000)
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    [log] = logs()
    assert box.windowTitle() == "内部错误" and f"“{log}”" in box.text() and "Traceback" not in box.text()
    assert "ZeroDivisionError: 一个程序错误" in log.read_text(encoding="utf-8")
    box.close()
    thread = threading.Thread(target=broken_slot)  # a worker thread's fault reaches the window too
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(logs()) == 2 and any(isinstance(w, QMessageBox) and w.isVisible()
                                                      for w in QApplication.topLevelWidgets()), timeout=5000)
    assert window.isVisible()
