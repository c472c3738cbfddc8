import json
import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SPEC = ROOT.parent / "shared" / "spec"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture
def real_json() -> dict:
    """A real published 2021-format report with non-zero figures (source inside the file)."""
    return load_json(DATA / "real-2021-nonzero.json")


@pytest.fixture
def signable_json(real_json) -> dict:
    """The real report made ready to sign as a clerk would: 六's one paragraph (the fee) under its
    item （一）, the other items switched off (an item switched on but empty blocks sign-off)."""
    real_json["texts"]["s6.1"] = real_json["texts"].pop("s6")
    real_json["settings"] = {"s6_items": ["s6.1"]}
    return real_json


@pytest.fixture
def demo_json() -> dict:
    """The example township's report (shared/examples), as shipped for the demo."""
    return load_json(ROOT / "resources" / "demo" / "xiaomeng-2021.json")


@pytest.fixture
def folder(tmp_path) -> Path:
    """A folder whose name has Chinese characters and a space, as on clerks' desktops."""
    d = tmp_path / "年度报告 2024"
    d.mkdir()
    return d


def run_giapp(*args, cwd=None, env=None):
    """The command line in a process of its own, as the county office runs it."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "giapp", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd or ROOT, env=env, timeout=120)


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory, monkeypatch):
    """Recent files, positions and the demo copy go to a fresh profile in every test."""
    home = tmp_path_factory.mktemp("profile")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # crash logs
    return home


def run_giapp_bytes(*args, cwd=None, env=None):
    """The command line as run_giapp, its output as the raw bytes a console receives (to check
    them against the console's encoding: GBK, ASCII under LANG=C, UTF-8 for --json)."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "giapp", *map(str, args)], capture_output=True,
                          cwd=cwd or ROOT, env=env, timeout=120)
