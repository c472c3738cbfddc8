"""The Windows installer script compiles here (packaging/compile-iss.sh: Inno Setup's ISCC.exe
under wine, against a stub bundle), and a broken one fails here, not on the day of a release."""

import os
import subprocess

import pytest
from conftest import ROOT

SCRIPT = ROOT / "packaging" / "compile-iss.sh"


def compile_iss(iss=None):
    env = {**os.environ, **({"GIAPP_ISS": str(iss)} if iss else {})}
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=1500, env=env, cwd=ROOT)


def test_the_installer_script_is_utf8_with_a_bom():
    """Inno Setup before 6.3 reads a script without a BOM in the system's code page (GBK on a
    Chinese Windows): the Chinese texts would be garbled."""
    raw = (ROOT / "packaging" / "giapp.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "政府信息公开工作年度报告" in raw.decode("utf-8-sig")


@pytest.mark.needs_linux_tools
def test_the_installer_script_compiles_and_a_broken_one_fails(tmp_path):
    result = compile_iss()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "compiled: giapp-" in result.stdout and "安装程序.exe" in result.stdout

    broken = tmp_path / "坏的 giapp.iss"
    text = (ROOT / "packaging" / "giapp.iss").read_text(encoding="utf-8")
    broken.write_text(text.replace("resources\\icons\\gireport.ico", "resources\\icons\\没有这个.ico"), encoding="utf-8")
    result = compile_iss(broken)
    assert result.returncode != 0 and "没有这个.ico" in result.stdout + result.stderr
