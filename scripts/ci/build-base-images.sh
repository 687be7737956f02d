#!/usr/bin/env bash
# Builds the base images the tests and fixtures use, offline, from Debian's packages: no
# registry is reachable here, so every FROM must name an image made on this machine.
#
#   stagescope-test/busybox:1     Debian's busybox-static + applet symlinks (about 2 MB)
#   stagescope-test/golang:1.24   debootstrap minbase trixie + golang-1.24-go (a real toolchain)
#   stagescope-test/assets:1      a few known files, the external image of COPY --from=IMAGE
#
# Idempotent: an image that exists with the expected recipe label is skipped; a missing one (or
# one with an older recipe) is rebuilt. `--force` rebuilds all. Keep the refs in sync with
# tests/support/base-images.ts.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

force=0
[ "${1:-}" = "--force" ] && force=1

# Bump a recipe's version when its build below changes, so existing machines rebuild it.
BUSYBOX_REF=stagescope-test/busybox:1 BUSYBOX_RECIPE=busybox-1
GOLANG_REF=stagescope-test/golang:1.24 GOLANG_RECIPE=golang-1.24-1
ASSETS_REF=stagescope-test/assets:1 ASSETS_RECIPE=assets-1

# The mirror this machine's apt already uses (lib.sh); no host name is written here.
DEBIAN_MIRROR=$(debian_mirror)
# debootstrap keeps the .debs here so a rebuild does not download them again.
DEB_CACHE=${STAGESCOPE_DEB_CACHE:-/var/cache/stagescope-debootstrap}

work=$(mktemp -d /var/tmp/stagescope-base.XXXXXX)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

up_to_date() { # ref recipe
  local have
  have=$(docker image inspect -f '{{index .Config.Labels "org.stagescope.recipe"}}' "$1" 2>/dev/null || true)
  [ "$force" = 0 ] && [ "$have" = "$2" ]
}

# Imports a rootfs folder as an image. Fixed owner and mtimes keep the layer reproducible.
import_rootfs() { # dir ref recipe [--change ...]...
  local dir=$1 ref=$2 recipe=$3
  shift 3
  tar -C "$dir" --numeric-owner --owner=0 --group=0 --mtime=@1700000000 --sort=name -cf - . |
    docker import \
      --change 'LABEL org.stagescope.test=1' \
      --change "LABEL org.stagescope.recipe=$recipe" \
      "$@" - "$ref" >/dev/null
  note_change "built image $ref (remove with: docker rmi $ref)"
}

need_package() { # package
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
  echo "build-base-images: installing $1"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$1" >/dev/null
}

# A rootfs with /bin/busybox and one symlink per applet (sh, ls, cat, ...).
make_busybox_rootfs() { # dir
  local dir=$1 applet
  # Debian's busybox-static puts a static /bin/busybox; the dynamic `busybox` package would
  # need a libc in the image.
  need_package busybox-static
  mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,home}
  chmod 1777 "$dir/tmp" "$dir/var/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $("$dir/bin/busybox" --list-full); do
    [ -e "$dir/$applet" ] || ln -s /bin/busybox "$dir/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
}

build_busybox() {
  local t dir=$work/busybox
  t=$(now)
  if up_to_date "$BUSYBOX_REF" "$BUSYBOX_RECIPE"; then echo "busybox: $BUSYBOX_REF up to date"; return; fi
  make_busybox_rootfs "$dir"
  import_rootfs "$dir" "$BUSYBOX_REF" "$BUSYBOX_RECIPE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]'
  docker run --rm --network none "$BUSYBOX_REF" sh -c 'echo ok' | grep -qx ok
  echo "busybox: built $BUSYBOX_REF in $(elapsed "$t")"
}

build_golang() {
  local t dir=$work/golang
  t=$(now)
  if up_to_date "$GOLANG_REF" "$GOLANG_RECIPE"; then echo "golang: $GOLANG_REF up to date"; return; fi
  need_package debootstrap
  need_package debian-archive-keyring
  mkdir -p "$DEB_CACHE"
  debootstrap --variant=minbase --include=golang-1.24-go \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg --cache-dir="$DEB_CACHE" \
    trixie "$dir" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -30 "$work/debootstrap.log" >&2; exit 1; }
  echo "golang: debootstrap done in $(elapsed "$t")"
  # Nothing at run time needs package lists, caches, docs or logs; they double the size.
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/var/log/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/usr/share/locale/* "$dir"/tmp/* "$dir"/var/tmp/* "$dir"/root/.cache
  mkdir -p "$dir/go"
  # GOTOOLCHAIN=local and GOPROXY=off: never try the network for a newer toolchain or modules.
  # CGO_ENABLED=0: binaries are static, so a FROM scratch stage can run them.
  import_rootfs "$dir" "$GOLANG_REF" "$GOLANG_RECIPE" \
    --change 'ENV PATH=/usr/lib/go-1.24/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV GOPATH=/go' \
    --change 'ENV GOCACHE=/tmp/gocache' \
    --change 'ENV GOFLAGS=-mod=mod' \
    --change 'ENV CGO_ENABLED=0' \
    --change 'ENV GOTOOLCHAIN=local' \
    --change 'ENV GOPROXY=off' \
    --change 'CMD ["/bin/bash"]'
  docker run --rm --network none "$GOLANG_REF" go version
  echo "golang: built $GOLANG_REF in $(elapsed "$t")"
}

# Known files for COPY --from=stagescope-test/assets:1; tests assert on these exact bytes.
build_assets() {
  local t dir=$work/assets
  t=$(now)
  if up_to_date "$ASSETS_REF" "$ASSETS_RECIPE"; then echo "assets: $ASSETS_REF up to date"; return; fi
  mkdir -p "$dir/assets/config" "$dir/assets/bin" "$dir/assets/data"
  printf 'StageScope test assets. MIT License.\n' >"$dir/assets/LICENSE.txt"
  printf '[app]\nname = "stagescope-fixture"\nport = 8080\n' >"$dir/assets/config/app.toml"
  ln -s app.toml "$dir/assets/config/current.toml"
  printf '#!/bin/sh\necho "tool from stagescope-test/assets:1"\n' >"$dir/assets/bin/tool"
  chmod 755 "$dir/assets/bin/tool"
  # 64 KiB of a repeated byte: large enough to show in size views, cheap to store.
  head -c 65536 /dev/zero | tr '\0' 'a' >"$dir/assets/data/blob.bin"
  import_rootfs "$dir" "$ASSETS_REF" "$ASSETS_RECIPE" --change 'CMD ["/assets/bin/tool"]'
  echo "assets: built $ASSETS_REF in $(elapsed "$t")"
}

start=$(now)
docker version --format '{{.Server.Version}}' >/dev/null ||
  { echo "build-base-images: no Docker engine; run scripts/ci/start-docker.sh" >&2; exit 1; }
build_busybox
build_assets
build_golang
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^stagescope-test/' | grep -E 'busybox:1 |golang:1.24 |assets:1 ' || true
echo "build-base-images: done in $(elapsed "$start")"
