#!/usr/bin/env bash
# Compiles the Windows installer script (packaging/giapp.iss) here, with Inno Setup's own compiler
# (ISCC.exe from the npm package "innosetup") under wine, against a stub bundle folder: a broken
# installer script fails here, not on the day of a release. The installer made is thrown away.
# ISCC.exe is a 32-bit Windows program: it needs wine with 32-bit support. The wine installed
# here is used if there is one; else (as root, with debootstrap) a Debian 12 chroot with wine is
# made once in /var/cache/giapp/iscc-chroot (GIAPP_ISCC_CHROOT) and kept: measured here about 3 min (debootstrap) + 4 min
# (wine, i386) on a busy 2-core machine, 2.1 GB; each compile then takes 10-30 s. Adding i386 to
# the machine itself was left out: when Debian's i386 security index is out of step with amd64
# (seen here), every apt-get update of the machine fails with it.
# Usage: bash packaging/compile-iss.sh   (GIAPP_ISS=another.iss to try another script)  prints "compiled: <name> <size> bytes" on success
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=6.4.1   # Inno Setup's version, as the npm package "innosetup" numbers it
cache="$here/packaging/.innosetup-$version"
chroot_dir=""
if ! command -v wine >/dev/null; then
  chroot_dir="${GIAPP_ISCC_CHROOT:-/var/cache/giapp/iscc-chroot}"
  if ! { [ -d "$chroot_dir/usr" ] && chroot "$chroot_dir" sh -c "command -v wine" >/dev/null 2>&1; }; then
    [ "$(id -u)" -eq 0 ] || { echo "wine is not installed; as root this script makes a chroot with it" >&2; exit 3; }
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    rm -rf "$chroot_dir"
    mkdir -p "$(dirname "$chroot_dir")"
    # the machine's own Debian mirror, as apt is set up here (debootstrap's default where none is found)
    mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
    [ -n "$mirror" ] || mirror="$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
    debootstrap --variant=minbase bookworm "$chroot_dir" ${mirror:+"$mirror"} >/dev/null
    chroot "$chroot_dir" bash -c "dpkg --add-architecture i386 && apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends wine wine64 wine32:i386 >/dev/null"
  fi
fi
if [ ! -f "$cache/bin/ISCC.exe" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack "innosetup@$version" --silent >/dev/null && tar xzf "innosetup-$version.tgz")
  rm -rf "$cache"
  mv "$tmp/package" "$cache"
  rm -rf "$tmp"
fi

if [ -n "$chroot_dir" ]; then
  work="$(mktemp -d -p "$chroot_dir/tmp")"
  mount -t proc proc "$chroot_dir/proc"
  trap 'umount "$chroot_dir/proc"; rm -rf "$work"' EXIT
  mkdir -p "$chroot_dir/iscc" && cp -r "$cache/bin/." "$chroot_dir/iscc/"
  inside="${work#"$chroot_dir"}"
  run_wine() { chroot "$chroot_dir" env WINEPREFIX="$inside/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
      bash -c 'cd "$1" && wine /iscc/ISCC.exe /Q "$2"' _ "$inside/src" "Z:$(echo "$inside/src/packaging/giapp.iss" | tr / '\\')"; }
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  run_wine() { (cd "$work/src" && WINEPREFIX="$work/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
      wine "$cache/bin/ISCC.exe" /Q "Z:$(echo "$work/src/packaging/giapp.iss" | tr / '\\')"); }
fi
# the layout giapp.iss expects: packaging\giapp.iss, resources\icons, dist\giapp\ (the stub bundle)
mkdir -p "$work/src/packaging" "$work/src/resources" "$work/src/dist/giapp/_internal/giapp/resources/manual"
cp "${GIAPP_ISS:-$here/packaging/giapp.iss}" "$work/src/packaging/giapp.iss"
cp -r "$here/resources/icons" "$work/src/resources/"
for f in giapp.exe giapp-cli.exe _internal/giapp/resources/manual/index.html; do
  echo stub > "$work/src/dist/giapp/$f"
done
log="$work/iscc.log"
set +e
run_wine > "$log" 2>&1
rc=$?
set -e
grep -v -e '^wine: ' -e 'fixme:' "$log" || true
if [ "$rc" -ne 0 ]; then echo "FAIL: ISCC exited $rc" >&2; exit 1; fi
setup=("$work"/src/dist/giapp-*.exe)
[ -f "${setup[0]}" ] || { echo "FAIL: ISCC made no installer" >&2; exit 1; }
[ "$(head -c 2 "${setup[0]}")" = "MZ" ] || { echo "FAIL: the installer is not a Windows program" >&2; exit 1; }
echo "compiled: $(basename "${setup[0]}") $(stat -c %s "${setup[0]}") bytes"
