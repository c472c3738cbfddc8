"""The window opens on the demo report (the first README command)."""

import pytest

pytest.importorskip("pytestqt")


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "用户 数据"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_window_opens_on_the_demo_report(qtbot, data_home):
    from giapp.demo import demo_report_path
    from giapp.store import ReportFile
    from giapp.ui.app import MainWindow

    path = demo_report_path()
    assert path.is_relative_to(data_home) and path.exists()
    window = MainWindow(ReportFile.open(path))
    qtbot.addWidget(window)
    window.show()
    assert "济宁市兖州区小孟镇人民政府" in window.windowTitle() and "2021" in window.windowTitle()
    assert window.statusBar().currentMessage() == "2个错误，1个警告"
    window.close()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # closed: one file
