#!/usr/bin/env bash
# Makes sure a Docker Engine >= 23 (heredocs in its built-in Dockerfile frontend) is there.
#
# - An engine that already answers (DOCKER_HOST, else the default socket) is used as it is:
#   nothing is installed or started.
# - A dockerd >= 23 that is installed but not running is left for start-docker.sh to start.
# - Only a machine without one gets Debian trixie's docker.io (bookworm's 20.10 is too old).
#   Exactly ENGINE_PACKAGES (lib.sh: docker.io, docker-cli, docker-buildx, containerd) come from trixie (`pkg/trixie`, never
#   `-t trixie`, which would take every dependency from trixie and upgrade the system); their
#   dependencies are satisfied by bookworm's own packages. Trixie is pinned at priority 100 so
#   it never wins an upgrade, and its mirror is the one this machine's apt already uses.
# Idempotent: a second run finds the engine and changes nothing.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"

MIN_MAJOR=23

major_of() { sed -E 's/^[^0-9]*([0-9]+)\..*/\1/' <<<"$1"; }

running_engine() { # prints the version of an engine that answers, if any
  docker version --format '{{.Server.Version}}' 2>/dev/null ||
    docker -H unix:///var/run/docker.sock version --format '{{.Server.Version}}' 2>/dev/null
}

if command -v docker >/dev/null 2>&1; then
  v=$(running_engine || true)
  if [ -n "$v" ]; then
    if [ "$(major_of "$v")" -ge "$MIN_MAJOR" ]; then
      echo "install-docker: using the running Docker Engine $v; nothing installed"
      exit 0
    fi
    echo "install-docker: the running Docker Engine is $v; StageScope's tests need >= $MIN_MAJOR (heredocs)." >&2
    echo "install-docker: upgrade it, or stop it so that Debian's engine can be installed and started." >&2
    exit 1
  fi
fi

if command -v dockerd >/dev/null 2>&1; then
  v=$(dockerd --version)
  if [ "$(major_of "${v#Docker version }")" -ge "$MIN_MAJOR" ]; then
    echo "install-docker: $v is installed (not running); start-docker.sh starts it"
    exit 0
  fi
fi

export DEBIAN_FRONTEND=noninteractive
mirror=$(debian_mirror)
src=/etc/apt/sources.list.d/stagescope-trixie.sources
pin=/etc/apt/preferences.d/stagescope-trixie
echo "install-docker: no Docker Engine >= $MIN_MAJOR here; installing ${ENGINE_PACKAGES[*]} from Debian trixie ($mirror)"
if [ ! -f "$src" ]; then
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$mirror" >"$src"
  note_change "wrote $src (Debian trixie as an extra apt source)"
fi
if [ ! -f "$pin" ]; then
  # Priority 100: trixie never wins an upgrade; only packages asked for as pkg/trixie come from it.
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"$pin"
  note_change "wrote $pin (trixie pinned at priority 100)"
fi
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
  "${ENGINE_PACKAGES[@]/%//trixie}" >/dev/null
echo "install-docker: installed $(dockerd --version)"
