"""Writes the demo report file shipped in resources/demo/ from the example township's report
(resources/demo/xiaomeng-2021.json, transcribed from shared/examples). Run when either changes:
    .venv/bin/python packaging/make_demo.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from giapp.demo import DEMO_FILE, DEMO_JSON  # noqa: E402
from giapp.inputs import read_json  # noqa: E402
from giapp.paths import data_dir  # noqa: E402
from giapp.store import ReportFile  # noqa: E402


def main() -> int:
    target = data_dir("resources") / DEMO_FILE
    target.unlink(missing_ok=True)
    report = read_json(data_dir("resources") / DEMO_JSON)
    ReportFile.create(target, report, "import", "示例报告（济宁市兖州区小孟镇人民政府2021年报告）").close()
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
