#!/usr/bin/env bash
# Installs Docker Engine 26 from Debian trixie's docker.io (bookworm's 20.10 lacks heredocs
# in its built-in frontend). Idempotent: does nothing when a dockerd >= 26 is installed.
set -euo pipefail

have_engine() {
  command -v dockerd >/dev/null 2>&1 || return 1
  local major
  major=$(dockerd --version | sed -E 's/^Docker version ([0-9]+)\..*/\1/')
  [ "${major:-0}" -ge 26 ]
}

if have_engine; then
  echo "install-docker: $(dockerd --version) already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
src=/etc/apt/sources.list.d/stagescope-trixie.sources
if [ ! -f "$src" ]; then
  cat > "$src" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  # Pin trixie low so nothing else on the machine is upgraded to it.
  cat > /etc/apt/preferences.d/stagescope-trixie <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
fi
apt-get update -qq
apt-get install -y -qq -t trixie docker.io >/dev/null
echo "install-docker: installed $(dockerd --version)"
