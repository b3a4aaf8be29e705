# shellcheck shell=bash
# Source this file to get the test-cluster binary paths:
#   source test/cluster/tools-env.sh && "$KUBECTL" version --client
# Exports KCACHE_TOOLS_BIN (colon-separated bin dirs, ready for PATH), ETCD,
# KUBE_APISERVER, KCM, KUBE_SCHEDULER, KUBECTL, KWOK and KWOK_STAGES.
# It builds nothing: it returns 1 and names build-tools.sh when a binary is
# missing.

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" && export_tool_paths
