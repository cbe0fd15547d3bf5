#!/usr/bin/env bash
# Builds Vouch (installing the Debian packages it lacks) and runs `vouch demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --build-only
cmake --preset release >/dev/null
cmake --build build/release -j "$(nproc)" --target vouch
exec build/release/src/vouch demo "$@"
