#!/usr/bin/env bash
# Compares the installed packages with a snapshot taken before provisioning (dpkg_snapshot in
# lib.sh), prints what changed, and fails when provisioning upgraded, downgraded or removed a
# package it does not name, or took an unnamed package from an extra suite (trixie).
# New packages from the machine's own suites, pulled in as dependencies of named ones, are
# listed and allowed.
#   usage: packages-changed.sh BEFORE_FILE NAMED_PACKAGE...
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"

before=$1
shift
declare -A named=()
for p in "$@"; do named[$p]=1; done

after=$(mktemp)
trap 'rm -f "$after"' EXIT
# STAGESCOPE_PACKAGES_AFTER: a snapshot file to compare instead of the machine (for tests).
if [ -n "${STAGESCOPE_PACKAGES_AFTER:-}" ]; then cp "$STAGESCOPE_PACKAGES_AFTER" "$after"; else dpkg_snapshot >"$after"; fi

bad=0
installed=0
# join on package name: lines "pkg old new", with "-" for a side that lacks it
changes=$(join -a1 -a2 -e - -o 0,1.2,2.2 -t $'\t' "$before" "$after" | tr '\t' ' ' | awk '$2 != $3')

# Which new packages came from an extra suite only: one apt-cache call for all of them, since
# each call takes seconds on a busy machine (one per package took 7 minutes for 62 packages).
declare -A from_extra=()
new_versions=$(awk '$2 == "-" && $3 != "-" { print $1, $3 }' <<<"$changes")
if [ -n "$new_versions" ]; then
  # shellcheck disable=SC2046
  while read -r pkg; do from_extra[$pkg]=1; done < <(
    apt-cache madison $(cut -d' ' -f1 <<<"$new_versions") 2>/dev/null |
      awk -F'|' 'NR == FNR { want[$1] = $2; next }
        { p = $1; v = $2; gsub(/ /, "", p); gsub(/ /, "", v) }
        want[p] == v { if ($3 ~ /trixie/) extra[p] = 1; else own[p] = 1 }
        END { for (p in extra) if (!(p in own)) print p }' FS=' ' <(printf '%s\n' "$new_versions") FS='|' -)
fi

while read -r pkg old new; do
  [ -z "$pkg" ] && continue
  if [ "$old" = "-" ]; then
    installed=$((installed + 1))
    if [ -z "${named[$pkg]:-}" ] && [ -n "${from_extra[$pkg]:-}" ]; then
      echo "provisioning installed $pkg $new from trixie, which it does not name" >&2
      bad=1
    fi
    note_change "installed package $pkg $new${named[$pkg]:+ (named)}"
  elif [ "$new" = "-" ]; then
    echo "provisioning removed $pkg $old" >&2
    note_change "REMOVED package $pkg $old"
    bad=1
  else
    note_change "upgraded package $pkg $old -> $new${named[$pkg]:+ (named)}"
    if [ -z "${named[$pkg]:-}" ]; then
      echo "provisioning changed $pkg $old -> $new, which it does not name" >&2
      bad=1
    fi
  fi
done <<<"$changes"

echo "packages: $installed installed, $(grep -c . "$after") in all"
if [ "$bad" != 0 ]; then
  echo "Provisioning changed packages it does not name (see above); nothing here downgrades them." >&2
  exit 1
fi
