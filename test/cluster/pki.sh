#!/usr/bin/env bash
# Small openssl-based PKI for the test cluster (ECDSA P-256 keys: fast to
# generate, accepted by Go and OpenSSL clients alike).
#
# Used by up.sh, and usable on its own to mint more identities against a
# running cluster's CAs:
#   pki.sh client DIR NAME [GROUP...]   -> DIR/pki/NAME.crt, NAME.key
#                                          signed by the client CA (CN=NAME, O=GROUP)
#   pki.sh server DIR NAME SAN...       -> serving cert signed by the server CA;
#                                          SANs as IP:1.2.3.4 or DNS:host
# The apiserver maps a client cert to user CN and groups O, so no apiserver
# restart is needed for a new client identity.
set -euo pipefail

# Minimal openssl config: the distro default adds extensions we do not want
# (and -addext would clash with them), so every cert gets exactly these.
pki_write_config() {
  local cnf=$1
  cat >"$cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF
}

# pki_new_ca DIR NAME CN -> DIR/NAME.crt + DIR/NAME.key (self-signed CA)
pki_new_ca() {
  local dir=$1 name=$2 cn=$3 cnf
  cnf=$(mktemp)
  pki_write_config "$cnf"
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$dir/$name.key" -out "$dir/$name.crt" -days 3650 \
    -subj "/CN=$cn" -config "$cnf" -extensions v3_ca 2>/dev/null
  rm -f "$cnf"
}

# pki_sign DIR CA NAME SUBJECT EXTSECTION [EXTRA_CONFIG]
# -> DIR/NAME.crt + DIR/NAME.key signed by DIR/CA.{crt,key}
pki_sign() {
  local dir=$1 ca=$2 name=$3 subj=$4 section=$5 extra=${6:-} cnf
  cnf=$(mktemp)
  pki_write_config "$cnf"
  printf '%s\n' "$extra" >>"$cnf"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "$subj" -config "$cnf" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" \
    -set_serial "0x$(openssl rand -hex 12)" -days 3650 -out "$dir/$name.crt" \
    -extfile "$cnf" -extensions "$section" 2>/dev/null
  rm -f "$cnf" "$dir/$name.csr"
}

# pki_client_cert DIR NAME [GROUP...]: client cert from the client CA.
pki_client_cert() {
  local dir=$1 name=$2 subj g
  shift 2
  subj="/CN=$name"
  for g in "$@"; do subj+="/O=$g"; done
  pki_sign "$dir" client-ca "$name" "$subj" client
}

# pki_server_cert DIR NAME SAN...: serving cert from the server CA.
pki_server_cert() {
  local dir=$1 name=$2
  shift 2
  local sans
  sans=$(IFS=,; printf '%s' "$*")
  pki_sign "$dir" server-ca "$name" "/CN=$name" server "[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
subjectAltName = $sans"
}

pki_main() {
  local cmd=${1:-} dir=${2:-} name=${3:-}
  if [[ -z $cmd || -z $dir || -z $name ]]; then
    echo "usage: $0 client DIR NAME [GROUP...] | server DIR NAME SAN..." >&2
    exit 2
  fi
  shift 3
  [[ -f $dir/pki/client-ca.key ]] || { echo "no cluster PKI in $dir/pki" >&2; exit 1; }
  case $cmd in
    client) pki_client_cert "$dir/pki" "$name" "$@" ;;
    server) pki_server_cert "$dir/pki" "$name" "$@" ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
  esac
  printf '%s\n%s\n' "$dir/pki/$name.crt" "$dir/pki/$name.key"
}

# Run as a command only when executed, not when sourced by up.sh.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  pki_main "$@"
fi
