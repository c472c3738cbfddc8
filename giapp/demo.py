"""The demo report: the example township's 2021 report, as a report file the clerk can try. Qt-free."""

from pathlib import Path

import platformdirs

from .inputs import read_json
from .paths import data_dir
from .store import ReportFile

DEMO_JSON = "demo/xiaomeng-2021.json"
DEMO_NAME = "示例 小孟镇2021年度报告.gireport"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("giapp", appauthor=False))


def demo_report_path() -> Path:
    """The demo report file in the user's data folder, written from resources on first use."""
    path = user_data_dir() / DEMO_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        report = read_json(data_dir("resources") / DEMO_JSON)
        ReportFile.create(path, report, "import", "示例报告").close()
    return path
