"""The Linux bundle (PyInstaller, one folder) builds from a clean environment and passes its smoke
test: under 130 MB unpacked, its glibc floor not above packaging/glibc-floor.txt, --version, check
and exports on the demo report, the window opening; build-deb.sh packs it, and the .deb installs
with apt into a clean Debian 12 chroot, checks the demo there, opens the window and purges clean."""

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
    floor = (ROOT / "packaging" / "glibc-floor.txt").read_text().strip()
    assert f"(packaging/glibc-floor.txt: {floor})" in result.stdout
    measured = result.stdout.split("glibc floor: GLIBC_")[1].split()[0]
    deb = subprocess.run(["bash", str(ROOT / "packaging" / "build-deb.sh"), str(tmp_path / "dist" / "giapp"),
                          str(tmp_path / "deb")], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert deb.returncode == 0, deb.stderr[-3000:]
    assert f"Depends: libc6 (>= {measured})" in deb.stdout.replace("depends:", "Depends:")
    assert "libstdc++6 (>= 11)" in deb.stdout  # Qt 6.11 asks for GLIBCXX_3.4.29 (GCC 11)
    [package] = (tmp_path / "deb").glob("giapp_*.deb")
    # installed with apt into a clean Debian 12 chroot: --version, check on the demo, the window, purge
    chroot = subprocess.run(["bash", str(ROOT / "packaging" / "test-deb-chroot.sh"), str(package), "bookworm"],
                            capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert chroot.returncode == 0 and "chroot test passed on bookworm" in chroot.stdout, (
        chroot.stdout[-3000:] + chroot.stderr[-3000:])
