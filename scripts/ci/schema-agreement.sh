#!/usr/bin/env bash
# Checks that the published canonical-event schema
# (config/schema/conversion-event.schema.json) and the bridge's validator
# agree on every file of fixtures/schema-corpus/: Python jsonschema (pinned in
# scripts/ci/requirements.txt, in a virtual environment under .build/) and
# `capi-bridge events validate`, by default and as a strict source.
#
#   scripts/ci/schema-agreement.sh [BINARY]   (default .build/debug/capi-bridge)
set -euo pipefail
cd "$(dirname "$0")/../.."

binary="${1:-.build/debug/capi-bridge}"
[ -x "$binary" ] || { echo "no capi-bridge binary at $binary: run swift build first" >&2; exit 2; }

venv=.build/ci-python
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s scripts/ci/requirements.txt "$stamp"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/ci/requirements.txt
    cp scripts/ci/requirements.txt "$stamp"
fi

"$venv/bin/python" scripts/ci/schema_agreement.py --bridge "$binary"
