#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with warnings as errors and ASan/UBSan
# (CMake preset "ci"), runs the whole CTest suite (unit, store, API over HTTP, end-to-end with a
# real SMTP server) on SQLite and on a throwaway PostgreSQL, then builds the release binary and
# smoke-runs the micro-benchmarks.
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
# A throwaway PostgreSQL (initdb in a temp folder, loopback port) so the store, API and
# end-to-end suites run on PostgreSQL too; stopped and removed on exit. An existing server can be
# used instead by setting VOUCH_TEST_PG to its admin DSN.
if [ -z "${VOUCH_TEST_PG:-}" ]; then
  pg_dir=$(mktemp -d /tmp/vouch-pg.XXXXXX)
  trap 'bash scripts/pg-test-cluster.sh stop "$pg_dir"' EXIT
  VOUCH_TEST_PG=$(bash scripts/pg-test-cluster.sh start "$pg_dir")
  export VOUCH_TEST_PG
fi
echo "PostgreSQL for the tests: $VOUCH_TEST_PG"
# install-deps.sh installed Chromium: the dashboard's browser tests must run, never skip.
export VOUCH_REQUIRE_CHROMIUM=1
ctest --test-dir build/ci --output-on-failure -j "$jobs" --timeout 300

# The libFuzzer targets (fuzz/), each briefly over its seed corpus: a crash fails the run.
bash scripts/fuzz.sh "${VOUCH_FUZZ_SECONDS:-10}"

cmake --preset release >/dev/null
cmake --build build/release -j "$jobs" --target vouch vouch_micro_bench
build/release/bench/vouch_micro_bench --benchmark_min_time=0.01 >/dev/null
# The load harness in its smoke size (under a minute): fails only if it cannot run, never on a
# missed target.
bench/run --quick
echo "release build and benchmark smoke run: ok"
