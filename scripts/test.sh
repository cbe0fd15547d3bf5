#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with warnings as errors and ASan/UBSan
# (CMake preset "ci"), runs the whole CTest suite (unit, store, API over HTTP, end-to-end with a
# real SMTP server), then builds the release binary and smoke-runs the micro-benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/check.sh

jobs=$(nproc)
cmake --preset ci >/dev/null
cmake --build build/ci -j "$jobs"
# Sanitizer options: abort on the first report so a finding fails the run.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build/ci --output-on-failure -j "$jobs" --timeout 300

cmake --preset release >/dev/null
cmake --build build/release -j "$jobs" --target vouch vouch_micro_bench
build/release/bench/vouch_micro_bench --benchmark_min_time=0.01 >/dev/null
echo "release build and benchmark smoke run: ok"
