#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: no system service, nothing outside DIR.
#
#   scripts/pg-test-cluster.sh start DIR   initdb in DIR, start on a free 127.0.0.1 port (unix
#                                          socket in DIR), create database "vouch", print its DSN
#   scripts/pg-test-cluster.sh stop DIR    stop the server and remove DIR
#   scripts/pg-test-cluster.sh pause DIR [fast|immediate]
#                                          stop the server only (data kept; default "fast": clients
#                                          are disconnected; "immediate": like a crash)
#   scripts/pg-test-cluster.sh resume DIR  start it again on the same port with the same options
#
# The DSN's user is a superuser (trust auth, loopback only), so tests may create a database each.
# PostgreSQL refuses to run as root: as root the server runs as the "postgres" user Debian's
# package creates. Durability is off (fsync=off): the cluster lives only as long as the test run.
# PG_TEST_SERVER_OPTS (at start) adds server options after the defaults, e.g.
# "-c synchronous_commit=on" for a test that crashes the server and counts acknowledged commits.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|pause|resume DIR" >&2
  exit 2
fi
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$pgbin/initdb" ]; then
  echo "pg-test-cluster: no PostgreSQL server binaries (apt-get install postgresql)" >&2
  exit 1
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    "${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U vouch --auth=trust --no-locale -E UTF8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 ${PG_TEST_SERVER_OPTS:-}"
    echo "$opts" >"$dir/server-opts"
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -o "$opts" \
      start >/dev/null || { cat "$dir/postgres.log" >&2; exit 1; }
    "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U vouch vouch
    dsn="postgres://vouch@127.0.0.1:$port/vouch"
    echo "$dsn" >"$dir/dsn"
    echo "$dsn"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  pause)
    mode=${3:-fast}
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null
    ;;
  resume)
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "$(cat "$dir/server-opts")" start >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume DIR" >&2
    exit 2
    ;;
esac
