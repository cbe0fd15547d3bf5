#!/usr/bin/env bash
# Architecture checks that the compiler cannot make: the core and the use cases stay free of
# HTTP, JSON and database libraries (Debian puts their headers on the default include path).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE '#include <(boost|nlohmann|sqlite3|pqxx|curl|CLI|toml)' src/core src/app src/store/store.h src/store/records.h || true)
if [ -n "$bad" ]; then
  echo "check: core/app/store interfaces must not include I/O libraries:"
  echo "$bad"
  exit 1
fi
beast=$(grep -rln 'boost/beast' src | grep -v '^src/http/' || true)
if [ -n "$beast" ]; then
  echo "check: Boost.Beast belongs in src/http/ only: $beast"
  exit 1
fi
pqxx=$(grep -rlE '#include <pqxx' src tests | grep -v '^src/store/postgres/pg_connection.cc$' || true)
if [ -n "$pqxx" ]; then
  echo "check: libpqxx belongs in src/store/postgres/pg_connection.cc only (pImpl): $pqxx"
  exit 1
fi
echo "check: ok"
