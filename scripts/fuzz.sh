#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, CMake option VOUCH_FUZZ, Debian's clang 14 with
# libclang-rt-14-dev) and runs each over its seed corpus for SECONDS seconds (default 10).
# The corpus in the repository is only read: new inputs go to a temporary folder. A crash,
# leak, sanitizer report or timeout fails the run, its input saved under build/fuzz/findings/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# VOUCH_FUZZ_TIMEOUT (default 10): seconds one input may take, measured by the clock on the wall,
# so raise it on a machine busy enough to starve the run (a starved input is no hang).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
build=${VOUCH_FUZZ_BUILD:-build/fuzz}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS=-O1 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DVOUCH_FUZZ=ON -DVOUCH_BUILD_TESTS=OFF -DVOUCH_BUILD_BENCH=OFF -DVOUCH_DASHBOARD=OFF \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target vouch_fuzzers
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi
mkdir -p "$build/findings"
work=$(mktemp -d /tmp/vouch-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
TIMEFORMAT='%U %S'
total=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  # The run's CPU seconds (user + system), from bash's `time`.
  if ! { time "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout="${VOUCH_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/findings/$t-" "$work/$t" "fuzz/corpus/$t" \
      >"$work/$t.log" 2>&1; } 2>"$work/$t.time"; then
    tail -40 "$work/$t.log"
    echo "fuzz: $t FAILED (input in $build/findings/)"
    exit 1
  fi
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$work/$t.time")
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t.log" | grep -o '[0-9]*$' || echo '?')
  total=$(awk -v a="$total" -v b="$cpu" 'BEGIN {printf "%.1f", a + b}')
  echo "fuzz: $t ok ($runs runs, $cpu s CPU)"
done
echo "fuzz: all ok (${total} s CPU in all)"
