# shellcheck shell=bash
# Shared helpers for the scripts in test/cluster. Sourced, never run.
#
# Tool versions live here so build-tools.sh, tools-env.sh and up.sh agree
# on where the binaries are.

CLUSTER_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

K8S_VERSION=v1.37.2
ETCD_VERSION=v3.7.3
KWOK_VERSION=v0.8.0

# Fixed build date: a changing date would relink the binaries on every build.
K8S_BUILD_DATE=2026-01-01T00:00:00Z
K8S_BUILD_TAGS=selinux,notest,grpcnotrace

# Go settings for every build: no workspace, no toolchain switch, no VCS
# stamping (the wrapper modules sit inside this repo's git tree), static.
# A function, not top-level exports: tools-env.sh sources this file into
# callers' shells, which should keep their own Go settings.
use_build_go_env() {
  export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
}

# The Go release is part of every cache key: a new Go rebuilds the tools.
go_version() { GOTOOLCHAIN=local GOWORK=off go env GOVERSION; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The calling script's header comment (line 2 to `set -euo`) is its usage text.
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

tools_root() { printf '%s\n' "${KCACHE_TOOLS_DIR:-$HOME/.cache/kcache}"; }

# Version ldflags: without them /version says v0.0.0 and the emulated
# version drifts from the real minor (see docs/real-apiserver.md §1).
k8s_ldflags() {
  local minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  local p flags="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    flags+=" -X $p.gitTreeState=clean -X $p.buildDate=$K8S_BUILD_DATE"
  done
  printf '%s\n' "$flags"
}

# Cache key of a wrapper module: version + hash of go.mod, go.sum and the
# build recipe, so any change to one of them lands in a new directory.
module_key() {
  local mod_dir=$1 recipe=$2
  { cat "$mod_dir/go.mod" "$mod_dir/go.sum"; printf '%s\n' "$recipe" "$(go_version)"; } |
    sha256sum | cut -c1-12
}

k8s_tools_dir() {
  local recipe
  recipe="tags=$K8S_BUILD_TAGS ldflags=$(k8s_ldflags) pgo=off trimpath"
  printf '%s/k8s-%s-%s\n' "$(tools_root)" "$K8S_VERSION" \
    "$(module_key "$CLUSTER_SCRIPTS_DIR/modules/k8s" "$recipe")"
}

etcd_tools_dir() {
  printf '%s/etcd-%s-%s\n' "$(tools_root)" "$ETCD_VERSION" \
    "$(module_key "$CLUSTER_SCRIPTS_DIR/modules/etcd" "ldflags=-s -w trimpath")"
}

# kwok is built with `go install pkg@version`: its own go.sum (checked by the
# Go checksum database) pins the graph, so the version (and Go) is the key.
kwok_tools_dir() {
  printf '%s/kwok-%s-%s\n' "$(tools_root)" "$KWOK_VERSION" "$(go_version)"
}

# Exports the binary paths. Returns non-zero (with a hint) if a tool is
# missing, so callers can stop early instead of failing half-way.
export_tool_paths() {
  local k8s etcd kwok
  k8s=$(k8s_tools_dir)/bin
  etcd=$(etcd_tools_dir)/bin
  kwok=$(kwok_tools_dir)/bin
  export KUBE_APISERVER=$k8s/kube-apiserver
  export KCM=$k8s/kube-controller-manager
  export KUBE_SCHEDULER=$k8s/kube-scheduler
  export KUBECTL=$k8s/kubectl
  export ETCD=$etcd/etcd
  export KWOK=$kwok/kwok
  KWOK_STAGES=${kwok%/bin}/stages.yaml
  export KWOK_STAGES
  export KCACHE_TOOLS_BIN=$k8s:$etcd:$kwok
  local f missing=0
  for f in "$KUBE_APISERVER" "$KCM" "$KUBE_SCHEDULER" "$KUBECTL" "$ETCD" "$KWOK" "$KWOK_STAGES"; do
    if [[ ! -e $f ]]; then
      log "missing: $f"
      missing=1
    fi
  done
  if ((missing)); then
    log "run $CLUSTER_SCRIPTS_DIR/build-tools.sh first"
    return 1
  fi
}
