"""Which installed font serves each role in the PDF, looked up where Windows, Linux and macOS keep
fonts; the open font shipped in resources/fonts is the fallback. reportlab embeds TrueType-outline
fonts only (CFF fonts such as Noto CJK are refused), always as subsets."""

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import data_dir

FALLBACK = "wqy-microhei.ttc"

# Candidate font files for each role, best first (file names as the fonts ship them).
CANDIDATES = {
    "title": ["FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXiaoBiaoSong-B05S.ttf", "simsun.ttc", "uming.ttc"],
    "body": ["仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "simfang.ttf", "STFANGSO.TTF", "uming.ttc"],
    "h1": ["simhei.ttf", "STHeiti.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc"],
    "h2": ["楷体_GB2312.ttf", "KaiTi_GB2312.ttf", "simkai.ttf", "STKAITI.TTF", "LXGWWenKai-Regular.ttf", "ukai.ttc"],
    "table": ["simsun.ttc", "simsun.ttf", "uming.ttc"],
    "page": ["simsun.ttc", "simsun.ttf", "uming.ttc"],
    "latin": ["times.ttf", "LiberationSerif-Regular.ttf", "Tinos-Regular.ttf"],
}


def font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", home / ".local/share/fonts",
             Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library/Fonts"]
    return [d for d in dirs if d.is_dir()]


@cache
def installed_fonts() -> dict[str, Path]:
    """File name (lower case) to path, for every font file in the usual places."""
    found: dict[str, Path] = {}
    for folder in font_dirs():
        for root, _, files in os.walk(folder):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


@dataclass(frozen=True)
class RoleFont:
    role: str
    path: Path
    shipped: bool  # the fallback from resources/fonts

    @property
    def label(self) -> str:
        return f"{self.path.name}{'（程序自带）' if self.shipped else ''}"


def truetype_outlines(path: Path) -> bool:
    """Whether the file (or a .ttc's first font) has TrueType (glyf) outlines, which reportlab
    can embed; read from the table directory without parsing the font."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                f.seek(12)
                offset = int.from_bytes(f.read(4), "big")
                f.seek(offset)
                head = f.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False
            tables = int.from_bytes(head[4:6], "big")
            directory = f.read(16 * tables)
            return any(directory[i:i + 4] == b"glyf" for i in range(0, len(directory), 16))
    except OSError:
        return False


@cache
def resolve(role: str) -> RoleFont | None:
    """The font file for a role; None for `latin` when no Latin serif is installed."""
    installed = installed_fonts()
    for name in CANDIDATES[role]:
        path = installed.get(name.lower())
        if path is not None and truetype_outlines(path):
            return RoleFont(role, path, False)
    if role == "latin":
        return None
    return RoleFont(role, data_dir("resources") / "fonts" / FALLBACK, True)


def fallback() -> RoleFont:
    return RoleFont("fallback", data_dir("resources") / "fonts" / FALLBACK, True)


def resolve_all() -> dict[str, RoleFont | None]:
    """What the settings show: which font serves which role."""
    return {role: resolve(role) for role in CANDIDATES}
