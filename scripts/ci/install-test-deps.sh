#!/usr/bin/env bash
# Installs the Debian packages the tests need. Idempotent: apt-get runs only when a package
# is missing, so a provisioned machine pays nothing.
# The list is TEST_PACKAGES in lib.sh (it says what each is for).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
packages=("${TEST_PACKAGES[@]}")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Others (engineers, CI steps) may hold the dpkg lock; wait for it instead of failing.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-deps: done"
