#!/usr/bin/env bash
# Packs the Linux bundle (packaging/build-linux.sh) as a .deb for Debian-based desktops (统信UOS,
# 银河麒麟, Debian, Ubuntu): the bundle under /opt/giapp, `giapp` on the PATH, a launcher in the
# applications menu with its Chinese name, the .gireport file type (MIME type, icon, opened by
# giapp). No maintainer scripts: dpkg's triggers of the desktop, MIME and icon databases do the
# rest, and removing the package leaves nothing behind. Depends names the system libraries the
# bundle takes from the desktop (packages found with dpkg -S on the build machine) and the glibc
# it needs (packaging/glibc-floor.sh). Build it on the oldest system you serve.
# Usage: bash packaging/build-deb.sh [BUNDLE_DIR (dist/giapp)] [OUT_DIR (dist)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$(cd "${1:-$here/dist/giapp}" && pwd)"
out="${2:-$here/dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
[ -x "$bundle/giapp" ] || { echo "no bundle at $bundle (run packaging/build-linux.sh first)" >&2; exit 1; }

version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$here/giapp/__init__.py")"
arch="$(dpkg --print-architecture)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/giapp_${version}_${arch}"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/mime/packages" \
  "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/icons/hicolor/256x256/mimetypes" "$root/usr/share/doc/giapp"
cp -a "$bundle" "$root/opt/giapp"
chmod -R u+rwX,go+rX,go-w "$root/opt/giapp"
ln -s /opt/giapp/giapp "$root/usr/bin/giapp"
cp "$here/resources/icons/giapp.png" "$root/usr/share/icons/hicolor/256x256/apps/giapp.png"
cp "$here/resources/icons/gireport.png" "$root/usr/share/icons/hicolor/256x256/mimetypes/application-x-gireport.png"

cat > "$root/usr/share/applications/giapp.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=政府信息公开工作年度报告
Name[zh_CN]=政府信息公开工作年度报告
GenericName=年度报告填报
Comment=填报、校验、签发、导出政府信息公开工作年度报告
Exec=giapp %f
TryExec=giapp
Icon=giapp
Terminal=false
MimeType=application/x-gireport;
Categories=Office;
Keywords=政府信息公开;年度报告;gireport;
StartupNotify=true
DESKTOP

cat > "$root/usr/share/mime/packages/giapp.xml" <<'MIME'
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-gireport">
    <comment>Government information disclosure annual report</comment>
    <comment xml:lang="zh_CN">政府信息公开工作年度报告文件</comment>
    <sub-class-of type="application/vnd.sqlite3"/>
    <icon name="application-x-gireport"/>
    <glob pattern="*.gireport" weight="80"/>
  </mime-type>
</mime-info>
MIME

cat > "$root/usr/share/doc/giapp/copyright" <<'COPYRIGHT'
giapp: 政府信息公开工作年度报告
The bundle under /opt/giapp carries Python (PSF), Qt and PySide6 (LGPL-3.0), openpyxl (MIT),
reportlab (BSD), python-docx (MIT), lxml (BSD), pypdfium2 and PDFium (Apache-2.0 / BSD-3-Clause),
Pillow (MIT-CMU), platformdirs (MIT) and WenQuanYi Micro Hei (Apache-2.0 / GPL-3.0 with font exception).
COPYRIGHT

# What the bundle takes from the system: every NEEDED library that is not in the bundle itself.
needed="$work/needed"
: > "$needed"
while IFS= read -r -d '' f; do
  [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
  objdump -p "$f" 2>/dev/null | awk '$1 == "NEEDED" {print $2}' >> "$needed" || true
done < <(find "$bundle" -type f -print0)
ldconfig -p > "$work/ldconfig"
packages=()
for lib in $(sort -u "$needed"); do
  [ -n "$(find "$bundle" -name "$lib" -print -quit)" ] && continue
  case "$lib" in libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libutil.so.*|ld-linux*) continue ;; esac
  path="$(awk -v l="$lib" '$1 == l {print $NF}' "$work/ldconfig" | head -c 4096 | sed -n 1p)"
  [ -n "$path" ] || { echo "warning: $lib is needed but not installed here; not in Depends" >&2; continue; }
  pkg="$( (dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true) | sed -n '1s/:.*//p')"
  [ -n "$pkg" ] && packages+=("$pkg")
done
floor="$(bash "$here/packaging/glibc-floor.sh" "$bundle" | tail -n 1 | sed 's/GLIBC_//')"
depends="libc6 (>= $floor)"
# the libstdc++ the bundle's C++ libraries need (Qt): the highest GLIBCXX_3.4.x symbol version any
# file asks for, as the GCC release that brought it (libstdc++ manual, "ABI Policy"); Debian's
# libstdc++6 carries GCC's version number
glibcxx="$(find "$bundle" -type f -name '*.so*' -exec objdump -T {} + 2>/dev/null | { grep -o 'GLIBCXX_3\.4\.[0-9]*' || true; } \
  | sort -u -V | tail -n 1 | sed 's/GLIBCXX_3\.4\.//')"
case "${glibcxx:-0}" in
  2[0-9]|3[0-9]) gcc="$(echo "21:5 22:6 23:7 24:7.2 25:8 26:9 27:9.2 28:9.3 29:11 30:12 31:13 32:13.2 33:14" \
                  | tr ' ' '\n' | awk -F: -v v="$glibcxx" '$1 <= v {g = $2} END {print g}')" ;;
  *) gcc="" ;;
esac
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
  case "$p" in
    libc6) ;;
    libstdc++6) depends="$depends, $p${gcc:+ (>= $gcc)}" ;;
    *) depends="$depends, $p" ;;
  esac
done
# a CJK font for the window (the PDFs embed their own)
depends="$depends, fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"

size_kb="$(du -sk "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: giapp
Version: $version
Architecture: $arch
Maintainer: giapp <giapp@localhost>
Installed-Size: $size_kb
Depends: $depends
Recommends: shared-mime-info, desktop-file-utils, hicolor-icon-theme
Section: misc
Priority: optional
Description: 政府信息公开工作年度报告：填报、校验、签发、导出
 A desktop program with which township offices prepare the statutory annual
 report on government information disclosure: entry, checks, sign-off, and
 the Word, PDF and Excel files; county offices add the reports up.
CONTROL

deb="$out/giapp_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "deb: $deb"
echo "glibc floor: GLIBC_$floor"
echo "depends: $depends"
