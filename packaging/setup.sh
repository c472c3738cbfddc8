#!/usr/bin/env bash
# Sets up everything giapp needs on a fresh Debian/Ubuntu machine with Python 3.11:
# the system libraries Qt loads, a CJK font, and a virtual environment in .venv
# with giapp installed (editable) and its test tools. Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

apt_packages=(
  # Qt's xcb/offscreen platform plugins and fonts
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 libxcb-xinerama0 libxcb-xkb1
  # Chinese text renders as boxes without a CJK font
  fonts-noto-cjk
  # TrueType CJK fonts for the PDF roles (宋 uming, 楷 ukai / LXGW WenKai, 黑 WenQuanYi) and a
  # Times New Roman metric twin, as a Linux office desktop has them
  fonts-arphic-uming fonts-arphic-ukai fonts-lxgw-wenkai fonts-wqy-microhei fonts-liberation
  # reading our PDFs back in tests, and an independent reader of our .docx and .xlsx
  poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui
  # clean chroots of older Debian releases: the .deb's install tests and the old-systems build
  debootstrap
)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
