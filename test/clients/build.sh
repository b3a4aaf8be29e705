#!/usr/bin/env bash
# Builds the Go test clients in test/clients/*/ (each its own module) into
# $KCACHE_TOOLS_DIR/clients (default ~/.cache/kcache/clients), outside the repo.
#
#   test/clients/build.sh [NAME...]     default: every client
#
# Prints NAME=PATH (the binary) for each client on stdout, progress on stderr.
# The output directory is keyed by a hash of the client's sources (go.mod,
# go.sum, *.go), the build recipe and the Go version, so an unchanged client
# is reused at once and a changed one lands in a new directory. A build goes
# to DIR.partial first and counts only once DIR/.complete exists; a lock file
# keeps two builds from running at once.
set -euo pipefail

CLIENTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RECIPE="CGO_ENABLED=0 go build -trimpath -ldflags=-s -w"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false

clients_root() { printf '%s/clients\n' "${KCACHE_TOOLS_DIR:-$HOME/.cache/kcache}"; }

client_key() {
  local dir=$1
  {
    (cd "$dir" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum)
    printf '%s\n' "$RECIPE" "$(go env GOVERSION)"
  } | sha256sum | cut -c1-12
}

build_client() {
  local name=$1 src=$CLIENTS_DIR/$1
  [[ -f $src/go.mod ]] || die "no client $name ($src/go.mod missing)"
  local dest
  dest="$(clients_root)/$name-$(client_key "$src")"
  if [[ -e $dest/.complete ]]; then
    log "$name: reusing $dest"
  else
    local tmp=$dest.partial start=$SECONDS
    rm -rf "$tmp"
    mkdir -p "$tmp/bin"
    log "$name: building into $dest"
    (cd "$src" && go build -trimpath -ldflags='-s -w' -o "$tmp/bin/$name" .) ||
      die "$name: go build failed"
    log "$name: built in $((SECONDS - start)) s"
    date -u +%FT%TZ >"$tmp/.complete"
    rm -rf "$dest"
    mv "$tmp" "$dest"
  fi
  printf '%s=%s\n' "$name" "$dest/bin/$name"
}

main() {
  command -v go >/dev/null || die "go not found in PATH"
  local root names=("$@")
  root=$(clients_root)
  mkdir -p "$root"
  if ((${#names[@]} == 0)); then
    local d
    for d in "$CLIENTS_DIR"/*/; do
      [[ -f $d/go.mod ]] && names+=("$(basename "$d")")
    done
  fi
  exec 9>"$root/.build.lock"
  if ! flock -n 9; then
    log "another build holds $root/.build.lock; waiting"
    flock 9
  fi
  local name
  for name in "${names[@]}"; do
    build_client "$name"
  done
}

main "$@"
