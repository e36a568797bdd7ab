#!/usr/bin/env bash
# Checks that the published canonical-event schema
# (config/schema/conversion-event.schema.json) and the bridge's validator
# agree on every file of fixtures/schema-corpus/: Python jsonschema (pinned in
# scripts/ci/requirements.txt, in the virtual environment scripts/ci/python-venv.sh makes) and
# `capi-bridge events validate`, by default and as a strict source.
#
#   scripts/ci/schema-agreement.sh [BINARY]   (default .build/debug/capi-bridge)
set -euo pipefail
cd "$(dirname "$0")/../.."

binary="${1:-.build/debug/capi-bridge}"
[ -x "$binary" ] || { echo "no capi-bridge binary at $binary: run swift build first" >&2; exit 2; }

scripts/ci/python-venv.sh
venv=.venv-ci
"$venv/bin/python" scripts/ci/schema_agreement.py --bridge "$binary"
# The configuration file's schema: the example validates, broken copies do not
# (the loader side of the agreement is ConfigSchemaAgreementTests).
"$venv/bin/python" scripts/ci/config_schema.py
