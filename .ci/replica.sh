#!/usr/bin/env bash
# Starts, or stops, a PostgreSQL primary and a streaming replica of it for
# the read-replica tests, apart from the machine's own cluster.
#
#   .ci/replica.sh start [DIR]   prints the lines to eval:
#                                export FPRLINK_TEST_REPLICA_PRIMARY_URL=…
#                                export FPRLINK_TEST_REPLICA_URL=…
#                                export FPRLINK_TEST_REPLICA_DIR=…
#   .ci/replica.sh stop DIR      stops both and removes DIR
#
# The primary listens on FPRLINK_REPLICA_PRIMARY_PORT (5436), the replica on
# FPRLINK_REPLICA_PORT (5437), both on 127.0.0.1 only and with trust
# authentication: they hold nothing but test schemas and live as long as
# the run. initdb refuses to run as root, so when run as root the clusters
# belong to the postgres user. Everything goes to stderr except the export
# lines.
set -euo pipefail

primary_port="${FPRLINK_REPLICA_PRIMARY_PORT:-5436}"
replica_port="${FPRLINK_REPLICA_PORT:-5437}"

pgbin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    echo "replica.sh: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi
  echo "$d"
}

# as runs a command as the clusters' owner.
as() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  local dir="$1" bin
  bin=$(pgbin)
  for c in replica primary; do
    if [ -f "$dir/$c/postmaster.pid" ]; then
      as "$bin/pg_ctl" -D "$dir/$c" -m immediate -w stop >&2 || true
    fi
  done
  rm -rf "$dir"
}

start() {
  local dir="${1:-}" bin
  bin=$(pgbin)
  for p in "$primary_port" "$replica_port"; do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$p"; then
      echo "replica.sh: port $p is already taken; stop the old pair (.ci/replica.sh stop DIR) or set FPRLINK_REPLICA_PRIMARY_PORT and FPRLINK_REPLICA_PORT" >&2
      exit 1
    fi
  done
  if [ -z "$dir" ]; then
    dir=$(mktemp -d -t fprlink-replica.XXXXXX)
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"

  # fsync off: a test cluster that loses its data on a crash loses nothing.
  as "$bin/initdb" -D "$dir/primary" -U postgres -A trust -N >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/primary/postgresql.conf" <<EOF
port = $primary_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '64MB'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  as "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >&2
  as "$bin/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d postgres -qc "CREATE DATABASE test" >&2

  # -R writes standby.signal and primary_conninfo; -X stream copies the WAL
  # written while the backup runs.
  as "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica" -R -X stream -c fast >&2
  cat >>"$dir/replica/postgresql.conf" <<EOF
port = $replica_port
hot_standby = on
hot_standby_feedback = on
EOF
  as "$bin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >&2

  local ok=""
  for _ in $(seq 1 60); do
    if [ "$(as "$bin/psql" -h 127.0.0.1 -p "$replica_port" -U postgres -d test -tAc \
      "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')" 2>/dev/null)" = "t" ]; then
      ok=yes
      break
    fi
    sleep 0.5
  done
  if [ -z "$ok" ]; then
    echo "replica.sh: the replica does not stream from the primary" >&2
    tail -20 "$dir/replica.log" >&2
    exit 1
  fi
  echo "export FPRLINK_TEST_REPLICA_PRIMARY_URL='postgres://postgres@127.0.0.1:${primary_port}/test?sslmode=disable'"
  echo "export FPRLINK_TEST_REPLICA_URL='postgres://postgres@127.0.0.1:${replica_port}/test?sslmode=disable'"
  echo "export FPRLINK_TEST_REPLICA_DIR='$dir'"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop)
    [ -n "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    stop "$2"
    ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR" >&2
    exit 2
    ;;
esac
