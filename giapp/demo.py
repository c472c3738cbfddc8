"""The demo report: the example township's 2021 report, shipped as a report file in resources/demo,
copied to the user's data folder so that the clerk can try everything on it. Qt-free."""

import shutil
from pathlib import Path

import platformdirs

from .paths import data_dir

DEMO_JSON = "demo/xiaomeng-2021.json"  # the transcription it is made from (packaging/make_demo.py)
DEMO_FILE = "demo/示例 小孟镇2021年度报告.gireport"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("giapp", appauthor=False))


def demo_report_path() -> Path:
    """The demo report file in the user's data folder, copied from resources on first use."""
    path = user_data_dir() / Path(DEMO_FILE).name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_dir("resources") / DEMO_FILE, path)
    return path
