"""Which installed font serves each role in the PDF, looked up where Windows, Linux and macOS keep
fonts; the open font shipped in resources/fonts is the fallback. reportlab embeds TrueType-outline
fonts only (CFF fonts such as Noto CJK are refused), always as subsets."""

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import data_dir

FALLBACK = "wqy-microhei.ttc"

# Candidate font files for each role, best first (file names as the fonts ship them), with the kind of
# face each is. The _GB2312 and 方正 faces come first; Windows' own FangSong, KaiTi, SimHei and SimSun
# count as the official faces too; what follows them is a face of another kind or an open substitute.
CANDIDATES = {
    "title": [("FZXBSJW.TTF", "小标宋"), ("FZXBSK.TTF", "小标宋"), ("方正小标宋简体.ttf", "小标宋"),
              ("方正小标宋_GBK.ttf", "小标宋"), ("FZXiaoBiaoSong-B05S.ttf", "小标宋"), ("FZXiaoBiaoSong-B05.ttf", "小标宋"),
              ("simsun.ttc", "宋体（常规字重）"), ("uming.ttc", "明体（常规字重）")],
    "body": [("仿宋_GB2312.ttf", "仿宋"), ("FangSong_GB2312.ttf", "仿宋"), ("FS_GB2312.ttf", "仿宋"),
             ("FZFSK.TTF", "仿宋"), ("FZFSJW.TTF", "仿宋"), ("simfang.ttf", "仿宋"), ("STFANGSO.TTF", "仿宋"),
             ("simsun.ttc", "宋体"), ("uming.ttc", "明体")],
    "h1": [("simhei.ttf", "黑体"), ("FZHTK.TTF", "黑体"), ("FZHTJW.TTF", "黑体"), ("STHeiti.ttf", "黑体"),
           ("wqy-microhei.ttc", "文泉驿微米黑"), ("wqy-zenhei.ttc", "文泉驿正黑")],
    "h2": [("楷体_GB2312.ttf", "楷体"), ("KaiTi_GB2312.ttf", "楷体"), ("KT_GB2312.ttf", "楷体"), ("FZKTK.TTF", "楷体"),
           ("FZKTJW.TTF", "楷体"), ("simkai.ttf", "楷体"), ("STKAITI.TTF", "楷体"), ("LXGWWenKai-Regular.ttf", "楷体"),
           ("ukai.ttc", "楷体")],
    "table": [("simsun.ttc", "宋体"), ("simsun.ttf", "宋体"), ("FZSSK.TTF", "宋体"), ("STSONG.TTF", "宋体"),
              ("uming.ttc", "宋体")],
    "page": [("simsun.ttc", "宋体"), ("simsun.ttf", "宋体"), ("FZSSK.TTF", "宋体"), ("STSONG.TTF", "宋体"),
             ("uming.ttc", "宋体")],
    "latin": [("times.ttf", "Times"), ("LiberationSerif-Regular.ttf", "Times"), ("Tinos-Regular.ttf", "Times")],
}
# The kind of face each role asks for (GB/T 9704): a face of another kind is a fallback.
ROLE_KINDS = {"title": "小标宋", "body": "仿宋", "h1": "黑体", "h2": "楷体", "table": "宋体", "page": "宋体",
              "latin": "Times"}
SHIPPED_KIND = "文泉驿微米黑"


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
    kind: str = ""  # the kind of face: 仿宋, 明体, 文泉驿微米黑 …

    @property
    def label(self) -> str:
        return f"{self.path.name}{'（程序自带）' if self.shipped else ''}"

    @property
    def substitute(self) -> bool:
        """A face of another kind than the role asks for, or anything in WenQuanYi."""
        return self.kind != ROLE_KINDS.get(self.role, self.kind) or self.kind.startswith("文泉驿")


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
    for name, kind in CANDIDATES[role]:
        path = installed.get(name.lower())
        if path is not None and truetype_outlines(path):
            return RoleFont(role, path, False, kind)
    if role == "latin":
        return None
    return RoleFont(role, data_dir("resources") / "fonts" / FALLBACK, True, SHIPPED_KIND)


def fallback() -> RoleFont:
    return RoleFont("fallback", data_dir("resources") / "fonts" / FALLBACK, True, SHIPPED_KIND)


def resolve_all() -> dict[str, RoleFont | None]:
    """What the settings show: which font serves which role."""
    return {role: resolve(role) for role in CANDIDATES}


def fallback_roles() -> dict[str, RoleFont]:
    """The roles the PDF sets in a face of another kind (仿宋 in a 明/宋 face, 小标宋 in a regular
    weight, anything in WenQuanYi): what the window tells the clerk once before exporting."""
    return {role: found for role, found in resolve_all().items() if found is not None and found.substitute}


def fallback_notice() -> str:
    """The notice for fallback_roles(), in Chinese; empty when every role has its official face."""
    from .paper import ROLE_NAMES

    roles = fallback_roles()
    if not roles:
        return ""
    lines = [f"{ROLE_NAMES[role]}：用{found.kind}代替（{found.label}）" for role, found in roles.items()]
    return ("本机未安装以下公文字体，导出的 PDF 将用其他字体代替，版式与正式公文略有不同：\n"
            + "\n".join(lines)
            + "\n\n安装方法见使用手册“安装公文字体”一节（方正小标宋为商业字体，请安装本单位已购买的字体）。"
            "Word 文件不受影响，在装有这些字体的电脑上打开即为正式字体。")
