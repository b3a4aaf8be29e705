#!/usr/bin/env bash
# Builds kcache's libFuzzer targets (clang, ASan + UBSan) and runs each for SECONDS (default 10),
# printing one summary line per target. Exits 1 when a target crashed (or a saved crash input
# in crashes/<target>/ still crashes), 2 when the build failed.
#
#   test/fuzz/run.sh [SECONDS]
#
# The build directory (configured once, then reused) is $KCACHE_FUZZ_BUILD, default build-fuzz.
# New corpus entries, logs and crash inputs stay in <build>/test/fuzz/{work,logs,artifacts}/;
# README.md explains longer campaigns and how to keep what they find.
set -uo pipefail

SECONDS_PER_TARGET="${1:-10}"
if ! [[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || [ "$SECONDS_PER_TARGET" -lt 1 ]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 2
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${KCACHE_FUZZ_BUILD:-$ROOT/build-fuzz}"
CXX_COMPILER="${KCACHE_FUZZ_CXX:-clang++}"
OUT="$BUILD/test/fuzz"
# ccache (when installed): objects keyed by paths relative to the checkout, reused by clones.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

# The build directory is not part of the sources: ignore it before anything is built there.
mkdir -p "$BUILD"
[ -f "$BUILD/.gitignore" ] || printf '*\n' >"$BUILD/.gitignore"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$CXX_COMPILER" -DKCACHE_FUZZ=ON >"$BUILD/fuzz-configure.log" 2>&1 || {
    cat "$BUILD/fuzz-configure.log" >&2
    echo "fuzz: configuring $BUILD failed" >&2
    exit 2
  }
fi

if ! ninja -C "$BUILD" fuzzers >"$BUILD/fuzz-build.log" 2>&1; then
  tail -n 40 "$BUILD/fuzz-build.log" >&2
  echo "fuzz: build failed (log: $BUILD/fuzz-build.log)" >&2
  exit 2
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer-14 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer-14)"
fi

# Targets that share a dictionary.
dict_for() {
  case "$1" in
    object | watch_event) echo "$HERE/dict/json.dict" ;;
    *) echo "$HERE/dict/$1.dict" ;;
  esac
}

status=0
crashed=()
for source in "$HERE"/*_fuzzer.cc; do
  name="$(basename "$source" _fuzzer.cc)"
  binary="$OUT/fuzz_$name"
  work="$OUT/work/$name"
  artifacts="$OUT/artifacts/$name"
  log="$OUT/logs/$name.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  args=(-max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -timeout=25
        -rss_limit_mb=2048 -artifact_prefix="$artifacts/")
  dict="$(dict_for "$name")"
  [ -f "$dict" ] && args+=(-dict="$dict")
  # The first directory collects new inputs; the seeds and saved crashes are only read.
  inputs=("$work" "$HERE/corpus/$name")
  [ -d "$HERE/crashes/$name" ] && inputs+=("$HERE/crashes/$name")

  "$binary" "${args[@]}" "${inputs[@]}" >"$log" 2>&1
  rc=$?

  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  # The last status line: "#N  <event> cov: C ft: F corp: U/S ..."
  last="$(grep -E '^#[0-9]+' "$log" | tail -n 1)"
  [ -n "$runs" ] || runs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")"
  [ -n "$rate" ] || rate="$(sed -nE 's/.* exec\/s: ([0-9]+).*/\1/p' <<<"$last")"
  cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")"
  ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")"
  corp="$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")"
  if [ "$rc" -eq 0 ]; then
    result="ok"
  else
    status=1
    crashed+=("$name")
    unit="$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)"
    kind="$(grep -m1 -oE "ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [a-zA-Z_ -]+|runtime error: .*|property violated: .*|terminate called after throwing an instance of '[^']*'" "$log" | head -c 120)"
    result="CRASH ${kind:-exit $rc}${unit:+ input $unit}"
  fi
  printf 'fuzz_%-16s runs %-9s exec/s %-7s cov %-5s ft %-6s corpus %-5s %s\n' \
    "$name" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done

for name in "${crashed[@]}"; do
  log="$OUT/logs/$name.log"
  echo >&2
  echo "== fuzz_$name crashed; full log: $log" >&2
  # The sanitizer report or failed property, with its stack.
  awk '/property violated|^  |terminate called|what\(\)|==[0-9]+==ERROR|runtime error:|SUMMARY:|^ *#[0-9]+ 0x/' "$log" |
    grep -v -E ' in (fuzzer::|__sanitizer_|__libc_|_start|main |raise |abort |__pthread_kill)|libc\.so|libstdc\+\+\.so|Combine libFuzzer' |
    head -n 40 >&2
done
exit $status
