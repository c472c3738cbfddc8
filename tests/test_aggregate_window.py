"""The 汇总 window and `giapp aggregate`, on real files of several units."""

import json

import openpyxl
from conftest import run_giapp
from PySide6.QtCore import Qt

from giapp.report import Report
from giapp.store import ReportFile


def units(folder, real_json, n=3):
    """n townships with the real figures, a file of last year, and a second file of one unit."""
    paths = []
    for i in range(n):
        data = dict(real_json, organ=dict(real_json["organ"], name=f"某县第{i + 1}镇人民政府"))
        path = folder / f"第{i + 1}镇 2025.gireport"
        ReportFile.create(path, Report.from_json(data)).close()
        paths.append(path)
    old = folder / "旧年.json"
    old.write_text(json.dumps(dict(real_json, year=2024, organ=dict(real_json["organ"], name="某县第9镇人民政府")),
                              ensure_ascii=False, default=str), encoding="utf-8")
    dup = folder / "第1镇 重复.json"
    dup.write_text(json.dumps(dict(real_json, organ=dict(real_json["organ"], name="某县第1镇人民政府")),
                              ensure_ascii=False, default=str), encoding="utf-8")
    return paths, old, dup


def test_command_line_aggregate(folder, real_json):
    paths, old, dup = units(folder, real_json)
    out = folder / "汇总 2025.xlsx"
    result = run_giapp("aggregate", folder, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "已汇总2个单位" in result.stdout and "年度不同" in result.stdout and "同一单位多个文件" in result.stdout
    book = openpyxl.load_workbook(out)
    assert any("名单" in name for name in book.sheetnames)
    again = run_giapp("aggregate", folder, "-o", folder / "汇总2.gireport", "--exclude", dup)
    assert again.returncode == 0 and "已汇总3个单位" in again.stdout
    data = json.loads(run_giapp("dump", folder / "汇总2.gireport").stdout)
    assert data["values"]["s3.new.natural"] == 3 * real_json["values"]["s3.new.natural"]
    assert run_giapp("aggregate", folder, "-o", out).returncode == 2  # not overwritten


def test_the_aggregate_window(qtbot, folder, real_json):
    from giapp.ui.aggregating import AggregateWindow
    from giapp.ui.app import make_app

    paths, old, dup = units(folder, real_json)
    make_app()
    window = AggregateWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.add_paths([folder]).done, timeout=60000):
        pass
    rows = window.model.rows
    assert len(rows) == 5 and sum(r.included for r in rows) == 2
    window.table.sortByColumn(0, Qt.AscendingOrder)  # by unit
    assert [r.unit for r in window.model.rows] == sorted(r.unit for r in window.model.rows)
    row = next(i for i, r in enumerate(window.model.rows) if r.file == dup)
    window.table.selectRow(row)
    assert "同一单位多个文件" in window.details.toPlainText() and "X-carried.natural" in window.details.toPlainText()
    window.toggle_exclude()  # leave the duplicate out: the unit is added from its report file
    assert sum(r.included for r in window.model.rows) == 3
    assert window.agg.report.values["s3.new.natural"] == 3 * real_json["values"]["s3.new.natural"]
    assert window.save(folder / "汇总.xlsx") and (folder / "汇总.xlsx").exists()
    assert window.save(folder / "汇总.gireport")
    with ReportFile.open(folder / "汇总.gireport", readonly=True) as f:
        assert len(f.report.settings["aggregate"]["units"]) == 3


def test_the_aggregate_window_reads_many_files_on_worker_processes(qtbot, folder, real_json):
    """Enough files for worker processes (where there are several cores): the roster is the one
    a single process makes, in the files' order, and no worker is left behind."""
    import multiprocessing

    from giapp.aggregate import scan
    from giapp.batch import MIN_FILES
    from giapp.ui.aggregating import AggregateWindow
    from giapp.ui.app import make_app

    units(folder, real_json, n=MIN_FILES + 2)
    make_app()
    window = AggregateWindow()
    qtbot.addWidget(window)
    window.show()
    progress = []
    job = window.add_paths([folder])
    job.progressed.connect(lambda done, total, text: progress.append(done))
    with qtbot.waitSignal(job.done, timeout=120000):
        pass
    alone = scan([folder], workers=0)
    assert [(r.file, r.cells()) for r in window.model.rows] == [(r.file, r.cells()) for r in alone.roster]
    assert sum(r.included for r in window.model.rows) == MIN_FILES + 1 and progress[-1] == MIN_FILES + 4
    assert not multiprocessing.active_children()
