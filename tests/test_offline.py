"""No network access anywhere in the application: the whole workflow runs with sockets refused."""

import socket
import sys

import pytest

from giapp import cli


@pytest.fixture
def no_network(monkeypatch):
    """Every way Python opens a connection or resolves a name fails and is recorded."""
    attempts = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append((name, args[1:] if name.startswith("socket.") else args))
            raise OSError(f"network use in an offline application: {name}")
        return blocked

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_whole_workflow_uses_no_network(no_network, qtbot, folder, signable_json, demo_json):
    import json

    from giapp.ui.app import make_app
    from giapp.ui.window import MainWindow

    source = folder / "来源.json"
    source.write_text(json.dumps(signable_json, ensure_ascii=False, default=str), encoding="utf-8")
    report = folder / "离线 报告.gireport"
    assert cli.main(["import", str(report), str(source)]) == 0
    assert cli.main(["check", str(report)]) == 0
    assert cli.main(["export", str(report)]) == 0
    docx = next(folder.glob("*.docx"))
    assert cli.main(["new", str(folder / "次年.gireport"), "--from", str(docx)]) == 0
    args = ["sign", str(report), "--preparer", "甲", "--reviewer", "乙", "--approver", "丙"]
    for rule in ("X-carried.natural", "X-carried.total", "W-oversight"):
        args += ["--explain", f"{rule}=已核实无误"]
    assert cli.main(args) == 0
    assert cli.main(["verify", str(report), *map(str, folder.glob("*.pdf"))]) == 1  # the draft PDF has no code

    make_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_demo()
    window.session.set_values({"s3.new.natural": "3"})
    with qtbot.waitSignal(window.export_files({"pdf": folder / "窗口.pdf"}).done, timeout=60000):
        pass
    window.close()
    assert no_network == []
    assert "PySide6.QtNetwork" not in sys.modules  # Qt's network module is never loaded


def test_the_guard_would_catch_a_connection(no_network):
    with pytest.raises(OSError, match="offline"):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network
    no_network.clear()
