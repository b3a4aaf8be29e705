#!/usr/bin/env bash
# Starts a throw-away Kubernetes control plane on 127.0.0.1 for end-to-end
# tests: etcd, kube-apiserver, (by default) kube-controller-manager and
# kube-scheduler, and kwok to play the kubelets of fake nodes.
#
#   up.sh DIR      DIR is created if needed; must be empty or a former
#                  cluster directory (then its old state is replaced).
#
# Writes DIR/env (shell-sourceable), DIR/*.kubeconfig, DIR/pki/, logs in
# DIR/logs/ and "PID BINARY" files in DIR/pids/ (for down.sh). Processes run
# detached (setsid), so they outlive this script; stop them with
# down.sh DIR.
#
# Environment knobs:
#   UP_CONTROLLERS=0          skip kube-controller-manager and kube-scheduler
#                             (then the ServiceAccount admission plugin is
#                             disabled, as envtest does: no default SA exists)
#   UP_KWOK=0                 skip kwok
#   UP_COMPACTION_INTERVAL=D  kube-apiserver --etcd-compaction-interval (e.g.
#                             30s, to make 410 Gone reachable); default: the
#                             apiserver's own (5m)
#   UP_APISERVER_ARGS="..."   extra kube-apiserver flags (word-split)
#   UP_ETCD_ARGS="..."        extra etcd flags (word-split), e.g. a larger
#                             --quota-backend-bytes for benchmark workloads
#   UP_TIMEOUT=SECONDS        readiness budget per component (default 120)
#   UP_KEEP_ON_FAILURE=1      leave started processes running on failure
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$SCRIPT_DIR/lib.sh"
source "$SCRIPT_DIR/pki.sh"

CONTROLLERS=${UP_CONTROLLERS:-1}
WITH_KWOK=${UP_KWOK:-1}
TIMEOUT=${UP_TIMEOUT:-120}
ETCD_PREFIX=/registry
SERVICE_CIDR=10.96.0.0/16
POD_CIDR=10.244.0.0/16
MARKER=.kcache-test-cluster

# Set once the cluster is fully up; the EXIT trap cleans up otherwise.
UP_OK=0
# Name of the component being started, for the failure message.
CURRENT=""

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

on_exit() {
  local rc=$?
  ((UP_OK)) && return 0
  log "up.sh failed (exit $rc)${CURRENT:+ while starting $CURRENT}"
  if [[ ${UP_KEEP_ON_FAILURE:-0} == 1 ]]; then
    log "UP_KEEP_ON_FAILURE=1: leaving processes running; stop them with $SCRIPT_DIR/down.sh $DIR"
  elif [[ -d ${DIR:-}/pids ]]; then
    "$SCRIPT_DIR/down.sh" "$DIR" >&2 || true
  fi
  exit "$rc"
}

# Refuses a directory that holds something else or a live cluster, then
# removes the state of a previous run (only files this script creates).
prepare_dir() {
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
  if [[ -n $(ls -A "$DIR") && ! -e $DIR/$MARKER ]]; then
    die "$DIR is neither empty nor a cluster directory made by up.sh"
  fi
  local f
  for f in "$DIR"/pids/*.pid; do
    [[ -e $f ]] || continue
    if pid_alive "$f"; then
      die "a cluster is already running in $DIR (see $f); run down.sh $DIR first"
    fi
  done
  rm -rf "$DIR/etcd-data" "$DIR/pki" "$DIR/logs" "$DIR/pids" "$DIR/internal" \
    "$DIR"/*.kubeconfig "$DIR/env"
  mkdir -p "$DIR/pki" "$DIR/logs" "$DIR/pids" "$DIR/internal"
  touch "$DIR/$MARKER"
}

# True if the "PID BINARY" file names a live process running that binary
# (guards against a recycled PID).
pid_alive() {
  local pid bin
  read -r pid bin <"$1" || return 1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null &&
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$bin" ]]
}

pick_ports() {
  local ports
  mapfile -t ports < <(python3 "$SCRIPT_DIR/free-ports.py" 6)
  ((${#ports[@]} == 6)) || die "free-ports.py did not return 6 ports"
  ETCD_PORT=${ports[0]} ETCD_PEER_PORT=${ports[1]} API_PORT=${ports[2]}
  KCM_PORT=${ports[3]} SCHEDULER_PORT=${ports[4]} KWOK_PORT=${ports[5]}
  API_URL=https://127.0.0.1:$API_PORT
  ETCD_URL=http://127.0.0.1:$ETCD_PORT
}

new_token() { openssl rand -hex 24; }

# Three CAs, as in a kubeadm cluster: server (serving certs; clients trust
# it), client (user certs, also signs CSRs through KCM) and front-proxy
# (the authenticating-proxy headers X-Remote-User/Group).
make_pki() {
  local p=$DIR/pki
  pki_new_ca "$p" server-ca kcache-test-server-ca
  pki_new_ca "$p" client-ca kcache-test-client-ca
  pki_new_ca "$p" front-proxy-ca kcache-test-front-proxy-ca
  pki_server_cert "$p" apiserver IP:127.0.0.1 IP:::1 IP:10.96.0.1 DNS:localhost \
    DNS:kubernetes DNS:kubernetes.default DNS:kubernetes.default.svc \
    DNS:kubernetes.default.svc.cluster.local
  pki_sign "$p" client-ca admin-client "/CN=kcache-admin/O=system:masters" client
  pki_sign "$p" client-ca alice-client "/CN=alice/O=team-a" client
  pki_sign "$p" front-proxy-ca front-proxy-client /CN=front-proxy-client client
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  openssl rsa -in "$p/sa.key" -pubout -out "$p/sa.pub" 2>/dev/null

  ADMIN_TOKEN=$(new_token) ALICE_TOKEN=$(new_token) BOB_TOKEN=$(new_token)
  KCM_TOKEN=$(new_token) SCHEDULER_TOKEN=$(new_token) KWOK_TOKEN=$(new_token)
  # Controllers use the identities that the bootstrap RBAC policy already
  # grants (system:kube-controller-manager, system:kube-scheduler).
  cat >"$p/tokens.csv" <<EOF
$ADMIN_TOKEN,kcache-admin,uid-kcache-admin,"system:masters"
$ALICE_TOKEN,alice,uid-alice,"team-a"
$BOB_TOKEN,bob,uid-bob,"team-b"
$KCM_TOKEN,system:kube-controller-manager,uid-kcm
$SCHEDULER_TOKEN,system:kube-scheduler,uid-scheduler
$KWOK_TOKEN,kwok-controller,uid-kwok,"system:masters"
EOF
  chmod 600 "$p"/*.key "$p/tokens.csv"
}

# start NAME BINARY ARGS...: runs BINARY under setsid (no controlling
# terminal, own process group, so it survives this script and a terminal
# hang-up) and records "PID BINARY" in DIR/pids/NAME.pid.
start() {
  local name=$1 bin=$2
  shift 2
  CURRENT=$name
  log "starting $name"
  setsid "$bin" "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  local pid=$!
  printf '%s %s\n' "$pid" "$bin" >"$DIR/pids/$name.pid"
  # Until the exec, /proc/PID/exe still shows bash or setsid, and
  # pid_alive (here and in down.sh) would take the process for gone.
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$bin" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  printf -v "PID_${name//-/_}" '%s' "$pid"
}

# wait_ready NAME WHAT CMD...: polls CMD until it succeeds, then logs
# "NAME: WHAT". Fails fast with the tail of NAME's log when the process
# dies, or after TIMEOUT seconds.
wait_ready() {
  local name=$1 what=$2
  shift 2
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if ! pid_alive "$DIR/pids/$name.pid"; then
      fail_with_log "$name" "$name exited during start-up"
    fi
    if ((SECONDS >= deadline)); then
      fail_with_log "$name" "$name not ready after ${TIMEOUT}s"
    fi
    sleep 0.2
  done
  log "$name: $what"
}

fail_with_log() {
  log "$2; last lines of $DIR/logs/$1.log:"
  tail -n 40 "$DIR/logs/$1.log" >&2 || true
  exit 1
}

api_get() {
  curl -fsS --max-time 5 --cacert "$DIR/pki/server-ca.crt" \
    -H "Authorization: Bearer $ADMIN_TOKEN" "$API_URL$1"
}

start_etcd() {
  start etcd "$ETCD" --name=kcache-test \
    --data-dir="$DIR/etcd-data" \
    --listen-client-urls="$ETCD_URL" --advertise-client-urls="$ETCD_URL" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="kcache-test=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync=true --log-level=warn ${UP_ETCD_ARGS:-}
  wait_ready etcd "healthy" curl -fsS --max-time 2 "$ETCD_URL/health"
}

start_apiserver() {
  local p=$DIR/pki
  # shellcheck disable=SC2054 # commas belong to flag values
  local args=(
    --etcd-servers="$ETCD_URL" --etcd-prefix="$ETCD_PREFIX"
    --bind-address=127.0.0.1 --secure-port="$API_PORT"
    # A loopback advertise address cannot go into the kubernetes Endpoints;
    # without reconciler=none the log fills with errors.
    --advertise-address=127.0.0.1 --endpoint-reconciler-type=none
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key"
    --client-ca-file="$p/client-ca.crt"
    --token-auth-file="$p/tokens.csv"
    --requestheader-client-ca-file="$p/front-proxy-ca.crt"
    --requestheader-allowed-names=front-proxy-client
    --requestheader-username-headers=X-Remote-User
    --requestheader-group-headers=X-Remote-Group
    --requestheader-extra-headers-prefix=X-Remote-Extra-
    --proxy-client-cert-file="$p/front-proxy-client.crt"
    --proxy-client-key-file="$p/front-proxy-client.key"
    --authorization-mode=Node,RBAC
    --service-account-issuer=https://kubernetes.default.svc.cluster.local
    --service-account-key-file="$p/sa.pub"
    --service-account-signing-key-file="$p/sa.key"
    --service-cluster-ip-range="$SERVICE_CIDR"
    --allow-privileged=true
    --profiling=false
  )
  # Without KCM no "default" ServiceAccount appears, and the admission
  # plugin would reject every pod.
  ((CONTROLLERS)) || args+=(--disable-admission-plugins=ServiceAccount)
  [[ -z ${UP_COMPACTION_INTERVAL:-} ]] ||
    args+=(--etcd-compaction-interval="$UP_COMPACTION_INTERVAL")
  # shellcheck disable=SC2206 # word splitting of the extra flags is wanted
  [[ -z ${UP_APISERVER_ARGS:-} ]] || args+=($UP_APISERVER_ARGS)
  start kube-apiserver "$KUBE_APISERVER" "${args[@]}"
  wait_ready kube-apiserver "ready" curl -fsS --max-time 2 --cacert "$p/server-ca.crt" "$API_URL/readyz"
  # The k8s integration framework also waits for these: readyz can pass a
  # moment before the system namespaces exist.
  wait_ready kube-apiserver "namespace default exists" api_get /api/v1/namespaces/default
  wait_ready kube-apiserver "namespace kube-system exists" api_get /api/v1/namespaces/kube-system
}

b64() { base64 -w0 <"$1"; }

# kubeconfig FILE USER (token TOKEN | cert CRT KEY)
# Everything embedded, so the file stands alone.
kubeconfig() {
  local file=$1 user=$2 kind=$3 cred
  if [[ $kind == token ]]; then
    cred="    token: $4"
  else
    cred="    client-certificate-data: $(b64 "$4")
    client-key-data: $(b64 "$5")"
  fi
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: kcache-test
  cluster:
    server: $API_URL
    certificate-authority-data: $(b64 "$DIR/pki/server-ca.crt")
users:
- name: $user
  user:
$cred
contexts:
- name: $user@kcache-test
  context:
    cluster: kcache-test
    user: $user
current-context: $user@kcache-test
EOF
  chmod 600 "$file"
}

write_kubeconfigs() {
  local p=$DIR/pki
  kubeconfig "$DIR/admin.kubeconfig" kcache-admin token "$ADMIN_TOKEN"
  kubeconfig "$DIR/admin-cert.kubeconfig" kcache-admin cert "$p/admin-client.crt" "$p/admin-client.key"
  kubeconfig "$DIR/alice.kubeconfig" alice token "$ALICE_TOKEN"
  kubeconfig "$DIR/alice-cert.kubeconfig" alice cert "$p/alice-client.crt" "$p/alice-client.key"
  kubeconfig "$DIR/bob.kubeconfig" bob token "$BOB_TOKEN"
  kubeconfig "$DIR/internal/kcm.kubeconfig" system:kube-controller-manager token "$KCM_TOKEN"
  kubeconfig "$DIR/internal/scheduler.kubeconfig" system:kube-scheduler token "$SCHEDULER_TOKEN"
  kubeconfig "$DIR/internal/kwok.kubeconfig" kwok-controller token "$KWOK_TOKEN"
}

# alice may read pods and configmaps in team-a only; bob the same in team-b.
# Nothing else (no secrets, no cluster scope), which gives tests a
# "forbidden" answer to check.
setup_tenants() {
  CURRENT=rbac
  local ns user yaml=""
  for pair in team-a:alice team-b:bob; do
    ns=${pair%%:*} user=${pair##*:}
    yaml+="---
apiVersion: v1
kind: Namespace
metadata:
  name: $ns
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: $ns
rules:
- apiGroups: [\"\"]
  resources: [pods, configmaps]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: $user-reader
  namespace: $ns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: $user
"
  done
  printf '%s' "$yaml" | "$KUBECTL" --kubeconfig="$DIR/admin.kubeconfig" apply -f - >/dev/null ||
    die "could not create the team-a/team-b namespaces and RBAC"
  log "namespaces team-a, team-b and their reader roles created"
}

# Common flags of KCM and the scheduler: loopback only, delegated authn/z
# through the apiserver, health and metrics open to curl.
component_flags() {
  local kc=$1 port=$2
  printf '%s\n' --kubeconfig="$kc" --authentication-kubeconfig="$kc" \
    --authorization-kubeconfig="$kc" --bind-address=127.0.0.1 --secure-port="$port" \
    --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics \
    --leader-elect=false
}

healthz() { curl -fsSk --max-time 2 "$1/healthz"; }

start_controllers() {
  local p=$DIR/pki flags
  mapfile -t flags < <(component_flags "$DIR/internal/kcm.kubeconfig" "$KCM_PORT")
  # Each controller runs as its own service account, as in kubeadm; the
  # client CA signs CSRs so tests can mint users through the CSR API.
  start kube-controller-manager "$KCM" "${flags[@]}" \
    --use-service-account-credentials=true \
    --root-ca-file="$p/server-ca.crt" \
    --service-account-private-key-file="$p/sa.key" \
    --cluster-signing-cert-file="$p/client-ca.crt" \
    --cluster-signing-key-file="$p/client-ca.key"
  wait_ready kube-controller-manager "healthy" healthz "https://127.0.0.1:$KCM_PORT"

  mapfile -t flags < <(component_flags "$DIR/internal/scheduler.kubeconfig" "$SCHEDULER_PORT")
  start kube-scheduler "$KUBE_SCHEDULER" "${flags[@]}"
  wait_ready kube-scheduler "healthy" healthz "https://127.0.0.1:$SCHEDULER_PORT"
}

# kwok acts as the kubelet of every node (pods with spec.nodeName become
# Running, nodes get Ready and keep their leases). Nodes are not created
# here: workload.sh does that.
start_kwok() {
  start kwok "$KWOK" --kubeconfig="$DIR/internal/kwok.kubeconfig" \
    --config="$KWOK_STAGES" --manage-all-nodes=true \
    --cidr="$POD_CIDR" --node-ip=10.0.0.1 --node-lease-duration-seconds=40 \
    --server-address="127.0.0.1:$KWOK_PORT"
  wait_ready kwok "healthy" healthz "http://127.0.0.1:$KWOK_PORT"
}

# Writes DIR/env atomically. Values are set here and read via ${!v}.
# shellcheck disable=SC2034
write_env() {
  local v out=""
  local vars=(
    KCACHE_CLUSTER_DIR API_URL API_HOST API_PORT ETCD_URL ETCD_PORT ETCD_PEER_PORT
    ETCD_PREFIX KCM_PORT SCHEDULER_PORT KWOK_PORT CONTROLLERS WITH_KWOK
    ETCD_PID APISERVER_PID KCM_PID SCHEDULER_PID KWOK_PID
    CA_FILE CLIENT_CA_FILE CLIENT_CA_KEY FRONT_PROXY_CA_FILE
    FRONT_PROXY_CLIENT_CERT FRONT_PROXY_CLIENT_KEY SA_KEY_FILE SA_PUB_FILE
    ADMIN_TOKEN ALICE_TOKEN BOB_TOKEN
    ADMIN_CERT ADMIN_KEY ALICE_CERT ALICE_KEY
    ADMIN_KUBECONFIG ADMIN_CERT_KUBECONFIG ALICE_KUBECONFIG ALICE_CERT_KUBECONFIG
    BOB_KUBECONFIG SERVICE_CIDR POD_CIDR
    KCACHE_TOOLS_BIN ETCD KUBE_APISERVER KCM KUBE_SCHEDULER KUBECTL KWOK KWOK_STAGES
  )
  local p=$DIR/pki
  KCACHE_CLUSTER_DIR=$DIR API_HOST=127.0.0.1
  ETCD_PID=${PID_etcd:-} APISERVER_PID=${PID_kube_apiserver:-}
  KCM_PID=${PID_kube_controller_manager:-} SCHEDULER_PID=${PID_kube_scheduler:-}
  KWOK_PID=${PID_kwok:-}
  CA_FILE=$p/server-ca.crt CLIENT_CA_FILE=$p/client-ca.crt CLIENT_CA_KEY=$p/client-ca.key
  FRONT_PROXY_CA_FILE=$p/front-proxy-ca.crt
  FRONT_PROXY_CLIENT_CERT=$p/front-proxy-client.crt FRONT_PROXY_CLIENT_KEY=$p/front-proxy-client.key
  SA_KEY_FILE=$p/sa.key SA_PUB_FILE=$p/sa.pub
  ADMIN_CERT=$p/admin-client.crt ADMIN_KEY=$p/admin-client.key
  ALICE_CERT=$p/alice-client.crt ALICE_KEY=$p/alice-client.key
  ADMIN_KUBECONFIG=$DIR/admin.kubeconfig ADMIN_CERT_KUBECONFIG=$DIR/admin-cert.kubeconfig
  ALICE_KUBECONFIG=$DIR/alice.kubeconfig ALICE_CERT_KUBECONFIG=$DIR/alice-cert.kubeconfig
  BOB_KUBECONFIG=$DIR/bob.kubeconfig
  out="# Test cluster started by test/cluster/up.sh at $(date -u +%FT%TZ)."$'\n'
  out+="# Source it: . $DIR/env"$'\n'
  for v in "${vars[@]}"; do
    out+="export $v=$(printf '%q' "${!v}")"$'\n'
  done
  printf '%s' "$out" >"$DIR/env.tmp"
  chmod 600 "$DIR/env.tmp"
  mv "$DIR/env.tmp" "$DIR/env"
}

main() {
  [[ $# -eq 1 && $1 != -* ]] || usage
  DIR=$1
  export_tool_paths || die "tools missing"
  command -v curl >/dev/null || die "curl not found"
  command -v python3 >/dev/null || die "python3 not found"
  local t0=$SECONDS
  prepare_dir
  trap on_exit EXIT
  pick_ports
  make_pki
  write_kubeconfigs
  start_etcd
  start_apiserver
  setup_tenants
  if ((CONTROLLERS)); then start_controllers; fi
  if ((WITH_KWOK)); then start_kwok; fi
  CURRENT=""
  write_env
  UP_OK=1
  log "cluster up in $((SECONDS - t0)) s: $API_URL"
  log "  . $DIR/env; \$KUBECTL --kubeconfig=\$ADMIN_KUBECONFIG get ns"
  log "  stop: $SCRIPT_DIR/down.sh $DIR"
}

main "$@"
