#!/usr/bin/env bash
# Helpers the provisioning scripts share. Sourced, never run.

# The Debian mirror this machine's own apt configuration uses (deb822 `URIs:` of the main
# archive, else a one-line `deb` entry), so no registry host name lives in this repository.
# STAGESCOPE_DEBIAN_MIRROR overrides it.
debian_mirror() {
  if [ -n "${STAGESCOPE_DEBIAN_MIRROR:-}" ]; then echo "$STAGESCOPE_DEBIAN_MIRROR"; return; fi
  local uri=""
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # The first stanza whose URI is a Debian archive but not its security archive.
    uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /debian\/?$/ && $i !~ /security/) { print $i; exit } }' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  if [ -z "$uri" ]; then
    echo "provisioning: no Debian archive found in /etc/apt/sources.list(.d); set STAGESCOPE_DEBIAN_MIRROR" >&2
    return 1
  fi
  echo "${uri%/}"
}

# Packages (name<TAB>version) installed now.
dpkg_snapshot() { dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\n' | awk -F'\t' '$1 ~ /^ii/ { print $2 "\t" $3 }' | sort; }

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# The summary of what provisioning changed is collected here and printed by .ci/run at its end.
CHANGES_FILE=${STAGESCOPE_CHANGES_FILE:-/tmp/stagescope-provision-changes.txt}
note_change() { printf '%s\n' "$*" >>"$CHANGES_FILE"; }

# Every package provisioning installs by name; packages-changed.sh allows changes to these.
#   debootstrap, debian-archive-keyring  the golang base image's rootfs (build-base-images.sh)
#   busybox-static     the tiny busybox base image
#   chromium           e2e tests drive the renderer with playwright-core
#   fonts-*            readable screenshots
#   xvfb               screenshots of real windows (optional for the suite, cheap to have)
#   zstd               inspecting zstd-compressed layers by hand
#   docker-registry    a real registry on loopback: image-source tests (tests/support/registry.ts), and
#                      one push gives an image a digest reference the engine resolves offline
#                      (FROM repo@sha256:..., tests/support/pinned-image.ts)
#   apache2-utils      htpasswd (bcrypt) for the registry's basic-auth test
#   skopeo, umoci      OCI layouts / archives and registry pushes for the image-source tests
#   openssh-server     sshd on loopback for the ssh:// remote-engine tests; it needs the
#   openssh-client     client of its own version, which may be a (security) update of the installed one
#   podman             its Docker-compatible API as a second engine (tests/integration/podman.test.ts);
#   passwd, login      its uidmap needs them at uidmap's own version, an update of the installed ones
TEST_PACKAGES=(debootstrap busybox-static chromium fonts-dejavu-core fonts-liberation2 xvfb zstd
  debian-archive-keyring ca-certificates
  docker-registry apache2-utils skopeo umoci openssh-server openssh-client podman passwd login)
# From trixie by name (pkg/trixie). containerd is named too: given docker.io/trixie, apt takes
# trixie's containerd 1.7 (seen on Debian 12), the pairing Docker 26 is tested with.
ENGINE_PACKAGES=(docker.io docker-cli docker-buildx containerd)
