#!/usr/bin/env bash
# Installs a giapp .deb into a clean chroot of a Debian release (as a clerk's desktop would get it:
# apt resolves its Depends from the release's own packages), then runs `giapp --version`, `giapp
# check` on the demo report and starts the window offscreen there, and removes the package again.
# The minimal base system is made once per release with debootstrap and kept in
# /var/cache/giapp/base-SUITE (GIAPP_CHROOT_CACHE); each run works on a fresh copy of it.
# As root. Usage: bash packaging/test-deb-chroot.sh DEB [SUITE (bookworm)]
set -euo pipefail
deb="$(readlink -f "${1:?usage: test-deb-chroot.sh DEB [SUITE]}")"
suite="${2:-bookworm}"
cache="${GIAPP_CHROOT_CACHE:-/var/cache/giapp}"
base="$cache/base-$suite"
if [ ! -x "$base/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  rm -rf "$base"
  mkdir -p "$cache"
  # the machine's own Debian mirror, as apt is set up here (debootstrap's default where none is found,
  # e.g. on Ubuntu)
  mirror="$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$mirror" ] || mirror="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
  debootstrap --variant=minbase "$suite" "$base" ${mirror:+"$mirror"} >/dev/null
fi
root="$(mktemp -d -p "$cache" "test-$suite.XXXX")"
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT
cp -a "$base/." "$root/"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/giapp.deb"
in_root() { chroot "$root" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"; }
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/giapp.deb >/dev/null
echo "installed on $suite: $(in_root dpkg-query -W -f='${Package} ${Version}' giapp)"
in_root giapp --version
cp "$root"/opt/giapp/_internal/giapp/resources/demo/*.gireport "$root/tmp/示例 报告.gireport"
set +e
in_root giapp check "/tmp/示例 报告.gireport"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "FAIL: check on the demo exited $rc (expected 1: its two annex errors)"; exit 1; }
in_root env GIAPP_EXIT_WHEN_SHOWN=1 timeout 120 giapp "/tmp/示例 报告.gireport" | grep -q shown \
  || { echo "FAIL: the window did not open"; exit 1; }
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq giapp >/dev/null
[ ! -e "$root/opt/giapp" ] && [ ! -e "$root/usr/bin/giapp" ] || { echo "FAIL: removal left files"; exit 1; }
echo "chroot test passed on $suite"
