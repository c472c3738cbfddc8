"""The .deb for Debian-based desktops (统信UOS, 银河麒麟): packaging/build-deb.sh packs a bundle
(here a stub with a real system library in it) under /opt/giapp with giapp on the PATH, a
launcher with its Chinese name, the .gireport MIME type and icons; dpkg installs it into an
empty root and removes it without leaving a file. The glibc floor is measured (glibc-floor.sh)."""

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT

from giapp import __version__

pytestmark = pytest.mark.needs_linux_tools
PACKAGING = ROOT / "packaging"


def system_library(name: str) -> Path:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    return Path(next(line.split("=>")[1].strip() for line in out.splitlines() if line.strip().startswith(name + " ")))


@pytest.fixture
def bundle(tmp_path) -> Path:
    b = tmp_path / "构建 输出" / "giapp"
    (b / "_internal").mkdir(parents=True)
    (b / "giapp").write_text(f'#!/bin/sh\necho "giapp {__version__}"\n', encoding="utf-8")
    (b / "giapp").chmod(0o755)
    shutil.copyfile(system_library("libsqlite3.so.0"), b / "_internal" / "libsqlite3.so.0")
    shutil.copyfile(system_library("libz.so.1"), b / "_internal" / "libz.so.1")
    return b


def glibc_floor(folder: Path) -> str:
    out = subprocess.run(["bash", str(PACKAGING / "glibc-floor.sh"), str(folder)], capture_output=True, text=True,
                         check=True).stdout
    return out.splitlines()[-1]


def test_glibc_floor_is_the_highest_version_any_file_needs(bundle):
    each = {}
    for lib in (bundle / "_internal").iterdir():
        dump = subprocess.run(["objdump", "-T", str(lib)], capture_output=True, text=True, check=True).stdout
        versions = {w.strip("()") for w in dump.split() if w.strip("()").startswith("GLIBC_2.")}
        each[lib.name] = max(versions, key=lambda v: tuple(map(int, v[6:].split("."))))
    floor = glibc_floor(bundle)
    assert floor == max(each.values(), key=lambda v: tuple(map(int, v[6:].split("."))))
    assert floor in each.values() and floor.startswith("GLIBC_2.")


def test_the_deb_installs_and_removes_cleanly(bundle, tmp_path):
    out = tmp_path / "包"
    result = subprocess.run(["bash", str(PACKAGING / "build-deb.sh"), str(bundle), str(out)], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    [deb] = out.glob("giapp_*.deb")
    assert deb.name == f"giapp_{__version__}_{subprocess.check_output(['dpkg', '--print-architecture'], text=True).strip()}.deb"

    field = lambda name: subprocess.check_output(["dpkg-deb", "-f", str(deb), name], text=True).strip()  # noqa: E731
    assert field("Package") == "giapp" and field("Version") == __version__
    depends = [d.strip() for d in field("Depends").split(",")]
    assert depends[0] == f"libc6 (>= {glibc_floor(bundle).removeprefix('GLIBC_')})"
    assert "zlib1g" not in depends  # in the bundle itself
    assert "政府信息公开工作年度报告" in field("Description")
    control = subprocess.check_output(["dpkg-deb", "-I", str(deb)], text=True)
    assert "postinst" not in control and "prerm" not in control and "postrm" not in control  # dpkg's triggers do it

    files = subprocess.check_output(["dpkg-deb", "-c", str(deb)], text=True)
    assert "./usr/bin/giapp -> /opt/giapp/giapp" in files
    for path in ("./opt/giapp/giapp", "./opt/giapp/_internal/libsqlite3.so.0", "./usr/share/applications/giapp.desktop",
                 "./usr/share/mime/packages/giapp.xml", "./usr/share/icons/hicolor/256x256/apps/giapp.png",
                 "./usr/share/icons/hicolor/256x256/mimetypes/application-x-gireport.png"):
        assert path in files, path
    assert "root/root" in files and "rwxr-xr-x root/root" in next(l for l in files.splitlines() if l.endswith("./opt/giapp/giapp"))

    tree = tmp_path / "展开"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
    desktop = configparser.ConfigParser(interpolation=None, strict=True)
    desktop.optionxform = str
    desktop.read(tree / "usr/share/applications/giapp.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Name"] == "政府信息公开工作年度报告" and entry["Exec"] == "giapp %f" and entry["Icon"] == "giapp"
    mime = ET.parse(tree / "usr/share/mime/packages/giapp.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    [kind] = mime.findall("m:mime-type", ns)
    assert entry["MimeType"] == kind.get("type") + ";"
    assert kind.find("m:glob", ns).get("pattern") == "*.gireport"
    assert kind.find("m:icon", ns).get("name") == "application-x-gireport"
    assert (tree / "usr/share/icons/hicolor/256x256/mimetypes/application-x-gireport.png").read_bytes()[:4] == b"\x89PNG"
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(tree / "usr/share/applications/giapp.desktop")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout

    root = tmp_path / "系统"
    (root / "var/lib/dpkg/info").mkdir(parents=True)
    (root / "var/lib/dpkg/updates").mkdir()
    (root / "var/lib/dpkg/status").write_text("")
    dpkg = ["dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless", "--log=/dev/null"]
    subprocess.run([*dpkg, "-i", str(deb)], check=True, capture_output=True)
    assert os.readlink(root / "usr/bin/giapp") == "/opt/giapp/giapp"
    assert subprocess.check_output([root / "opt/giapp/giapp"], text=True).strip() == f"giapp {__version__}"
    subprocess.run([*dpkg, "--purge", "giapp"], check=True, capture_output=True)
    left = [p for p in root.rglob("*") if not p.relative_to(root).as_posix().startswith("var")]
    assert left == []


def test_depends_asks_for_the_libstdcxx_the_bundled_cxx_libraries_need(bundle, tmp_path):
    """A C++ library in the bundle (here ICU, as Qt would be) asks for GLIBCXX_3.4.30: that came
    with GCC 12, so Depends says libstdc++6 (>= 12), which the build machine's libstdc++6 satisfies;
    with libstdc++ in the bundle itself, Depends does not name it."""
    icu = system_library("libicuuc.so.72")
    dump = subprocess.run(["objdump", "-T", str(icu)], capture_output=True, text=True, check=True).stdout
    assert "GLIBCXX_3.4.30" in dump and "GLIBCXX_3.4.31" not in dump
    shutil.copyfile(icu, bundle / "_internal" / icu.name)

    def depends(out: Path) -> list[str]:
        subprocess.run(["bash", str(PACKAGING / "build-deb.sh"), str(bundle), str(out)], capture_output=True, check=True)
        [deb] = out.glob("giapp_*.deb")
        return [d.strip() for d in subprocess.check_output(["dpkg-deb", "-f", str(deb), "Depends"], text=True).split(",")]

    [cxx] = [d for d in depends(tmp_path / "一") if d.startswith("libstdc++6")]
    assert cxx == "libstdc++6 (>= 12)"
    installed = subprocess.check_output(["dpkg-query", "-W", "-f=${Version}", "libstdc++6"], text=True)
    assert subprocess.run(["dpkg", "--compare-versions", installed, "ge", "12"]).returncode == 0
    shutil.copyfile(system_library("libstdc++.so.6"), bundle / "_internal" / "libstdc++.so.6")
    assert not [d for d in depends(tmp_path / "二") if d.startswith("libstdc++6")]
