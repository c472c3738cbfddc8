"""The window opens on the demo report (the first README command)."""

import pytest

pytest.importorskip("pytestqt")


def test_window_opens_on_the_demo_report(qtbot, user_dirs):
    from giapp.demo import demo_report_path
    from giapp.store import ReportFile
    from giapp.ui.app import MainWindow

    path = demo_report_path()
    assert path.is_relative_to(user_dirs) and path.exists()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.show()
    assert "济宁市兖州区小孟镇人民政府" in window.windowTitle() and "2021" in window.windowTitle()
    assert "2个错误 · 1个警告" in window.counts_label.text()
    window.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # closed: one file
