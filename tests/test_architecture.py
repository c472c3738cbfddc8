"""The core is Qt-free: only giapp/ui imports PySide6 (like napari's import contract)."""

import ast
import os
import subprocess
import sys

from conftest import ROOT

QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _modules():
    for path in sorted((ROOT / "giapp").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        yield ".".join(p for p in rel.parts if p != "__init__"), path


def _qt_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        yield from (n for n in names if n.split(".")[0] in QT)


def test_only_the_ui_package_imports_qt():
    offenders = {m: list(_qt_imports(p)) for m, p in _modules() if not m.startswith("giapp.ui")}
    assert {m: q for m, q in offenders.items() if q} == {}
    # the scan does see Qt where it is: the window imports it
    assert list(_qt_imports(ROOT / "giapp" / "ui" / "app.py"))


def test_importing_the_whole_core_loads_no_qt():
    core = [m for m, _ in _modules() if not m.startswith("giapp.ui") and m != "giapp.__main__"]
    code = (
        "import importlib, sys\n"
        f"for m in {core!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {QT!r})\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(core) >= 8


def test_starting_the_window_loads_no_readers_writers_or_sign_off():
    """`giapp FILE` imports what the first window needs, no more (start-up time, issue 3)."""
    later = ("giapp.imports", "giapp.inputs", "giapp.export", "giapp.signoff", "giapp.aggregate", "docx",
             "openpyxl", "reportlab", "hashlib")
    code = (
        "import sys, giapp.cli, giapp.ui.app\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({later!r}))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_runs_without_qt():
    code = (
        "import sys, giapp.cli\n"
        "rc = giapp.cli.main(['check', 'forms/none.json'])\n"
        f"sys.exit(10 if any(m.split('.')[0] in {QT!r} for m in sys.modules) else rc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
