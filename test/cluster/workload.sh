#!/usr/bin/env bash
# Fills the test cluster in DIR (started by up.sh) with a sample workload:
# namespaces team-a, team-b, team-c, monitoring, ingress, data; kwok nodes
# (kwok-node-0 cordoned, the last one NotReady); configmaps (some ~32 KiB),
# secrets, services; N pods with spec.nodeName set, realistic labels, init
# containers on some, and the last-applied-configuration annotation plus
# managedFields that `kubectl apply` leaves; with KCM, also Deployments and
# a Job (whose pods end Succeeded). Then printer-states.sh fills namespace
# printer-states with pods in every STATUS the pod printer distinguishes.
#
#   workload.sh DIR [--pods N] [--nodes N] [--parallel P] [--timeout S]
#
# Deterministic: running it again changes nothing. Waits until every pod
# it created directly is Running (the printer-states pods keep the statuses
# printer-states.sh gives them and are not waited for).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PODS=300 NODES=5 PARALLEL=4 TIMEOUT=180

# shellcheck source=lib.sh
source "$SCRIPT_DIR/lib.sh"

parse_args() {
  [[ $# -ge 1 && $1 != -* ]] || usage
  DIR=$1
  shift
  while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || usage
    case $1 in
      --pods) PODS=$2 ;;
      --nodes) NODES=$2 ;;
      --parallel) PARALLEL=$2 ;;
      --timeout) TIMEOUT=$2 ;;
      *) usage ;;
    esac
    shift 2
  done
}

k() { "$KUBECTL" --kubeconfig="$ADMIN_KUBECONFIG" "$@"; }

# With the ServiceAccount admission plugin on (KCM runs), a pod created
# before its namespace's "default" ServiceAccount exists is rejected.
wait_default_serviceaccounts() {
  ((CONTROLLERS)) || return 0
  local ns deadline=$((SECONDS + TIMEOUT))
  for ns in $(k get ns -l kcache.test/workload=true -o name); do
    until k -n "${ns#namespace/}" get serviceaccount default >/dev/null 2>&1; do
      ((SECONDS < deadline)) || die "no default ServiceAccount in ${ns#namespace/}"
      sleep 0.2
    done
  done
}

# Client-side apply (not --server-side), so objects keep the
# last-applied-configuration annotation. Chunks run in parallel: a single
# kubectl sends one object at a time.
apply_objects() {
  local out=$1
  printf '%s\n' "$out"/objects-*.yaml |
    xargs -P "$PARALLEL" -I{} "$KUBECTL" --kubeconfig="$ADMIN_KUBECONFIG" apply -f {} -o name \
      >"$out/apply.log" 2>&1 || {
    tail -n 20 "$out/apply.log" >&2
    die "kubectl apply failed"
  }
}

# Counts pods created by this script (managed-by label) that are not yet
# Running, until none is left.
wait_pods_running() {
  local deadline=$((SECONDS + TIMEOUT)) pending
  while :; do
    pending=$(k get pods -A -l app.kubernetes.io/managed-by=kcache-workload \
      --field-selector=status.phase!=Running -o name | wc -l)
    ((pending == 0)) && break
    ((SECONDS < deadline)) || die "$pending pods still not Running after ${TIMEOUT}s (is kwok up?)"
    sleep 1
  done
}

wait_deployments() {
  ((CONTROLLERS)) || return 0
  k -n team-c wait --for=condition=Available deployment/frontend deployment/backend \
    --timeout="${TIMEOUT}s" >/dev/null || die "deployments in team-c did not become Available"
  k -n data wait --for=condition=Complete job/nightly-report --timeout="${TIMEOUT}s" >/dev/null ||
    die "job data/nightly-report did not complete"
}

main() {
  parse_args "$@"
  [[ -f $DIR/env ]] || die "$DIR/env not found; start the cluster with up.sh $DIR"
  # shellcheck disable=SC1091
  source "$DIR/env"
  ((WITH_KWOK)) || die "this cluster runs without kwok; pods would stay Pending"
  local t0=$SECONDS out
  out=$(mktemp -d)
  # Expanded now: "out" is local and gone by the time the EXIT trap runs.
  # shellcheck disable=SC2064
  trap "rm -rf '$out'" EXIT
  local ctl=()
  ((CONTROLLERS)) && ctl=(--controllers)
  python3 "$SCRIPT_DIR/gen-workload.py" "$out" --pods "$PODS" --nodes "$NODES" \
    --chunks "$PARALLEL" "${ctl[@]}"

  k apply -f "$out/base.yaml" >/dev/null || die "could not create namespaces and nodes"
  log "namespaces and $NODES nodes applied"
  wait_default_serviceaccounts
  apply_objects "$out"
  log "$(wc -l <"$out/apply.log") objects applied in $((SECONDS - t0)) s"
  wait_pods_running
  wait_deployments
  # Bound to a Ready node: kwok-node-1, or the only node with --nodes 1.
  "$SCRIPT_DIR/printer-states.sh" "$DIR" --node "kwok-node-$((NODES > 1 ? 1 : 0))" --timeout "$TIMEOUT"
  log "workload ready in $((SECONDS - t0)) s: $(k get pods -A --no-headers | wc -l) pods," \
    "$(k get nodes --no-headers | wc -l) nodes"
}

main "$@"
