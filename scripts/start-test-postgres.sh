#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the store test suite and prints
# the line that points the tests at it:
#
#   eval "$(scripts/start-test-postgres.sh)"    # sets CAPI_TEST_POSTGRES_URL
#   swift test --filter BridgeStoreTests
#   scripts/stop-test-postgres.sh               # stops it, removes its files
#
# The cluster lives in a new directory under /tmp (initdb), listens on
# 127.0.0.1 only, on a free port, with trust authentication for loopback, and
# has one database, capi_bridge_test, owned by the superuser `capi`. fsync and
# synchronous_commit keep their defaults (on): the store refuses a server that
# does not make commits durable. Installs Debian's `postgresql` when the
# binaries are missing. PostgreSQL refuses to run as root, so when invoked as
# root the server runs as the `postgres` system user (created by the package,
# or by this script when absent).
#
# Only `export …` lines go to standard output; progress goes to standard error.
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}
DATABASE=capi_bridge_test
SUPERUSER=capi

log() { echo "start-test-postgres: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    log "installing postgresql (binaries not found in $PG_BIN)"
    as_root apt-get update >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
fi
[ -x "$PG_BIN/initdb" ] || { log "no initdb in $PG_BIN after installing postgresql"; exit 1; }

# Who runs the server: the caller, or an unprivileged user when we are root.
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user postgres"
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    RUN_AS=(runuser -u postgres --)
fi

# A free TCP port on 127.0.0.1 (the kernel picks one; retried below if taken meanwhile).
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    else
        local port
        for port in $(seq 55432 55532); do
            if ! (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "$port"; return; fi
        done
        return 1
    fi
}

DIR=$(mktemp -d /tmp/capi-test-postgres.XXXXXX)
# On any failure from here on, stop what was started and remove the directory.
ready=""
cleanup() {
    if [ -z "$ready" ]; then
        "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$DIR"
    fi
}
trap cleanup EXIT
chmod 700 "$DIR"
if [ ${#RUN_AS[@]} -gt 0 ]; then chown postgres: "$DIR"; fi
DATA="$DIR/data"

log "initdb into $DATA"
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DATA" -U "$SUPERUSER" --auth=trust -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }

started=""
for attempt in 1 2 3 4 5; do
    PORT=$(free_port)
    cat >"$DATA/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 300
CONF
    cat >"$DATA/pg_hba.conf" <<CONF
local all all              trust
host  all all 127.0.0.1/32 trust
CONF
    if "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >&2; then
        started=yes
        break
    fi
    log "start on port $PORT failed (attempt $attempt); retrying on another port"
    tail -5 "$DIR/server.log" >&2 || true
done
[ -n "$started" ] || { log "could not start PostgreSQL:"; tail -20 "$DIR/server.log" >&2 || true; exit 1; }

"${RUN_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" "$DATABASE"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, data in $DATA"
ready=yes

echo "export CAPI_TEST_POSTGRES_URL=postgres://$SUPERUSER@127.0.0.1:$PORT/$DATABASE"
echo "export CAPI_TEST_POSTGRES_DIR=$DIR"
