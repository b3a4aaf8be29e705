#!/usr/bin/env bash
# Builds (or reuses) the binaries of the test cluster: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl and kwok, plus kwok's
# stage file. Everything goes to $KCACHE_TOOLS_DIR (default
# ~/.cache/kcache), outside the repo, in directories keyed by version and a
# hash of the wrapper module, so a change to go.mod/go.sum rebuilds and an
# unchanged tree costs a few seconds.
#
# Output: KEY=VALUE lines on stdout (KCACHE_TOOLS_BIN, ETCD, KUBE_APISERVER,
# ...); progress on stderr. Scripts source tools-env.sh for the same paths.
#
# A cold build of the Kubernetes binaries takes about half an hour on two
# cores (see README.md); the Go build cache makes later rebuilds fast.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat >&2 <<EOF
usage: $0
Builds the test-cluster tools into \$KCACHE_TOOLS_DIR (now: $(tools_root)).
EOF
  exit 2
}

# Runs "$@" building into a scratch directory next to DEST, then renames it
# into place, so an interrupted build never looks complete.
build_into() {
  local dest=$1 name=$2
  shift 2
  if [[ -e $dest/.complete ]]; then
    log "$name: reusing $dest"
    return 0
  fi
  local tmp=$dest.partial
  rm -rf "$tmp"
  mkdir -p "$tmp/bin"
  log "$name: building into $dest (this can take long on a cold cache)"
  local start=$SECONDS
  "$@" "$tmp/bin"
  log "$name: built in $((SECONDS - start)) s"
  date -u +%FT%TZ >"$tmp/.complete"
  rm -rf "$dest"
  mv "$tmp" "$dest"
}

go_build_k8s() {
  local out=$1
  (cd "$CLUSTER_SCRIPTS_DIR/modules/k8s" &&
    go build -trimpath -pgo=off -tags="$K8S_BUILD_TAGS" -ldflags "$(k8s_ldflags)" -o "$out/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  # A wrong version string breaks kwokctl and chart kubeVersion checks.
  "$out/kube-apiserver" --version | grep -qx "Kubernetes $K8S_VERSION" ||
    die "kube-apiserver reports $("$out/kube-apiserver" --version), want $K8S_VERSION"
}

go_build_etcd() {
  local out=$1
  # The server module root is package main; its replace directives rule out
  # `go install ...@version`, hence the wrapper module.
  (cd "$CLUSTER_SCRIPTS_DIR/modules/etcd" &&
    go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
  "$out/etcd" --version | grep -q "etcd Version: ${ETCD_VERSION#v}" ||
    die "etcd reports $("$out/etcd" --version | head -1), want $ETCD_VERSION"
}

go_build_kwok() {
  local out=$1
  # kwok's go.mod has no replace directives, so go install works directly.
  # Run from / so no surrounding go.mod is consulted.
  (cd / && GOBIN=$out go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION")
}

# Standalone kwok ships no stages; kwokctl injects its "fast" set. Assemble
# the same set (plus the opt-in node-not-ready chaos stage, which only acts
# on nodes labelled node-not-ready.stage.kwok.x-k8s.io=true) from the kwok
# module in the Go module cache, so nothing is copied into the repo.
write_kwok_stages() {
  local dest=$1
  [[ -s $dest ]] && return 0
  local src
  src=$(cd / && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  [[ -d $src/kustomize/stage ]] || die "kwok module source not found (got '$src')"
  local f s=$src/kustomize/stage
  {
    for f in node/fast/node-initialize.yaml \
      node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
      node/chaos/node-not-ready.yaml \
      pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
      [[ -f $s/$f ]] || die "kwok stage $f missing in $src"
      printf -- '---\n'
      cat "$s/$f"
    done
  } >"$dest.tmp"
  mv "$dest.tmp" "$dest"
  log "kwok stages: wrote $dest"
}

main() {
  [[ $# -eq 0 ]] || usage
  command -v go >/dev/null || die "go not found in PATH"
  use_build_go_env
  local root
  root=$(tools_root)
  mkdir -p "$root"
  # One build at a time: two parallel cold builds would double the time and
  # race on the output directories.
  exec 9>"$root/.build.lock"
  if ! flock -n 9; then
    log "another build-tools.sh holds $root/.build.lock; waiting"
    flock 9
  fi

  build_into "$(etcd_tools_dir)" etcd go_build_etcd
  build_into "$(kwok_tools_dir)" kwok go_build_kwok
  write_kwok_stages "$(kwok_tools_dir)/stages.yaml"
  build_into "$(k8s_tools_dir)" kubernetes go_build_k8s

  export_tool_paths
  local v
  for v in KCACHE_TOOLS_BIN ETCD KUBE_APISERVER KCM KUBE_SCHEDULER KUBECTL KWOK KWOK_STAGES; do
    printf '%s=%s\n' "$v" "${!v}"
  done
}

main "$@"
