"""The package installs with pip and carries forms/ and resources/ inside it."""

import os
import subprocess
import sys
import venv
import zipfile

from conftest import ROOT


def test_wheel_installs_and_checks_from_another_folder(tmp_path, demo_json):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = dist.glob("giapp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "giapp/forms/gov-info-2021.json" in names and "giapp/forms/annex-stats.json" in names
    assert "giapp/resources/demo/xiaomeng-2021.json" in names
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "giapp").rglob("*.py")}
    assert sources <= set(names), sources - set(names)  # every module travels
    assert "giapp/resources/fonts/wqy-microhei.ttc" in names
    assert not any(n.startswith("tests/") for n in names)

    env_dir = tmp_path / "fresh env"
    venv.create(env_dir, with_pip=True)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # the core needs nothing beyond the standard library: install without dependencies
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=600)
    elsewhere = tmp_path / "别处 文件夹"
    elsewhere.mkdir()
    report = elsewhere / "小孟镇.json"
    report.write_text((ROOT / "resources/demo/xiaomeng-2021.json").read_text(encoding="utf-8"), encoding="utf-8")
    giapp = env_dir / ("Scripts/giapp.exe" if os.name == "nt" else "bin/giapp")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(giapp), "check", report.name], cwd=elsewhere, capture_output=True, text=True,
                            encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "A-sum.channels" in result.stdout and "2个错误，1个警告" in result.stdout
    where = subprocess.run([str(py), "-c", "import giapp.paths as p; print(p.data_dir('forms'))"], cwd=elsewhere,
                           capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert str(env_dir) in where and str(ROOT) not in where
