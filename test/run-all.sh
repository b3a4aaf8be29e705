#!/usr/bin/env bash
# Every test kcache has: unit tests (CTest), the parser fuzzers, the end-to-end suite against a
# real kube-apiserver and etcd that it starts itself, then the short form of the benchmark suite
# (its figures are printed, never asserted). Prints each runner's summary line.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
status=0

echo "== unit tests"
ctest --test-dir build -L unit -j "$(nproc)" --output-on-failure | tail -n 30 || status=1

echo "== fuzzing the parsers (${KCACHE_FUZZ_SECONDS:-10} s per target)"
# The clang build is kept outside the checkout, keyed by its path, so reruns only relink.
export KCACHE_FUZZ_BUILD="${KCACHE_FUZZ_BUILD:-$HOME/.cache/kcache/fuzz-build-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)}"
test/fuzz/run.sh "${KCACHE_FUZZ_SECONDS:-10}" || status=1

echo "== end-to-end tests (real kube-apiserver + etcd)"
test/cluster/build-tools.sh >/dev/null || exit 1
test/clients/build.sh >/dev/null || exit 1
(cd test/e2e && python3 -m pytest -p no:cacheprovider -q -o faulthandler_timeout=600 \
  ${KCACHE_E2E_ARGS:-}) || status=1

echo "== benchmarks, short form (figures only, not asserted; long form: perf/run.py)"
perf_log=$(mktemp)
if python3 perf/run.py --short >"$perf_log" 2>&1; then
  grep '^perf' "$perf_log"
else
  tail -n 30 "$perf_log"
  status=1
fi
rm -f "$perf_log"

exit $status
