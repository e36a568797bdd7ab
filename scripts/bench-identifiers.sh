#!/usr/bin/env bash
# Identifier normalization + hashing benchmark (issue 3).
#
# Builds Benchmarks/IdentifierBench in release, runs it on one core over a
# realistic mix of inputs, runs the official facebook-business SDK's
# normalizer over the same inputs in the same run, and measures OpenSSL's raw
# SHA-256 ceiling for 32-byte inputs. Prints a markdown section for
# BENCHMARKS.md. Usage: scripts/bench-identifiers.sh [seconds] [build-dir-package]
#   build-dir-package: the package directory to build in (default: the repo).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_RUN="${1:-3}"
CPU_CORE="${BENCH_CPU:-0}"  # the core every measurement is pinned to
PACKAGE_DIR="${2:-$REPO}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
INPUTS="$WORK/inputs.tsv"

# Same venv and pinned SDK as scripts/gen-identifier-vectors.py.
PY="$REPO/.venv-vectors/bin/python"
[ -x "$PY" ] || python3 -m venv "$REPO/.venv-vectors"
"$PY" -c "import facebook_business" 2>/dev/null \
    || "$PY" -m pip install --quiet --disable-pip-version-check facebook-business==26.0.3

# 1. The realistic mix, written once, read by both implementations.
"$PY" - "$INPUTS" <<'PYEOF'
import random, sys
rng = random.Random(42)
first = ["john", "Mary", "Anne-Marie", "Jose", "Li", "Olga", "Peter", "Sarah", "Mohammed", "Emma", "José", "Zoë"]
last = ["Smith", "O'Brien", "Mueller", "Garcia", "Nguyen", "Johnson", "Rossi", "Kowalski", "Müller", "Brown"]
domains = ["gmail.com", "yahoo.com", "Example.com", "outlook.com", "shop.co.uk", "web.de", "icloud.com"]
rows = []
for i in range(20000):
    f, l = rng.choice(first), rng.choice(last)
    ascii_l = l.replace("ü", "ue").replace("'", "")
    k = i % 20
    if k < 7:
        rows.append(("email", " %s.%s%d@%s " % (f.replace("é", "e").replace("ë", "e"), ascii_l, i, rng.choice(domains)), ""))
    elif k < 10:
        rows.append(("phone", "+1 (%03d) 555-%04d" % (rng.randint(201, 989), rng.randint(0, 9999)), "US"))
    elif k < 12:
        rows.append(("phone", "0151 %08d" % rng.randint(10000000, 99999999), "DE"))
    elif k == 12:
        rows.append(("first_name", f, ""))
    elif k == 13:
        rows.append(("last_name", l, ""))
    elif k == 14:
        rows.append(("city", rng.choice(["San Francisco", "New York", "München", "St. Louis"]), ""))
    elif k == 15:
        rows.append(("state", rng.choice(["CA", "ny", "Texas"]), "US"))
    elif k == 16:
        rows.append(("postal_code", rng.choice(["94025-1234", "10115", "SW1A 1AA"]), rng.choice(["US", "DE", "GB"])))
    elif k == 17:
        rows.append(("country", rng.choice(["US", "de", "United Kingdom"]), ""))
    elif k == 18:
        rows.append(("external_id", "cust-%d" % i, ""))
    else:
        rows.append(("gender", rng.choice(["F", "m", "female"]), ""))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for field, value, region in rows:
        out.write("%s\t%s\t%s\n" % (field, value, region))
PYEOF

# 2. Swift, release, pinned to one core.
(cd "$PACKAGE_DIR" && swift build -c release --product IdentifierBench >/dev/null)
BIN="$PACKAGE_DIR/.build/release/IdentifierBench"
SWIFT_OUT="$(taskset -c "$CPU_CORE" "$BIN" "$INPUTS" "$SECONDS_PER_RUN")"
get() { echo "$SWIFT_OUT" | sed -n "s/^$1=//p"; }
SWIFT_RATE="$(get identifiers_per_second)"
SHA_RATE="$(get sha256_32b_per_second)"
SHA_HEX_RATE="$(get sha256_32b_hex_per_second)"

# 3. The official Meta SDK on the same inputs, same core.
SDK_RATE="$(taskset -c "$CPU_CORE" "$PY" - "$INPUTS" "$SECONDS_PER_RUN" <<'PYEOF'
import sys, time
from facebook_business.adobjects.serverside.normalize import Normalize
F = dict(email="em", phone="ph", first_name="fn", last_name="ln", city="ct", state="st",
         postal_code="zp", country="country", date_of_birth="db", gender="ge")
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    field, value, _ = line.rstrip("\n").split("\t")
    rows.append((F.get(field), value))
def run():
    for f, v in rows:
        try:
            if f is None:
                Normalize.hash_sha_256(v.strip())  # external_id: hashed trimmed, like the bridge
            else:
                Normalize.normalize_field(f, v)
        except Exception:
            pass
run()
n, start = 0, time.perf_counter()
while time.perf_counter() - start < float(sys.argv[2]):
    run()
    n += len(rows)
print(int(n / (time.perf_counter() - start)))
PYEOF
)"

# 4. OpenSSL's raw SHA-256 ceiling for 32-byte inputs, same core.
OPENSSL_RATE="$(taskset -c "$CPU_CORE" openssl speed -bytes 32 -seconds "$SECONDS_PER_RUN" sha256 2>/dev/null \
    | awk '/^sha256/ { v=$2; sub(/k$/, "", v); printf "%d\n", v * 1000 / 32 }')"

fmt() { echo "$1" | awk '{ s = $1; o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
DATE="$(date -u +%Y-%m-%d)"
SWIFT_VERSION="$(swift --version 2>/dev/null | head -1)"

cat <<MD
## Identifiers

Normalization + SHA-256 of customer identifiers (Meta rules), one thread pinned to
one core, release build, \`scripts/bench-identifiers.sh\`, $DATE.
Machine: $CPU, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $SWIFT_VERSION.
Inputs: $(wc -l < "$INPUTS") identifiers (35 % e-mail, 25 % phone in E.164 and German
national format, names, city, state, postal code, country, external id, gender;
some non-ASCII names), written to one file read by both implementations.

| measurement | per second (one core) |
|---|---:|
| capi-bridge: identifiers normalized + hashed | $(fmt "$SWIFT_RATE") |
| facebook-business $("$PY" -c 'from importlib.metadata import version; print(version("facebook-business"))') \`Normalize.normalize_field\` (same inputs) | $(fmt "$SDK_RATE") |
| raw SHA-256, 32-byte input, \`openssl speed -bytes 32 sha256\` | $(fmt "$OPENSSL_RATE") |
| raw SHA-256, 32-byte input, swift-crypto (no hex) | $(fmt "$SHA_RATE") |
| SHA-256 + lowercase hex, 32-byte input, \`IdentifierHasher\` | $(fmt "$SHA_HEX_RATE") |

| check | value | target |
|---|---:|---:|
| capi-bridge identifiers per second | $(fmt "$SWIFT_RATE") | ≥ 2,000,000 |
| capi-bridge / facebook-business SDK | $(ratio "$SWIFT_RATE" "$SDK_RATE") x | ≥ 10 x |
| capi-bridge / OpenSSL raw SHA-256 (32 B) | $(ratio "$SWIFT_RATE" "$OPENSSL_RATE") | ≥ 0.5 (issue assumed a 4,000,000 / s ceiling) |
| capi-bridge / swift-crypto SHA-256 + hex (32 B) | $(ratio "$SWIFT_RATE" "$SHA_HEX_RATE") | (the floor every hashed identifier pays) |

The SDK does less work: it infers no country code, reformats no dates and maps no
names to codes; the bridge parses phones with libphonenumber metadata.
MD
