#!/usr/bin/env bash
# The glibc a bundle needs: the highest GLIBC_x.y symbol version that any ELF file in it asks
# for (objdump -T). Prints "GLIBC_x.y  file" for the file(s) that set it, then the floor alone
# on the last line. Usage: bash packaging/glibc-floor.sh BUNDLE_DIR
set -euo pipefail
bundle="${1:?usage: glibc-floor.sh BUNDLE_DIR}"
list="$(mktemp)"
trap 'rm -f "$list"' EXIT
while IFS= read -r -d '' f; do
  [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
  objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u | sed "s|\$|\t${f#"$bundle"/}|" >> "$list" || true
done < <(find "$bundle" -type f -print0)
[ -s "$list" ] || { echo "no ELF file with GLIBC symbol versions in $bundle" >&2; exit 1; }
floor="$(cut -f1 "$list" | sort -u -V | tail -n 1)"
grep -P "^${floor}\t" "$list" | sort -u | head -n 5 | sed 's/\t/  /'
echo "$floor"
