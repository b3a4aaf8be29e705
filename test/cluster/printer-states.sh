#!/usr/bin/env bash
# Fills namespace printer-states of the test cluster in DIR with pods in every
# STATUS kube-apiserver's pod printer distinguishes (CrashLoopBackOff,
# ImagePullBackOff, ErrImagePull, ContainerCreating, Init:0/2, Init:Error,
# Init:CrashLoopBackOff, PodInitializing, a running sidecar, OOMKilled,
# Completed, Error, ExitCode:2, NotReady, Evicted, readiness gates, a
# nominated node, SchedulingGated, Terminating, Unknown), plus a suspended
# CronJob, a LoadBalancer Service and a TLS Ingress with status set and, with
# KCM, a failed Job, a Deployment scaled to 0 and a Pending PVC. Each pod's
# annotation kcache.test/expected-status names the STATUS it must show, and
# the script checks that it does. Called by workload.sh.
#
#   printer-states.sh DIR [--node NODE] [--timeout S]
#
# NODE (default kwok-node-1) is the kwok node pods that have started are
# bound to. Statuses are set through the status subresource and derived from
# each pod's creationTimestamp and uid only, so running it again changes
# nothing. Terminating pods keep finalizer kcache.test/hold: to delete the
# namespace, remove it first (see README.md).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS=printer-states NODE=kwok-node-1 TIMEOUT=180

# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

parse_args() {
  [[ $# -ge 1 && $1 != -* ]] || usage
  DIR=$1
  shift
  while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || usage
    case $1 in
      --node) NODE=$2 ;;
      --timeout) TIMEOUT=$2 ;;
      *) usage ;;
    esac
    shift 2
  done
}

k() { "$KUBECTL" --kubeconfig="$ADMIN_KUBECONFIG" "$@"; }

# With the ServiceAccount admission plugin on (KCM runs), pods need the
# namespace's "default" ServiceAccount first.
apply_objects() {
  local out=$1 deadline=$((SECONDS + TIMEOUT))
  k apply -f "$out/printer-states-ns.yaml" >/dev/null || die "could not create namespace $NS"
  if ((CONTROLLERS)); then
    until k -n "$NS" get serviceaccount default >/dev/null 2>&1; do
      ((SECONDS < deadline)) || die "no default ServiceAccount in $NS"
      sleep 0.2
    done
  fi
  k apply -f "$out/printer-states.yaml" -o name >"$out/apply.log" 2>&1 || {
    tail -n 20 "$out/apply.log" >&2
    die "kubectl apply of the $NS objects failed"
  }
}

bind() {
  local pod=$1 node=$2
  k create --raw "/api/v1/namespaces/$NS/pods/$pod/binding" -f - >/dev/null <<EOF
{"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "$pod"},
 "target": {"apiVersion": "v1", "kind": "Node", "name": "$node"}}
EOF
}

# Status first, then binding (kwok ignores the pod until it is bound, and
# leaves pods that are not Pending alone), then deletion (bound: PodGC
# force-deletes terminating pods without a node).
set_states() {
  local out=$1 verb obj arg
  k -n "$NS" get pods -o json >"$out/pods.json"
  python3 "$SCRIPT_DIR/gen-workload.py" "$out" --printer-states-status "$out/pods.json" --node "$NODE"
  while IFS=$'\t' read -r -u 3 verb obj arg; do
    case $verb in
      status) k -n "$NS" patch "$obj" --subresource=status --type=merge --patch-file="$arg" >/dev/null ||
        die "could not set the status of $obj" ;;
      bind) bind "$obj" "$arg" || die "could not bind pod $obj to $arg" ;;
      delete) k -n "$NS" delete pod "$obj" --wait=false >/dev/null || die "could not delete pod $obj" ;;
    esac
  done 3<"$out/printer-states-actions.tsv"
}

wait_controllers() {
  ((CONTROLLERS)) || return 0
  k -n "$NS" wait --for=condition=Failed job/deadline-exceeded --timeout="${TIMEOUT}s" >/dev/null ||
    die "job $NS/deadline-exceeded did not fail"
}

# The STATUS column kubectl prints (the API server's Table) against each
# pod's kcache.test/expected-status annotation.
check_states() {
  local out=$1
  local expected='{{range .items}}{{.metadata.name}} '
  expected+='{{index .metadata.annotations "kcache.test/expected-status"}}{{"\n"}}{{end}}'
  k -n "$NS" get pods --no-headers | awk '{print $1, $3}' >"$out/printed"
  k -n "$NS" get pods -o go-template="$expected" >"$out/expected"
  diff -u "$out/expected" "$out/printed" >&2 || die "pods in $NS do not show the expected STATUS"
}

main() {
  parse_args "$@"
  [[ -f $DIR/env ]] || die "$DIR/env not found; start the cluster with up.sh $DIR"
  # shellcheck disable=SC1091
  source "$DIR/env"
  local out ctl=()
  out=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$out'" EXIT
  ((CONTROLLERS)) && ctl=(--controllers)
  python3 "$SCRIPT_DIR/gen-workload.py" "$out" --printer-states "${ctl[@]}"
  apply_objects "$out"
  set_states "$out"
  wait_controllers
  check_states "$out"
  log "$NS: $(wc -l <"$out/printed") pods in their printer states"
}

main "$@"
