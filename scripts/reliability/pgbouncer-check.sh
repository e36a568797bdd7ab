#!/usr/bin/env bash
# Connection pooling check (docs/scaling.md): two instances reach
# PostgreSQL through pgbouncer in transaction pooling mode (Debian's
# pgbouncer, installed when missing) with a pool of 4 server connections,
# under signed load forwarded to two destinations, one instance SIGKILLed
# and restarted halfway. Nothing acknowledged may be lost, and the audit
# chain must verify: the bridge keeps no session state (each query is an
# unnamed statement; its only lock is transaction-scoped), so a server
# connection shared between instances is safe.
#
#   pgbouncer-check.sh [RATE (40/s)] [SECONDS (40)]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RATE="${1:-40}"
SECONDS_OF_LOAD="${2:-40}"
KINDS=meta,tiktok

if ! command -v pgbouncer >/dev/null && [ ! -x /usr/sbin/pgbouncer ]; then
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer >&2
fi
PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
rel_setup pgbouncer
rel_postgres_start
PG_PORT=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).port)' "$PG_URL")
BOUNCER_PORT=$(rel_free_port)
BOUNCER_DIR="$REL_PG_DIR/pgbouncer"
mkdir -p "$BOUNCER_DIR"
cat >"$BOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $BOUNCER_DIR/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = $BOUNCER_DIR/pgbouncer.log
pidfile = $BOUNCER_DIR/pgbouncer.pid
INI
echo '"capi" ""' >"$BOUNCER_DIR/userlist.txt"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then chown -R postgres: "$BOUNCER_DIR"; RUN_AS=(runuser -u postgres --); fi
"${RUN_AS[@]}" "$PGBOUNCER" -d "$BOUNCER_DIR/pgbouncer.ini"
bouncer_stop() { [ -f "$BOUNCER_DIR/pgbouncer.pid" ] && kill "$(cat "$BOUNCER_DIR/pgbouncer.pid")" 2>/dev/null || true; rel_cleanup; }
trap bouncer_stop EXIT
sleep 1
DIRECT_URL="$PG_URL"
PG_URL=$(python3 -c 'import sys, urllib.parse; u = urllib.parse.urlsplit(sys.argv[1]); print(u._replace(netloc=f"{u.username}@127.0.0.1:{sys.argv[2]}").geturl())' "$DIRECT_URL" "$BOUNCER_PORT")
rel_start_fleet --delay-ms 20
for n in 1 2; do rel_config "$n" postgres "$KINDS" "max_wait_ms: 200"; done
for n in 1 2; do rel_start "$n"; done
rel_load_start 600 "$RATE" 1 2
sleep $((SECONDS_OF_LOAD / 2))
rel_kill 1
rel_start 1
sleep $((SECONDS_OF_LOAD / 2))
kill -USR1 "$LOAD_PID" 2>/dev/null || true
rel_load_wait
LOAD_ENDED=$(date +%s.%N)
rel_wait_delivered "$KINDS" "$LOAD_ENDED" 120 || true
for n in 1 2; do rel_stop "$n"; done
PG_URL="$DIRECT_URL"
AUDIT=$(rel_audit_verify 1)
rel_report "pgbouncer: 2 instances through transaction pooling (pool of 4), one SIGKILLed" postgres "$AUDIT" \
    --notes "$RATE events/s for $SECONDS_OF_LOAD s through pgbouncer $("$PGBOUNCER" --version | head -1 | awk '{print $2}') pool_mode=transaction; recovery = last event → all delivered"
