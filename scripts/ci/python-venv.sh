#!/usr/bin/env bash
# Creates .venv-ci/ (at the repository root) with CI's pinned Python tools:
# scripts/ci/requirements.txt, every file checked against its hash. A venv
# made from the same requirements file is reused. Prints nothing but pip's
# errors; exits non-zero when python3 cannot make a venv (Debian: install
# python3-venv) or an install fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.venv-ci"
requirements="$root/scripts/ci/requirements.txt"

if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    echo "python-venv.sh: python3 cannot create virtual environments; install python3-venv" >&2
    exit 1
fi

stamp="$(sha256sum "$requirements" | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version.split()[0])')"
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements-stamp" 2>/dev/null)" = "$stamp" ]; then
    exit 0
fi

rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$requirements"
echo "$stamp" > "$venv/.requirements-stamp"
