#!/usr/bin/env bash
# Stops the cluster started by scripts/start-test-postgres.sh and removes its
# directory. Takes the directory as an argument or from CAPI_TEST_POSTGRES_DIR
# (which start-test-postgres.sh exports); does nothing when neither is set.
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}
DIR=${1:-${CAPI_TEST_POSTGRES_DIR:-}}

log() { echo "stop-test-postgres: $*" >&2; }

if [ -z "$DIR" ]; then log "no cluster directory given; nothing to stop"; exit 0; fi
case "$DIR" in
    /tmp/capi-test-postgres.*) ;;
    *) log "refusing to touch $DIR: not a directory made by start-test-postgres.sh"; exit 1 ;;
esac
if [ ! -d "$DIR" ]; then log "$DIR is already gone"; exit 0; fi

if [ -f "$DIR/data/postmaster.pid" ]; then
    OWNER=$(stat -c %U "$DIR/data")
    RUN_AS=()
    if [ "$(id -u)" = 0 ] && [ "$OWNER" != root ]; then RUN_AS=(runuser -u "$OWNER" --); fi
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >&2 || log "pg_ctl stop failed; removing the directory anyway"
fi
rm -rf "$DIR"
log "stopped and removed $DIR"
