#!/usr/bin/env bash
# Installs the Debian packages the tests need. Idempotent: apt-get runs only when a package
# is missing, so a provisioned machine pays nothing.
#   debootstrap        builds the golang base image's rootfs (scripts/ci/build-base-images.sh)
#   busybox-static     the tiny busybox base image
#   chromium           e2e tests drive the renderer with playwright-core
#   fonts-*            readable screenshots
#   xvfb               screenshots of real windows (optional for the suite, cheap to have)
#   zstd               inspecting zstd-compressed layers by hand
#   debian-archive-keyring  trixie's key for debootstrap
set -euo pipefail

packages=(debootstrap busybox-static chromium fonts-dejavu-core fonts-liberation2 xvfb zstd
  debian-archive-keyring ca-certificates)

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
