#!/usr/bin/env bash
# Stops the test cluster that up.sh started in DIR, by the PIDs it recorded
# in DIR/pids/: SIGTERM, then SIGKILL after DOWN_TIMEOUT seconds (default
# 10). Dependents go first (kwok, scheduler, controller manager), then
# kube-apiserver, then etcd, so nothing logs errors about a vanished
# upstream. Extra "PID BINARY" files that tests drop into DIR/pids/ are
# stopped before all of them. Safe to run twice; leaves DIR's files in
# place (logs stay readable). Also removes them with --purge.
set -euo pipefail

ORDER=(kwok kube-scheduler kube-controller-manager kube-apiserver etcd)
TIMEOUT=${DOWN_TIMEOUT:-10}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

usage() {
  echo "usage: $0 DIR [--purge]" >&2
  exit 2
}

# True while PID exists and is not a zombie. A process started by up.sh
# that is killed while up.sh is still running (its failure path calls this
# script) stays a zombie until up.sh reaps it, so kill -0 alone would wait
# forever.
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# Prints the PID if the "PID BINARY" file names a live process that still
# runs BINARY; a PID recycled by an unrelated process is never signalled.
live_pid() {
  local pid bin
  read -r pid bin <"$1" || return 1
  [[ -n $pid ]] && running "$pid" || return 1
  [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$bin" ]] || return 1
  printf '%s\n' "$pid"
}

stop_one() {
  local file=$1 name pid
  name=$(basename "$file" .pid)
  if ! pid=$(live_pid "$file"); then
    rm -f "$file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + TIMEOUT))
  while running "$pid" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if running "$pid"; then
    log "$name ($pid) ignored SIGTERM for ${TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while running "$pid"; do sleep 0.1; done
  fi
  log "stopped $name ($pid)"
  rm -f "$file"
}

main() {
  [[ $# -ge 1 && $# -le 2 ]] || usage
  local dir=$1 purge=0
  [[ $# -eq 1 || $2 == --purge ]] || usage
  if [[ $# -eq 2 ]]; then purge=1; fi
  if [[ ! -d $dir/pids ]]; then
    log "nothing recorded in $dir/pids; nothing to stop"
  else
    local f name known=" ${ORDER[*]} "
    for f in "$dir"/pids/*.pid; do
      [[ -e $f ]] || continue
      name=$(basename "$f" .pid)
      if [[ $known != *" $name "* ]]; then stop_one "$f"; fi
    done
    for name in "${ORDER[@]}"; do
      if [[ -e $dir/pids/$name.pid ]]; then stop_one "$dir/pids/$name.pid"; fi
    done
  fi
  if ((purge)) && [[ -e $dir/.kcache-test-cluster ]]; then
    rm -rf "$dir"
    log "removed $dir"
  fi
}

main "$@"
