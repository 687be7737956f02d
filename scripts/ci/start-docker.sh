#!/usr/bin/env bash
# Starts dockerd without networks (builds need none; traffic to private ranges is forbidden
# here) and waits for its socket. Idempotent: a running engine is left alone, and a stale pid
# file from a dead daemon is removed so it cannot block the start.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

sock=/var/run/docker.sock
log=${STAGESCOPE_DOCKERD_LOG:-/var/log/stagescope-dockerd.log}

engine_up() { docker -H "unix://$sock" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# An engine that DOCKER_HOST names and that answers is used as it is (install-docker.sh has
# checked its version).
if [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != "unix://$sock" ] && docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "start-docker: engine $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST already running"
  exit 0
fi
if engine_up; then
  echo "start-docker: engine $(docker -H "unix://$sock" version --format '{{.Server.Version}}') already running"
  exit 0
fi

if [ -f /var/run/docker.pid ]; then
  pid=$(cat /var/run/docker.pid || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "start-docker: dockerd $pid is running but not answering; waiting for it"
  else
    rm -f /var/run/docker.pid
  fi
fi
# containerd's own stale pid/socket files do not block; dockerd starts its managed containerd.

started=0
if ! pgrep -x dockerd >/dev/null; then
  started=1
  nohup dockerd --bridge=none --iptables=false --ip-masq=false --ip6tables=false \
    >"$log" 2>&1 </dev/null &
fi

for _ in $(seq 1 120); do
  if [ -S "$sock" ] && engine_up; then
    echo "start-docker: engine $(docker -H "unix://$sock" version --format '{{.Server.Version}}') ready"
    [ "$started" = 1 ] && note_change "started dockerd (pid $(cat /var/run/docker.pid 2>/dev/null || pgrep -x dockerd), log $log); stop it with: kill \$(cat /var/run/docker.pid)"
    exit 0
  fi
  sleep 0.5
done
echo "start-docker: dockerd did not answer within 60 s; see $log" >&2
tail -20 "$log" >&2 || true
exit 1
