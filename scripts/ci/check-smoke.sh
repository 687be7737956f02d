#!/usr/bin/env bash
# Smoke test of `stagescope check` on the seed projects (tests/fixtures): every project that
# builds must be checked with exit 0 or 1 (a rule may fail, the check itself must work) and a
# SARIF log; the failing project must exit 3 (its build fails). slow-step is left out (a 22 s RUN).
set -uo pipefail
cd "$(dirname "$0")/../.."

out=$(mktemp -d /tmp/stagescope-check-smoke.XXXXXX)
trap 'rm -rf "$out"' EXIT
status=0
for project in go-hello named-stages target external-copy from-stage skip-stage hostile-names failing; do
  node bin/stagescope.js check "tests/fixtures/$project" --format sarif --output "$out/$project.sarif" 2>"$out/$project.err"
  rc=$?
  want="0 or 1"
  ok=0
  if [ "$project" = failing ]; then want=3; [ "$rc" -eq 3 ] && ok=1; else { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } && ok=1; fi
  if [ "$ok" -eq 1 ] && [ "$project" != failing ] && ! grep -q '"version": "2.1.0"' "$out/$project.sarif"; then ok=0; fi
  if [ "$ok" -eq 1 ]; then
    printf 'check %-14s exit %s\n' "$project" "$rc"
  else
    printf 'check %-14s exit %s, expected %s:\n' "$project" "$rc" "$want" >&2
    tail -5 "$out/$project.err" >&2
    status=1
  fi
done
exit "$status"
