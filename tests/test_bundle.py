"""The Linux bundle (PyInstaller, one folder) builds from a clean environment and passes its smoke
test: under 130 MB unpacked, --version, check and exports on the demo report, the window opening."""

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.needs_linux_tools
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle is built on Linux")
def test_linux_bundle_builds_and_passes_its_smoke_test(tmp_path):
    result = subprocess.run(["bash", str(ROOT / "packaging" / "build-linux.sh"), str(tmp_path / "dist")],
                            capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "smoke test passed" in result.stdout
    size = int(result.stdout.split("unpacked")[0].rsplit(",", 1)[1].strip().split()[0])
    assert size < 130
