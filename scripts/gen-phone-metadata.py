#!/usr/bin/env python3
"""Generates Sources/BridgeCore/Identity/PhoneMetadata.swift from the
Python `phonenumbers` package (libphonenumber's metadata).

For every region (and every non-geographic calling code) it emits one line:

    REGION CC IDD NP NPFP TRANSFORM LENGTHS LOCAL_ONLY

- REGION      ISO 3166-1 alpha-2, or 001 for a non-geographic calling code;
              the first line of a calling code is its main region.
- CC          country calling code.
- IDD         international (exit) prefixes, the pattern expanded to the
              comma-separated list of literal digit strings it matches, `-` if none.
- NP          national (trunk) prefix, `-` if none.
- NPFP        national prefix for parsing: `-` if none, `=` if it equals NP,
              `L:` and the literal alternatives (longest one wins) when the
              regex is a finite set of literals without a transform, otherwise `R:` and the
              regex (ICU syntax, no spaces), matched at the start.
- TRANSFORM   national prefix transform rule with `$1`-style references, `-` if none.
- LENGTHS     possible national significant number lengths (general description).
- LOCAL_ONLY  lengths only dialable locally (not E.164-complete), `-` if none.

The table is one string literal parsed lazily at first use, so the compiler
never type-checks thousands of literals. Run: python3 scripts/gen-phone-metadata.py
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _identifier_venv  # noqa: E402

_identifier_venv.ensure()

import phonenumbers  # noqa: E402
from phonenumbers.phonemetadata import PhoneMetadata  # noqa: E402

try:
    import re._parser as sre_parse  # Python 3.11+
    import re._constants as sre_c
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as sre_c

OUT = os.path.join(_identifier_venv.REPO, "Sources", "BridgeCore", "Identity", "PhoneMetadata.swift")


def expand(pattern):
    """All literal strings a finite IDD regex matches (raises if unbounded)."""

    def seq(items):
        results = [""]
        for op, av in items:
            alts = node(op, av)
            results = [a + b for a in results for b in alts]
            if len(results) > 5000:
                raise ValueError("pattern too large: " + pattern)
        return results

    def node(op, av):
        if op is sre_c.LITERAL:
            return [chr(av)]
        if op is sre_c.IN:
            chars = []
            for iop, iav in av:
                if iop is sre_c.LITERAL:
                    chars.append(chr(iav))
                elif iop is sre_c.RANGE:
                    chars.extend(chr(c) for c in range(iav[0], iav[1] + 1))
                elif iop is sre_c.CATEGORY and iav is sre_c.CATEGORY_DIGIT:
                    chars.extend("0123456789")
                else:
                    raise ValueError("unsupported class in " + pattern)
            return chars
        if op is sre_c.CATEGORY and av is sre_c.CATEGORY_DIGIT:
            return list("0123456789")
        if op is sre_c.BRANCH:
            out = []
            for branch in av[1]:
                out.extend(seq(branch))
            return out
        if op is sre_c.SUBPATTERN:
            return seq(av[-1])
        if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            lo, hi, sub = av
            if hi is sre_c.MAXREPEAT or hi > 20:
                raise ValueError("unbounded repeat in " + pattern)
            body = seq(sub)
            out = []
            for n in range(lo, hi + 1):
                parts = [""]
                for _ in range(n):
                    parts = [a + b for a in parts for b in body]
                out.extend(parts)
            return out
        raise ValueError("unsupported op %s in %s" % (op, pattern))

    return sorted(set(seq(sre_parse.parse(pattern))), key=lambda s: (len(s), s))


def python_rule_to_swift(rule):
    return re.sub(r"\\(\d)", r"$\1", rule)


def line(region, m):
    idd = ",".join(expand(m.international_prefix)) if m.international_prefix else "-"
    np = m.national_prefix or "-"
    npfp = m.national_prefix_for_parsing
    if not npfp:
        npfp_field = "-"
    elif npfp == m.national_prefix:
        npfp_field = "="
    else:
        npfp_field = "R:" + npfp
        if not m.national_prefix_transform_rule:
            try:
                literals = expand(npfp)
            except ValueError:
                literals = None
            # The Swift side takes the longest literal that prefixes the
            # number; that equals the regex only if the regex, run on each
            # literal, consumes all of it (greedy optional groups do).
            if literals and "" not in literals and all(
                (re.match(npfp, lit) or re.match("(?!)", "")) and re.match(npfp, lit).end() == len(lit)
                for lit in literals
            ):
                npfp_field = "L:" + ",".join(literals)
    transform = python_rule_to_swift(m.national_prefix_transform_rule) if m.national_prefix_transform_rule else "-"
    lengths = ",".join(str(n) for n in m.general_desc.possible_length if n > 0) or "-"
    local = ",".join(str(n) for n in m.general_desc.possible_length_local_only if n > 0) or "-"
    for field in (idd, np, npfp_field, transform, lengths, local):
        assert " " not in field and "#" not in field, (region, field)
    return " ".join([region, str(m.country_code), idd, np, npfp_field, transform, lengths, local])


def main():
    lines = []
    for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[cc]:
            if region == "001":
                m = PhoneMetadata.metadata_for_nongeo_region(cc)
            else:
                m = PhoneMetadata.metadata_for_region(region)
            if m is None:
                continue
            lines.append(line(region, m))
    version = phonenumbers.__version__
    body = "\n".join("        " + l for l in lines)
    swift = f'''// Generated by scripts/gen-phone-metadata.py from the Python package
// phonenumbers {version} (libphonenumber metadata). Do not edit by hand;
// re-run the script to update. Format: see the script's docstring.

/// libphonenumber's numbering plans as one compact string: one line per
/// region, main region first for each calling code. `PhoneNumberingPlan`
/// parses it once, lazily, at first use.
enum PhoneMetadata {{
    /// The `phonenumbers` release the table was generated from.
    static let version = "{version}"

    /// The raw table (format: see scripts/gen-phone-metadata.py).
    static let table = #"""
{body}
        """#
}}
'''
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(swift)
    print("wrote %s (%d regions, phonenumbers %s)" % (OUT, len(lines), version))


if __name__ == "__main__":
    main()
