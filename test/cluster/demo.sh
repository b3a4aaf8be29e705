#!/usr/bin/env bash
# `make demo`: a local real cluster with a sample workload, kcache in front of it, and a
# kubeconfig that points kubectl at kcache. `make demo-down` (demo.sh down) stops it all.
#
# State lives in .demo/ at the top of the checkout (ignored by git): the cluster in
# .demo/cluster, kcache's data in .demo/kcache, the kubeconfig in .demo/kubeconfig.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEMO="$ROOT/.demo"
CLUSTER="$DEMO/cluster"
DATA="$DEMO/kcache"
PORT=${KCACHE_DEMO_PORT:-8443}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stop_kcache() {
  if [[ -f $DATA/kcache.pid ]] && kill -0 "$(cat "$DATA/kcache.pid")" 2>/dev/null; then
    kill "$(cat "$DATA/kcache.pid")"
    log "kcache stopped"
  fi
  rm -f "$DATA/kcache.pid"
}

if [[ ${1:-} == down ]]; then
  stop_kcache
  [[ -d $CLUSTER ]] && "$ROOT/test/cluster/down.sh" "$CLUSTER"
  exit 0
fi

"$ROOT/test/cluster/build-tools.sh" >/dev/null
stop_kcache
if [[ -d $CLUSTER ]]; then "$ROOT/test/cluster/down.sh" "$CLUSTER" >/dev/null 2>&1 || true; fi
mkdir -p "$CLUSTER" "$DATA"
"$ROOT/test/cluster/up.sh" "$CLUSTER"
"$ROOT/test/cluster/workload.sh" "$CLUSTER"
# shellcheck disable=SC1091
source "$CLUSTER/env"

log "starting kcache on https://127.0.0.1:$PORT"
setsid "$ROOT/build/kcache" --kubeconfig="$ADMIN_KUBECONFIG" --data-dir="$DATA" \
  --secure-port="$PORT" --config="$ROOT/projections/example.yaml" \
  >"$DATA/kcache.log" 2>&1 < /dev/null &
echo $! > "$DATA/kcache.pid"
for _ in $(seq 1 120); do
  curl -fsk "https://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$(cat "$DATA/kcache.pid")" 2>/dev/null || { tail -20 "$DATA/kcache.log"; exit 1; }
  sleep 0.5
done
curl -fsk "https://127.0.0.1:$PORT/readyz" >/dev/null || { log "kcache did not become ready"; exit 1; }

"$ROOT/build/kcache" kubeconfig --from="$ADMIN_KUBECONFIG" --server="https://127.0.0.1:$PORT" \
  --data-dir="$DATA" > "$DEMO/kubeconfig"
"$ROOT/build/kcache" kubeconfig --from="$ALICE_KUBECONFIG" --server="https://127.0.0.1:$PORT" \
  --data-dir="$DATA" > "$DEMO/alice.kubeconfig"

cat <<INFO

kcache is serving https://127.0.0.1:$PORT in front of $API_URL.

  kubeconfig (admin):  $DEMO/kubeconfig
  kubeconfig (alice):  $DEMO/alice.kubeconfig
  kubectl:             $KUBECTL
  kcache log:          $DATA/kcache.log

Try:
  export KUBECONFIG=$DEMO/kubeconfig
  $KUBECTL get pods -A -o wide
  $KUBECTL get pods -n team-a -l app=web -o json | head
  $KUBECTL get configmaps -A --field-selector metadata.namespace=team-b
  $KUBECTL get pods -n team-a -w
  curl -sk https://127.0.0.1:$PORT/metrics | grep kcache_
  $KUBECTL get --raw /apis/projections.kcache.io/v1/pod-placement | head -c 600
  $ROOT/projections/python/kcache-projection -n team-a list pod-placement

Stop everything with: make demo-down
INFO
