#!/usr/bin/env bash
# Architecture checks that the compiler cannot make (Debian puts every library's headers on the
# default include path, so a stray include still compiles). Run by scripts/test.sh, so by CI.
#
#   1. Module dependencies point inward: each module under src/ may include only the modules
#      listed for it below (a module may always include itself).
#   2. Each I/O library is confined to the files that adapt it.
#   3. The tree is formatted by .clang-format (when clang-format is installed).
#
# To let a module use another, change MODULE_DEPS here and say why in the commit message.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
problem() {
  echo "check: $*"
  fail=1
}

# 1. Module dependencies (quoted includes "module/..."). `main` is the composition root: it may
# name everything.
declare -A MODULE_DEPS=(
  [base]=""
  [core]="base"
  [store]="base core"
  [delivery]="base core"
  [app]="base core store delivery"
  [jobs]="base core delivery app"
  [http]="base"
  [api]="base core app http delivery"  # delivery: the template engine renders the customer pages
  [main]="base core store delivery app jobs http api"
)
for module in "${!MODULE_DEPS[@]}"; do
  [ -d "src/$module" ] || continue
  allowed=" $module ${MODULE_DEPS[$module]} "
  while IFS=: read -r file line include; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$include")
    case "$allowed" in
      *" $target "*) ;;
      *) problem "$file:$line: module '$module' must not include '$target/' (allowed: ${MODULE_DEPS[$module]:-nothing})" ;;
    esac
  done < <(grep -rnE '^#include "[a-z_]+/' "src/$module" || true)
done

# 2. Libraries, each confined to its adapters (extended regex of the allowed paths).
confine() {
  local pattern=$1 allowed=$2 what=$3
  while IFS= read -r hit; do
    file=${hit%%:*}
    if ! grep -qE "^($allowed)$" <<<"$file"; then
      problem "$hit: $what belongs in $allowed only"
    fi
  done < <(grep -rnE "#include <($pattern)" src || true)
}
# src/http/worker.h is private to the server's .cc files; server.h, the public header, stays free of Boost.
confine 'boost/' 'src/http/[a-z_]+\.cc|src/http/worker\.h' 'Boost (Asio/Beast)'
confine 'pqxx' 'src/store/postgres/pg_connection\.cc' 'libpqxx (pImpl)'
confine 'sqlite3\.h' 'src/store/sqlite/sqlite_connection\.cc' 'SQLite'
confine 'curl/' 'src/delivery/[a-z_]+\.cc' 'libcurl'
# app/webhook_payloads.cc: a webhook's body is the app's own output, built when a worker sends it.
confine 'nlohmann/' 'src/api/[a-z_]+\.cc|src/app/webhook_payloads\.cc' 'nlohmann-json (the JSON layer)'
confine 'kainjow/' 'src/delivery/templates\.cc' 'the mustache library'
confine 'CLI/' 'src/main/[a-z_]+\.cc' 'CLI11'
confine 'toml\+\+/' 'src/main/config\.cc' 'toml++'
confine 'phonenumbers/' 'src/core/validate\.cc' 'libphonenumber'
confine 'libstemmer\.h' 'src/core/stem\.cc' 'libstemmer (the Snowball stemmers of comment themes)'
confine 'spdlog/' 'src/base/log\.cc' 'spdlog'
confine 'openssl/' 'src/base/crypto\.cc' 'OpenSSL'
confine 'argon2\.h' 'src/base/password\.cc' 'libargon2'
# Tests may reach libpqxx only through the store, like everyone else.
pq_tests=$(grep -rlE '#include <pqxx' tests bench 2>/dev/null || true)
[ -z "$pq_tests" ] || problem "libpqxx in tests or benchmarks (use the store): $pq_tests"

# 3. Formatting, when clang-format is available (scripts/install-deps.sh installs it).
if command -v clang-format >/dev/null 2>&1 && [ -f .clang-format ]; then
  unformatted=()
  while IFS= read -r f; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then unformatted+=("$f"); fi
  done < <(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 2>/dev/null ||
    find src tests bench -name '*.cc' -o -name '*.h')
  if [ ${#unformatted[@]} -gt 0 ]; then
    problem "not formatted by .clang-format (run: clang-format -i FILE): ${unformatted[*]}"
  fi
fi

if [ "$fail" -ne 0 ]; then exit 1; fi
echo "check: ok"
