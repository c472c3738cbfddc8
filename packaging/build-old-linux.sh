#!/usr/bin/env bash
# Builds the bundle and the .deb for older Debian-based systems inside a chroot of the oldest Debian
# release the mirror serves (bullseye, glibc 2.31): the bundle needs the glibc it was built on, and
# what is compiled here is compiled for glibc 2.28 (统信UOS 20, 银河麒麟 V10).
#   1. the chroot (debootstrap, kept in /var/cache/giapp/build-SUITE) with compilers, the -dev
#      packages CPython needs and the libraries Qt takes from the desktop;
#   2. SQLite (bullseye's sqlite3 source package) and CPython 3.11 (the upstream tarball of
#      Debian's python3.11 source package, apt-get source from a bookworm deb-src line; bullseye has
#      no 3.11), --enable-shared, compiled for glibc 2.28 (see step 2 below), installed in /opt/py311
#      of the chroot and kept there;
#   3. packaging/build-linux.sh run there with that Python and PySide6-Essentials <= 6.9.3 (the newest
#      manylinux_2_28 wheel; packaging/old-linux-constraints.txt), smoke test included, the floor
#      checked against packaging/glibc-floor-old.txt;
#   4. packaging/build-deb.sh run there: Depends takes the release's own package names.
# The .deb and the bundle (giapp/) land in OUT_DIR.
# As root. Usage: bash packaging/build-old-linux.sh [OUT_DIR (dist/SUITE)]
# GIAPP_OLD_SUITE picks the release (bullseye); GIAPP_CHROOT_CACHE the cache folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${GIAPP_OLD_SUITE:-bullseye}"
cache="${GIAPP_CHROOT_CACHE:-/var/cache/giapp}"
root="$cache/build-$suite"
out="${1:-$here/dist/$suite}"
mkdir -p "$out" "$cache"
out="$(cd "$out" && pwd)"
start=$SECONDS

# the machine's own Debian mirror, as apt is set up here (debootstrap's default where none is, e.g. on Ubuntu)
mirror="$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
[ -n "$mirror" ] || mirror="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"

mounted=()
cleanup() { for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done; }
trap cleanup EXIT
mount_in() {
  if ! mountpoint -q "$root/$1"; then
    if [ "$1" = proc ]; then mount -t proc proc "$root/proc"; else mount --bind "/$1" "$root/$1"; fi
    mounted=("$root/$1" "${mounted[@]}")
  fi
}
in_root() { chroot "$root" env -i PATH=/opt/py311/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root \
  LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# 1. the build chroot
if [ ! -e "$root/.giapp-packages" ]; then
  echo "== $suite chroot: debootstrap and packages"
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    base="$cache/base-$suite"   # the clean base test-deb-chroot.sh installs into: made once, for both
    if [ ! -x "$base/usr/bin/apt-get" ]; then
      rm -rf "$base"
      debootstrap --variant=minbase "$suite" "$base" ${mirror:+"$mirror"} >/dev/null
    fi
    # never remove a tree with the machine's /dev or /proc still mounted in it (an interrupted run)
    if grep -q " $root/" /proc/mounts; then echo "something is still mounted under $root: umount it first" >&2; exit 1; fi
    rm -rf "$root"
    mkdir -p "$root"
    cp -a "$base/." "$root/"
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount_in proc
  in_root apt-get update -qq
  in_root apt-get install -y -qq --no-install-recommends \
    build-essential pkg-config ca-certificates xz-utils binutils file \
    libssl-dev libffi-dev libsqlite3-dev liblzma-dev libbz2-dev zlib1g-dev libreadline-dev libncurses-dev uuid-dev \
    libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 \
    libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 \
    libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0 libegl1 libgl1 libopengl0 \
    libcups2 fonts-wqy-microhei >/dev/null
  touch "$root/.giapp-packages"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount_in proc
mount_in dev
# source packages: SQLite from bullseye, Python 3.11 from bookworm (bullseye has no 3.11)
deb_mirror="$(awk '$1 == "deb" {print $2; exit}' "$root/etc/apt/sources.list")"
printf 'deb-src %s bullseye main\ndeb-src %s bookworm main\n' "$deb_mirror" "$deb_mirror" \
  > "$root/etc/apt/sources.list.d/giapp-src.list"
rm -f "$root/etc/apt/sources.list.d/bookworm-src.list"
# the machine's local CA certificates (a proxy's, say), so that pip reaches the package index as here
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null
fi

# 2. SQLite and CPython 3.11, built once (again when this recipe changes). Both are compiled for
#    glibc 2.28: packaging/glibc-2.28-compat.h links the libm functions glibc 2.29 re-versioned to
#    their first versions, and configure is told that sem_clockwait (glibc 2.30) is missing, so
#    Python's locks use sem_timedwait as on a glibc 2.28 system. SQLite is built too because
#    bullseye's libsqlite3 asks for log@GLIBC_2.29.
recipe="sqlite 3.34 + cpython 3.11, glibc 2.28 compat"
if [ "$(cat "$root/opt/py311/.giapp-recipe" 2>/dev/null)" != "$recipe" ]; then
  echo "== SQLite and CPython 3.11 from Debian's sqlite3 and python3.11 source packages"
  t=$SECONDS
  rm -rf "$root/opt/py311" "$root/opt/build-venv"
  mkdir -p "$root/opt/py311/include"
  cp "$here/packaging/glibc-2.28-compat.h" "$root/opt/py311/include/"
  in_root bash -euc '
    apt-get update -qq && apt-get install -y -qq --no-install-recommends tcl >/dev/null
    export CFLAGS="-O2 -include /opt/py311/include/glibc-2.28-compat.h"
    rm -rf /build && mkdir -p /build/sqlite /build/python
    cd /build/sqlite
    apt-get source --download-only -qq sqlite3/bullseye
    tar xf sqlite3_*.orig.tar.*
    cd sqlite*/
    ./configure -q --prefix=/opt/py311 --disable-tcl --disable-static LIBS=-lm \
      CFLAGS="$CFLAGS -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
              -DSQLITE_ENABLE_JSON1 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_SECURE_DELETE" >/dev/null
    make -s -j"$(nproc)" >/build/sqlite.log 2>&1 && make -s install >>/build/sqlite.log 2>&1 \
      || { tail -n 50 /build/sqlite.log; exit 1; }
    cd /build/python
    apt-get source --download-only -qq python3.11/bookworm
    tar xf python3.11_*.orig.tar.*
    cd Python-3.11*/
    ./configure -q --prefix=/opt/py311 --enable-shared ac_cv_func_sem_clockwait=no \
      LIBSQLITE3_CFLAGS="-I/opt/py311/include" LIBSQLITE3_LIBS="-L/opt/py311/lib -lsqlite3" \
      LDFLAGS="-L/opt/py311/lib -Wl,-rpath,/opt/py311/lib" >/dev/null
    make -s -j"$(nproc)" >/build/python.log 2>&1 || { tail -n 50 /build/python.log; exit 1; }
    make -s install >>/build/python.log 2>&1 || { tail -n 50 /build/python.log; exit 1; }
    cd / && rm -rf /build'
  echo "$recipe" > "$root/opt/py311/.giapp-recipe"
  echo "SQLite and CPython built in $((SECONDS - t)) s"
fi
in_root /opt/py311/bin/python3.11 -c 'import sqlite3, ctypes, lzma, bz2, zlib, ssl, sys; print("python", sys.version.split()[0], "sqlite", sqlite3.sqlite_version)'

# 3. the bundle, from the working tree as it is
echo "== bundle"
rm -rf "$root/src" "$root/out"
mkdir -p "$root/src" "$root/out"
git -C "$here" ls-files -z --cached --others --exclude-standard | (cd "$here" && tar --null -T - -c) | tar -x -C "$root/src"
in_root env PYTHON=/opt/py311/bin/python3.11 GIAPP_BUILD_VENV=/opt/build-venv PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
  PIP_CONSTRAINT=/src/packaging/old-linux-constraints.txt GIAPP_GLIBC_FLOOR_FILE=packaging/glibc-floor-old.txt \
  bash /src/packaging/build-linux.sh /out/dist
# the PySide6 of this build keeps Python's reference counts (tests/test_qt_build.py), on this Python
in_root env PIP_CERT=/etc/ssl/certs/ca-certificates.crt /opt/build-venv/bin/python -m pip install -q "pytest>=8" "pytest-qt>=4.4"
in_root env QT_QPA_PLATFORM=offscreen bash -c 'cd /src && /opt/build-venv/bin/python -m pytest -q -p no:cacheprovider \
  tests/test_qt_build.py && /opt/build-venv/bin/python -c "import PySide6; print(\"PySide6\", PySide6.__version__)"'

# 4. the .deb, with the release's package names
echo "== deb"
in_root bash /src/packaging/build-deb.sh /out/dist/giapp /out
cp "$root"/out/giapp_*.deb "$out/"
rm -rf "$out/giapp"
cp -a "$root/out/dist/giapp" "$out/giapp"   # the bundle too: build-deb.sh on UOS/Kylin makes a native .deb of it
rm -rf "$root/src" "$root/out"
echo "built on $suite in $((SECONDS - start)) s: $(ls "$out"/giapp_*.deb)"
