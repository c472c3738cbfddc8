"""The build for older Debian-based systems (packaging/build-old-linux.sh): in a bullseye chroot
(glibc 2.31) with SQLite and CPython 3.11 compiled there for glibc 2.28 and PySide6 <= 6.9.3, its
bundle needs no glibc above packaging/glibc-floor-old.txt (2.28: 统信UOS 20, 银河麒麟 V10) and
no libstdc++ above GCC 5's, and its .deb installs with apt into a clean bullseye chroot, where
giapp --version, check on the demo and the window work, and purges clean.
The chroot and the compiled CPython are kept in /var/cache/giapp: the first run took 13 minutes
here, later ones 3 (README, "Minimum system, as measured")."""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

PACKAGING = ROOT / "packaging"
BULLSEYE = (2, 31)  # the oldest Debian release the package mirror serves
UOS_KYLIN = (2, 28)  # 统信UOS 20, 银河麒麟 V10 SP1


def version(floor: str) -> tuple[int, ...]:
    return tuple(int(x) for x in floor.strip().removeprefix("GLIBC_").split("."))


def test_the_recorded_old_systems_floor_stays_at_uos_and_kylins_glibc():
    """build-old-linux.sh fails when its bundle needs more than this file says; the file itself
    may not rise above glibc 2.28 (UOS 20, Kylin V10), nor above bullseye's 2.31, where it is tested."""
    old = (PACKAGING / "glibc-floor-old.txt").read_text().strip()
    assert old.startswith("GLIBC_2.")
    assert version(old) <= BULLSEYE, f"{old}: the old-systems build would no longer start on bullseye"
    assert version(old) <= UOS_KYLIN, f"{old}: the old-systems build would no longer start on UOS 20 / Kylin V10"
    assert version(old) < version((PACKAGING / "glibc-floor.txt").read_text())
    pins = (PACKAGING / "old-linux-constraints.txt").read_text()
    assert "PySide6-Essentials<=6.9.3" in pins  # 6.10 on are manylinux_2_34


def _can_build() -> str:
    if not sys.platform.startswith("linux"):
        return "the old-systems .deb is built on Linux"
    if not shutil.which("debootstrap"):  # packaging/setup.sh installs it (GitHub's container job deselects this test)
        return "debootstrap is not installed (apt-get install debootstrap): no chroot to build in"
    if os.geteuid() != 0:
        return "needs root (debootstrap, chroot and mount)"
    return ""


@pytest.mark.needs_linux_tools
@pytest.mark.skipif(bool(_can_build()), reason=_can_build() or "-")
def test_old_systems_deb_builds_on_bullseye_and_runs_there(tmp_path):
    out = tmp_path / "旧 系统"
    build = subprocess.run(["bash", str(PACKAGING / "build-old-linux.sh"), str(out)], capture_output=True,
                           text=True, timeout=3600, cwd=ROOT)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    assert "smoke test passed" in build.stdout
    measured = build.stdout.split("glibc floor: GLIBC_")[1].split()[0]
    assert version(measured) <= version((PACKAGING / "glibc-floor-old.txt").read_text()) <= BULLSEYE
    [deb] = out.glob("giapp_*.deb")
    depends = [d.strip() for d in subprocess.check_output(["dpkg-deb", "-f", str(deb), "Depends"], text=True).split(",")]
    assert depends[0] == f"libc6 (>= {measured})"
    assert "libffi7" in depends and "libffi8" not in depends  # bullseye's names, not bookworm's
    assert "libstdc++6 (>= 5)" in depends  # Qt 6.9 asks for GLIBCXX_3.4.21 at most
    files = subprocess.check_output(["dpkg-deb", "-c", str(deb)], text=True)
    assert "libpython3.11.so" in files and "PySide6/Qt/lib/libQt6Core.so.6" in files
    chroot = subprocess.run(["bash", str(PACKAGING / "test-deb-chroot.sh"), str(deb), "bullseye"],
                            capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert chroot.returncode == 0 and "chroot test passed on bullseye" in chroot.stdout, (
        chroot.stdout[-3000:] + chroot.stderr[-3000:])
