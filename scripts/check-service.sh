#!/usr/bin/env bash
# Checks packaging/vouch.service: `systemd-analyze verify` accepts it (with ExecStart pointing at
# the built binary VOUCH_BIN, since verify wants an executable there), the hardening it promises
# is in it, and systemd's own exposure score rates it "OK" or better (below 2.0).
set -euo pipefail
cd "$(dirname "$0")/.."
unit=packaging/vouch.service
bin=${VOUCH_BIN:-/bin/true}
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "check-service: systemd-analyze not installed (install-deps.sh installs systemd)"
  exit 77
fi
dir=$(mktemp -d /tmp/vouch-unit.XXXXXX)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/local/bin/vouch|$bin|g" "$unit" >"$dir/vouch.service"
systemd-analyze verify "$dir/vouch.service"
for line in DynamicUser=yes StateDirectory=vouch ProtectSystem=strict NoNewPrivileges=yes \
            ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet= SystemCallFilter=@system-service \
            "Environment=VOUCH_DB=sqlite:/var/lib/vouch/vouch.db"; do
  grep -qxF "$line" "$unit" || { echo "check-service: $unit lacks $line"; exit 1; }
done
score=$(systemd-analyze security --offline=yes "$dir/vouch.service" 2>/dev/null |
  sed -n 's/.*Overall exposure level for vouch.service: \([0-9.]*\).*/\1/p')
echo "check-service: exposure $score"
awk -v s="$score" 'BEGIN { exit !(s != "" && s < 2.0) }' || { echo "check-service: exposure too high"; exit 1; }
echo "check-service: ok"
