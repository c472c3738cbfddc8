#!/usr/bin/env bash
# Builds the one-folder Linux bundle (dist/giapp/) with PyInstaller from a clean environment that
# has only what pyproject.toml asks for (PySide6-Essentials, not the whole PySide6), then
# smoke-tests it: size, --version, check on the demo report, exports with embedded fonts, reading a
# published PDF and web page, and the
# window opening offscreen. Works on x86-64 and arm64 alike (build on the oldest distribution you
# support: the bundle needs its glibc or newer). Usage: bash packaging/build-linux.sh [DIST_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
dist="${1:-$here/dist}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python="${PYTHON:-python3}"
venv="${GIAPP_BUILD_VENV:-$here/packaging/.build-venv}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q . "pyinstaller>=6.10"
"$venv/bin/pyinstaller" --noconfirm --log-level ERROR --distpath "$dist" --workpath "$work/build" packaging/giapp.spec

bundle="$dist/giapp"
app="$bundle/giapp"
size_mb=$(( $(du -s --apparent-size --block-size=1 "$bundle" | cut -f1) / 1024 / 1024 ))
echo "bundle: $bundle, ${size_mb} MB unpacked"
if [ "$size_mb" -ge 130 ]; then echo "FAIL: the bundle is ${size_mb} MB (target < 130 MB)"; exit 1; fi
# the glibc the bundle needs (the oldest Linux it starts on) must not rise unnoticed
floor="$(bash packaging/glibc-floor.sh "$bundle" | tail -n 1)"
floor_file="${GIAPP_GLIBC_FLOOR_FILE:-packaging/glibc-floor.txt}"   # the old-systems build has its own
allowed="$(cat "$floor_file")"
echo "glibc floor: $floor ($floor_file: $allowed)"
if [ "$(printf '%s\n%s\n' "$floor" "$allowed" | sort -V | tail -n 1)" != "$allowed" ]; then
  bash packaging/glibc-floor.sh "$bundle"
  echo "FAIL: the bundle needs $floor, above $allowed: it would no longer start where it did"; exit 1
fi

smoke="$work/冒烟 测试"
mkdir -p "$smoke"
export QT_QPA_PLATFORM=offscreen HOME="$smoke" XDG_CONFIG_HOME="$smoke/config" XDG_DATA_HOME="$smoke/data"
"$app" --version
cp resources/demo/*.gireport "$smoke/demo.gireport"
set +e
(cd "$smoke" && "$app" check demo.gireport)
rc=$?
set -e
if [ "$rc" -ne 1 ]; then echo "FAIL: check on the demo report exited $rc (expected 1: its two annex errors)"; exit 1; fi
mkdir -p "$smoke/单位 报告"   # a batch large enough for worker processes: the frozen program starts them
for i in 1 2 3 4 5 6 7 8 9; do cp "$smoke/demo.gireport" "$smoke/单位 报告/单位 $i.gireport"; done
set +e
out=$(cd "$smoke" && "$app" check 单位\ 报告/*.gireport)
rc=$?
set -e
if [ "$rc" -ne 1 ] || [ "$(printf '%s\n' "$out" | grep -c '^单位 [1-9].gireport：')" -ne 9 ]; then
  printf '%s\n' "$out"; echo "FAIL: batch check of 9 files on workers (exit $rc)"; exit 1
fi
(cd "$smoke" && "$app" export demo.gireport --docx "d.docx" --pdf "d.pdf" --xlsx "d.xlsx")
if command -v pdffonts >/dev/null; then
  if pdffonts "$smoke/d.pdf" | tail -n +3 | awk '{print $(NF-4)}' | grep -qv yes; then
    echo "FAIL: a font is not embedded in the bundle's PDF"; exit 1
  fi
fi
(cd "$smoke" && "$app" import "从PDF.gireport" d.pdf)   # published files: pypdfium2 and lxml.html in the bundle
printf '%s' '<html><head><meta charset="gb2312"></head><body><div class="nav">首页</div><p>某某镇人民政府2025年政府信息公开工作年度报告</p><p><strong>一、总体情况</strong></p><p>正文。</p></body></html>' \
  | iconv -f utf-8 -t gb18030 > "$smoke/网页.html"
(cd "$smoke" && "$app" import "从网页.gireport" "网页.html")
GIAPP_EXIT_WHEN_SHOWN=1 timeout 120 "$app" "$smoke/demo.gireport"
GIAPP_EXIT_WHEN_SHOWN=1 timeout 120 "$app"   # the start page
echo "smoke test passed"
