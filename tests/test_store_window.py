"""A damaged report file in the window (issue 14, section 3): giapp still starts, and a file that
fails its content check opens read-only so that what is readable can be saved."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from file_attacks import edit
from PySide6.QtWidgets import QMessageBox

from giapp import recent
from giapp.report import Report
from giapp.store import ReportFile
from giapp.ui.app import make_app, open_at_start
from giapp.ui.window import MainWindow


@pytest.fixture
def path(folder, real_json) -> Path:
    p = folder / "沭阳县 2025 损坏.gireport"
    ReportFile.create(p, Report.from_json(real_json)).close()
    return p


def _garbage(p):
    p.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)


def _changed_figure(p):
    edit(p, "UPDATE cell SET value = '417645' WHERE id = 's2.licensing'")


def _deep_settings(p):
    edit(p, "UPDATE meta SET value = ? WHERE key = 'settings'", "[" * 100000 + "]" * 100000, seal=True)


def _truncated(p):
    p.write_bytes(p.read_bytes()[:3000])


@pytest.mark.parametrize("spoil", [_garbage, _changed_figure, _deep_settings, _truncated])
def test_a_damaged_last_report_never_keeps_giapp_from_starting(path, spoil):
    recent.remember(path)
    spoil(path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GIAPP_EXIT_WHEN_SHOWN": "1"}
    result = subprocess.run([sys.executable, "-m", "giapp"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert any(line.startswith("shown ") for line in result.stdout.splitlines())
    assert "Traceback" not in result.stderr


def test_the_start_page_says_why_the_last_report_did_not_open(qtbot, path):
    _changed_figure(path)
    file, why = open_at_start(path)
    assert file is None and path.name in why and "内容校验" in why and "只读" in why
    make_app()
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.start.say(why)
    window.show()
    assert window.start.notice.isVisible() and path.name in window.start.notice.text()


def test_a_file_failing_its_check_opens_read_only_and_a_copy_can_be_saved(qtbot, path, folder, monkeypatch):
    _changed_figure(path)
    make_app()
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    assert window.open_file(path) is False and window.session is None
    assert path.name in asked[0] and ".bak" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    assert window.open_file(path)
    assert window.session.readonly and window.banner.isVisible() and "校验" in window.banner.text()
    copy = folder / "可读取的内容 副本.gireport"
    assert window.save_copy(copy)
    with ReportFile.open(copy) as f:
        assert f.report.values["s2.licensing"] == 417645 and f.report.status == "draft"
