"""Windows paths, tested here: network shares (UNC) through the URI SQLite opens, the 260-character
limit, Chinese user names in the data folder, fonts in the Windows fonts folder, and the file a
file association hands over with quotes or split at its spaces."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from conftest import ROOT, run_giapp

from giapp.errors import GiappError
from giapp.winpaths import MAX_PATH, check_length, launch_path, sqlite_uri

posix = pytest.mark.skipif(os.name == "nt", reason="POSIX paths and the XDG folders; Windows has its own here")


@pytest.mark.parametrize("path, uri", [
    (r"\\server\share\x.gireport", "file:////server/share/x.gireport?mode=ro"),
    (r"\\政务服务中心\共享 文件\年报\小孟镇 2025.gireport",
     "file:////%E6%94%BF%E5%8A%A1%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83/%E5%85%B1%E4%BA%AB%20%E6%96%87%E4%BB%B6/"
     "%E5%B9%B4%E6%8A%A5/%E5%B0%8F%E5%AD%9F%E9%95%87%202025.gireport?mode=ro"),
    (r"\\?\UNC\server\share\x.gireport", "file:////server/share/x.gireport?mode=ro"),
    (r"C:\Users\张三\Desktop\报告 1.gireport",
     "file:///C:/Users/%E5%BC%A0%E4%B8%89/Desktop/%E6%8A%A5%E5%91%8A%201.gireport?mode=ro"),
    (r"\\?\D:\年报\x.gireport", "file:///D:/%E5%B9%B4%E6%8A%A5/x.gireport?mode=ro"),
    (r"D:\100% 完成#1?.gireport", "file:///D:/100%25%20%E5%AE%8C%E6%88%90%231%3F.gireport?mode=ro"),
])
def test_the_uri_of_windows_paths(path, uri):
    assert sqlite_uri(PureWindowsPath(path), "ro") == uri


@posix
def test_sqlite_refuses_the_uri_pathlib_makes_for_a_share_and_opens_ours(tmp_path):
    """Path.as_uri() puts the server in the URI's authority; SQLite refuses any authority but
    localhost. Ours leaves the authority empty and hands //server/share/… to the system: here the
    "server" is /tmp and the "share" the test's folder (on Linux // is /), so real SQLite shows it
    opens exactly that path."""
    folder = tmp_path / "共享 文件"
    folder.mkdir()
    db = folder / "小孟镇 100% #1.gireport"
    sqlite3.connect(db).execute("CREATE TABLE t(x)").connection.commit()
    server, share, *rest = db.parts[1:]
    unc = PureWindowsPath("\\\\" + server + "\\" + share, *rest)
    assert unc.as_uri().startswith(f"file://{server}/")
    with pytest.raises(sqlite3.OperationalError, match="invalid uri authority"):
        sqlite3.connect(unc.as_uri() + "?mode=ro", uri=True)
    uri = sqlite_uri(unc, "ro")
    assert uri.startswith(f"file:////{server}/")
    conn = sqlite3.connect(uri, uri=True)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["t"]
    conn.close()


@posix
def test_posix_paths_round_trip_through_sqlite(folder):
    db = folder / "报告 50% #2?.gireport"
    sqlite3.connect(db).execute("CREATE TABLE t(x)").connection.commit()
    for mode in ("ro", "rw"):
        conn = sqlite3.connect(sqlite_uri(PurePosixPath(db), mode), uri=True)
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (1,)
        conn.close()


def test_near_260_characters_on_windows():
    base = "C:\\Users\\张三\\Documents\\"
    name = ".gireport"
    fits = PureWindowsPath(base + "年" * (MAX_PATH - 8 - len(base) - len(name)) + name)
    assert len(str(fits)) == MAX_PATH - 8
    check_length(fits)  # with its -journal beside it: 259
    too_long = PureWindowsPath(base + "年" * (MAX_PATH - 7 - len(base) - len(name)) + name)
    with pytest.raises(GiappError, match="路径太长（252 个字符") as e:
        check_length(too_long)
    assert "请把文件移到层次较浅的文件夹" in str(e.value) and "Documents" in str(e.value)
    check_length(PureWindowsPath("\\\\?\\" + str(fits)))  # the \\?\ form counts without its prefix
    with pytest.raises(GiappError, match="路径太长（252 个字符"):
        check_length(PureWindowsPath("\\\\?\\" + str(too_long)))  # SQLite is handed the plain path
    check_length(PurePosixPath("/home/张三/" + "年" * 160 + name))  # nor Linux, up to SQLite's 512 bytes
    with pytest.raises(GiappError, match="一个汉字占 3 字节"):
        check_length(PurePosixPath("/home/张三/" + "年" * 165 + name))
    check_length(PurePosixPath("/home/张三/" + "年" * 400 + ".docx"), 22, sqlite=False)  # an export


@posix
def test_a_report_in_a_deep_folder_on_linux(tmp_path):
    """Past 260 characters is no limit here: new and export work. SQLite's own limit on Linux,
    512 bytes (a Chinese character is 3), is refused with a message, not "unable to open"."""
    deep = tmp_path.joinpath(*(["Annual report folder 年报"] * 12))
    deep.mkdir(parents=True)
    report = deep / "小孟镇 2025 年度报告.gireport"
    assert len(str(report)) > 300 and len(os.fsencode(report)) < 500
    assert run_giapp("new", report, "--organ", "小孟镇人民政府", "--year", "2025").returncode == 0
    result = run_giapp("export", report, "--xlsx", deep / "附表 2025.xlsx")
    assert result.returncode == 0, result.stderr
    assert (deep / "附表 2025.xlsx").is_file()
    deeper = deep.joinpath(*(["年度报告 文件夹"] * 4))
    deeper.mkdir(parents=True)
    shutil.copyfile(report, deeper / report.name)  # a colleague's copy in a deeper folder
    result = run_giapp("check", deeper / report.name)
    assert result.returncode == 2 and "路径太长" in result.stdout and "一个汉字占 3 字节" in result.stdout, result.stdout


@posix
def test_no_report_file_is_made_where_it_could_not_be_opened_again(tmp_path):
    """A new report whose path passes SQLite's limit is refused before anything is written (it
    used to be written, then refused on opening): the clerk is told at once, the folder stays empty."""
    name = "小孟镇 2025 年度报告.gireport"
    deep = tmp_path.joinpath(*(["年度报告 文件夹"] * 12))
    deep = deep / ("x" * (506 - len(os.fsencode(deep / name)) - 1))
    deep.mkdir(parents=True)
    report = deep / name
    assert len(os.fsencode(report)) == 506  # under SQLite's 512 bytes alone, over it with "-journal"
    result = run_giapp("new", report, "--organ", "小孟镇人民政府", "--year", "2025")
    assert result.returncode != 0 and "路径太长" in result.stderr + result.stdout, result.stderr
    assert list(deep.iterdir()) == []


@posix
def test_chinese_user_name_in_the_data_folder(tmp_path, monkeypatch):
    """The demo copy and the recent files in a profile like C:\\Users\\张 三\\AppData."""
    from giapp import demo, recent
    from giapp.store import ReportFile

    profile = tmp_path / "Users" / "张 三"
    monkeypatch.setenv("HOME", str(profile))
    monkeypatch.setenv("XDG_DATA_HOME", str(profile / "AppData" / "Local"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(profile / "AppData" / "Roaming"))
    path = demo.demo_report_path()
    assert path.is_relative_to(profile) and path.is_file()
    with ReportFile.open(path, readonly=True) as f:
        assert f.report.organ.name
    recent.remember(path, {"sheet": 1})
    assert recent.recent_files() == [path.absolute()]
    assert recent.position(path) == {"sheet": 1}
    assert str(path.absolute()) in (profile / "AppData" / "Roaming" / "giapp" / "recent.json").read_text(encoding="utf-8")
    result = run_giapp("check", path, env={**os.environ})
    assert result.returncode == 1 and "A-sum.channels" in result.stdout  # the demo's two annex errors


@pytest.fixture
def windows_fonts(tmp_path, monkeypatch):
    """A Windows fonts folder as a clerk's machine has it (copies of a real TrueType font under
    the Windows file names, some in capitals as Windows shows them)."""
    from giapp.export import fonts

    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    real = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
    for name in ("SIMSUN.TTC", "simfang.ttf", "simhei.ttf", "simkai.ttf", "FZXBSJW.TTF"):
        shutil.copyfile(real, windir / "Fonts" / name)
    monkeypatch.setenv("WINDIR", str(windir))
    fonts.installed_fonts.cache_clear()
    fonts.resolve.cache_clear()
    yield windir / "Fonts"
    monkeypatch.undo()
    fonts.installed_fonts.cache_clear()
    fonts.resolve.cache_clear()


def test_fonts_found_in_the_windows_fonts_folder(windows_fonts):
    from giapp.export import fonts

    chosen = {role: fonts.resolve(role) for role in ("title", "body", "h1", "h2", "table", "page")}
    assert {role: f.path.name for role, f in chosen.items()} == {
        "title": "FZXBSJW.TTF", "body": "simfang.ttf", "h1": "simhei.ttf", "h2": "simkai.ttf",
        "table": "SIMSUN.TTC", "page": "SIMSUN.TTC"}
    assert all(f.path.parent == windows_fonts and not f.shipped for f in chosen.values())


def test_launch_path_from_a_file_association(folder):
    report = folder / "小孟镇 2025 年度报告.gireport"
    report.write_bytes(b"")
    assert launch_path([]) is None and launch_path(['""']) is None
    assert launch_path([f'"{report}"']) == str(report)
    assert launch_path([f' "{report}" ']) == str(report)
    assert launch_path(str(report).split(" ")) == str(report)  # "%1" registered without quotes
    assert launch_path(["打开", "这个"]) is None


def test_the_window_opens_a_quoted_path_handed_over(folder):
    report = folder / "小孟镇 2025 年度报告.gireport"
    assert run_giapp("new", report, "--organ", "小孟镇人民政府", "--year", "2025").returncode == 0
    env = {**os.environ, "GIAPP_EXIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    for args in ([f'"{report}"'], str(report).split(" ")):
        result = subprocess.run([sys.executable, "-m", "giapp", *args], capture_output=True, text=True,
                                encoding="utf-8", env=env, timeout=120, cwd=ROOT)
        assert result.returncode == 0 and "shown" in result.stdout, result.stderr
        recent = Path(os.environ["XDG_CONFIG_HOME"]) / "giapp" / "recent.json"
        assert json.loads(recent.read_text(encoding="utf-8"))["files"][0] == str(report)
        recent.unlink()
