"""Many files on several cores (giapp.parallel): the same results, in the same order, as one by
one; a worker that dies leaves the rest to be done in the calling process."""

import json
import multiprocessing
import os
import shutil

from conftest import ROOT, run_giapp

from giapp.parallel import ordered_map


def tenfold_or_die(x: int) -> int:
    if x == 3 and multiprocessing.parent_process() is not None:
        os._exit(1)  # a library crashing on a hostile file takes the worker with it
    return x * 10


def whose_pid(x: int) -> int:
    return os.getpid()


def test_results_in_order_from_worker_processes():
    assert list(ordered_map(tenfold_or_die, [1, 2, 4, 5, 6], workers=2)) == [10, 20, 40, 50, 60]
    pids = set(ordered_map(whose_pid, range(8), workers=2))
    assert os.getpid() not in pids  # really read elsewhere


def test_a_dead_worker_leaves_the_rest_to_the_caller():
    assert list(ordered_map(tenfold_or_die, [1, 2, 3, 4, 5], workers=2)) == [10, 20, 30, 40, 50]


def test_check_on_many_files_keeps_their_order(folder):
    demo = next((ROOT / "resources" / "demo").glob("*.gireport"))
    files = []
    for i in range(30):
        f = folder / f"单位 {i:02d}.gireport"
        shutil.copy(demo, f)
        files.append(f)
    broken = folder / "坏的.docx"
    broken.write_bytes(b"not a zip")
    files.insert(7, broken)
    result = run_giapp("check", *files, "--json")
    assert result.returncode == 2, result.stderr  # one file unreadable
    out = json.loads(result.stdout)
    assert [r["file"] for r in out] == [str(f) for f in files]
    assert "read_error" in out[7] and all(r["errors"] == 2 for i, r in enumerate(out) if i != 7)
