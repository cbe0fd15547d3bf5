#!/usr/bin/env bash
# Installs the Debian 12 packages Vouch builds and tests with. Idempotent; needs root (or sudo).
set -euo pipefail

BUILD_PKGS=(
  g++ cmake ninja-build pkg-config
  libboost-dev libboost-system-dev          # Boost.Asio/Beast (HTTP server)
  libsqlite3-dev                            # embedded store
  libpqxx-dev                               # PostgreSQL store (libpqxx 6.4, libpq)
  libcurl4-openssl-dev                      # SMTP client
  libssl-dev                                # HMAC, SHA-256, CSPRNG
  libargon2-dev                             # Argon2id password hashes (dashboard users)
  nlohmann-json3-dev                        # JSON in the API
  libspdlog-dev libfmt-dev                  # structured logs, formatting
  libcli11-dev                              # command line
  libtomlplusplus-dev                       # vouch.toml
  libkainjow-mustache-dev                   # mail and page templates
  libphonenumber-dev                        # E.164 phone numbers
  libstemmer-dev                            # Snowball stemmers for comment themes (core/stem.cc)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format                              # scripts/check.sh: the tree keeps .clang-format
  nodejs npm                                # builds the dashboard (web/dashboard): never needed to run
)
# Node.js and npm: Debian's, unless a Node.js with its own npm is installed already (NodeSource's
# nodejs package bundles npm and conflicts with Debian's npm package).
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  BUILD_PKGS=("${BUILD_PKGS[@]/nodejs/}")
  BUILD_PKGS=("${BUILD_PKGS[@]/npm/}")
fi
TEST_PKGS=(
  python3 python3-aiosmtpd                  # the real SMTP server the tests send to
  openssl                                   # self-signed certificate for the STARTTLS test
  postgresql                                # throwaway cluster for the PostgreSQL tests
  wrk nginx-light                           # load generator and HTTP baseline of bench/run
  chromium                                  # the dashboard's browser tests (tests/e2e/dashboard)
  kannel kannel-extras                      # SMS gateway and its fake SMSC (tests/e2e/sms_kannel_test.py)
  tzdata                                    # quiet hours read the system's zones (base/tz.cc)
  clang-14 libclang-rt-14-dev               # libFuzzer targets (fuzz/, scripts/fuzz.sh): -fsanitize=fuzzer's runtime
  systemd                                   # systemd-analyze verify for packaging/vouch.service
  postfix                                   # its smtp-sink: bench/run's fast SMTP baseline (no daemon is started)
)

want=("${BUILD_PKGS[@]}")
if [ "${1:-}" != "--build-only" ]; then want+=("${TEST_PKGS[@]}"); fi

missing=()
for p in "${want[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
# No service a package ships (postfix's MTA, kannel's gateway) is started by the install: the
# tests and benchmarks start what they need on loopback ports of their own.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && own_policy=1
  trap '[ -n "$own_policy" ] && $SUDO rm -f "$policy"' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
