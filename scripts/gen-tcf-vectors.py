#!/usr/bin/env python3
"""Generate TCF v2 TC string test vectors for the Swift decoder.

Writes fixtures/consent/tcf-vectors.json:

- "vectors": TC strings with every field as decoded by the PyPI package
  `iab-tcf` (pinned below). Strings come from three places: the IAB's
  published examples (TCF spec, GPP spec), the test strings of the iab-tcf
  project, and strings this script builds with its own bit writer (bit-field
  and range vendor sections, many vendors, service-specific, publisher
  restrictions, disclosed/allowed vendor and publisher TC segments).
  `iab-tcf` only decodes, so for built strings the script also checks that
  the library's decoding equals the model the string was built from.
- "malformed": strings that must fail, with the expected error kind.
  `iab-tcf` reads past the end of a string without complaint, so these
  expectations come from this script's own model, not from the library.

Usage: python3 scripts/gen-tcf-vectors.py
It creates .venv-tcf/ (git-ignored) with the pinned package on first run and
re-runs itself inside it.
"""

import base64
import calendar
import json
import os
import random
import subprocess
import sys
from pathlib import Path

IAB_TCF_VERSION = "0.2.2"
BITARRAY_VERSION = "2.3.8"  # bitarray-hardbyte, iab-tcf's only dependency

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-tcf"
OUTPUT = ROOT / "fixtures" / "consent" / "tcf-vectors.json"


def ensure_venv():
    """Re-executes this script inside .venv-tcf, creating it when needed."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet",
             f"iab-tcf=={IAB_TCF_VERSION}", f"bitarray-hardbyte=={BITARRAY_VERSION}"],
            check=True,
        )
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


# ---------------------------------------------------------------------------
# A minimal TC string encoder (TCF v2 "Consent string and vendor list formats")


class BitWriter:
    def __init__(self):
        self.bits = []

    def int(self, value, width):
        assert 0 <= value < (1 << width), (value, width)
        self.bits.extend((value >> (width - 1 - i)) & 1 for i in range(width))

    def bool(self, value):
        self.int(1 if value else 0, 1)

    def bitset(self, ids, width):
        self.bits.extend(1 if i + 1 in ids else 0 for i in range(width))

    def letters(self, text):
        for ch in text:
            self.int(ord(ch.upper()) - ord("A"), 6)

    def ranges(self, ranges):
        self.int(len(ranges), 12)
        for start, end in ranges:
            self.bool(start != end)
            self.int(start, 16)
            if start != end:
                self.int(end, 16)

    def vendor_section(self, section):
        ids, use_range = section["ids"], section["range"]
        max_id = section.get("max", max(ids) if ids else 0)
        self.int(max_id, 16)
        self.bool(use_range)
        if use_range:
            self.ranges(section.get("ranges") or to_ranges(ids))
        else:
            self.bitset(set(ids), max_id)

    def encode(self):
        """Pads to a whole byte, then Base64 URL without padding (as CMPs do)."""
        bits = self.bits + [0] * (-len(self.bits) % 8)
        data = bytes(int("".join(map(str, bits[i:i + 8])), 2) for i in range(0, len(bits), 8))
        return base64.urlsafe_b64encode(data).decode().rstrip("=")


def to_ranges(ids):
    ranges = []
    for i in sorted(set(ids)):
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return [tuple(r) for r in ranges]


def encode_core(m):
    w = BitWriter()
    w.int(m.get("version", 2), 6)
    w.int(m["created"], 36)
    w.int(m["lastUpdated"], 36)
    w.int(m["cmpId"], 12)
    w.int(m["cmpVersion"], 12)
    w.int(m["consentScreen"], 6)
    w.letters(m["consentLanguage"])
    w.int(m["vendorListVersion"], 12)
    w.int(m["policyVersion"], 6)
    w.bool(m["isServiceSpecific"])
    w.bool(m["useNonStandardTexts"])
    w.bitset(set(m["specialFeatureOptIns"]), 12)
    w.bitset(set(m["purposeConsents"]), 24)
    w.bitset(set(m["purposeLegitimateInterests"]), 24)
    w.bool(m["purposeOneTreatment"])
    w.letters(m["publisherCountryCode"])
    w.vendor_section(m["vendorConsents"])
    w.vendor_section(m["vendorLegitimateInterests"])
    w.int(len(m["publisherRestrictions"]), 12)
    for r in m["publisherRestrictions"]:
        w.int(r["purposeId"], 6)
        w.int(r["restrictionType"], 2)
        w.ranges(r["ranges"])
    return w


def encode(m):
    parts = [encode_core(m).encode()]
    for segment in m.get("segments", []):
        w = BitWriter()
        w.int(segment["type"], 3)
        if segment["type"] in (1, 2):
            w.vendor_section(segment["vendors"])
        else:
            w.bitset(set(segment["purposeConsents"]), 24)
            w.bitset(set(segment["purposeLegitimateInterests"]), 24)
            w.int(segment["numCustomPurposes"], 6)
            w.bitset(set(segment["customPurposeConsents"]), segment["numCustomPurposes"])
            w.bitset(set(segment["customPurposeLegitimateInterests"]), segment["numCustomPurposes"])
        parts.append(w.encode())
    return ".".join(parts)


DAY = 864000  # deciseconds


def model(**overrides):
    m = {
        "created": 16_900_000_000 // DAY * DAY,  # 2023-07-19, day-rounded as TCF 2.2 asks
        "lastUpdated": 16_900_000_000 // DAY * DAY,
        "cmpId": 300, "cmpVersion": 2, "consentScreen": 1, "consentLanguage": "EN",
        "vendorListVersion": 150, "policyVersion": 4,
        "isServiceSpecific": True, "useNonStandardTexts": False,
        "specialFeatureOptIns": [], "purposeConsents": [1, 2, 3, 4, 7, 9, 10],
        "purposeLegitimateInterests": [2, 7, 9, 10], "purposeOneTreatment": False,
        "publisherCountryCode": "DE",
        "vendorConsents": {"ids": [1, 2, 755], "range": False},
        "vendorLegitimateInterests": {"ids": [2, 755], "range": False},
        "publisherRestrictions": [],
    }
    m.update(overrides)
    return m


def generated_models():
    rng = random.Random(20_260_314)
    many = sorted(rng.sample(range(1, 1300), 400)) + [755]
    return [
        ("generated: bit-field vendor sections", model()),
        ("generated: range-encoded vendor consents", model(
            vendorConsents={"ids": [], "range": True, "max": 1000,
                            "ranges": [(1, 1), (10, 20), (755, 755), (900, 1000)]},
        )),
        ("generated: both vendor sections range-encoded", model(
            vendorConsents={"ids": [], "range": True, "max": 2000, "ranges": [(1, 2000)]},
            vendorLegitimateInterests={"ids": [], "range": True, "max": 1500,
                                       "ranges": [(5, 5), (100, 199), (1500, 1500)]},
        )),
        ("generated: many vendors in a bit field", model(
            vendorConsents={"ids": many, "range": False},
            vendorLegitimateInterests={"ids": many[::3], "range": False},
        )),
        ("generated: many vendors range-encoded", model(
            vendorConsents={"ids": many, "range": True},
            vendorLegitimateInterests={"ids": many[::5], "range": True},
        )),
        ("generated: service-specific flags, non-standard texts, purpose one treatment", model(
            isServiceSpecific=False, useNonStandardTexts=True, purposeOneTreatment=True,
            publisherCountryCode="FR", consentLanguage="FR", specialFeatureOptIns=[1, 2],
            purposeConsents=[2, 3, 4, 7], cmpId=4095, cmpVersion=4095, consentScreen=63,
            vendorListVersion=4095, policyVersion=63,
            created=68_719_476_735, lastUpdated=17_000_000_000,
        )),
        ("generated: publisher restrictions", model(
            publisherRestrictions=[
                {"purposeId": 1, "restrictionType": 0, "ranges": [(755, 755)]},
                {"purposeId": 3, "restrictionType": 1, "ranges": [(1, 10), (20, 20)]},
                {"purposeId": 7, "restrictionType": 2, "ranges": [(2, 2), (700, 800)]},
                {"purposeId": 10, "restrictionType": 3, "ranges": []},
            ],
        )),
        ("generated: everything denied", model(
            purposeConsents=[], purposeLegitimateInterests=[],
            vendorConsents={"ids": [], "range": False},
            vendorLegitimateInterests={"ids": [], "range": False},
        )),
        ("generated: Google granted, personalization purposes denied", model(
            purposeConsents=[1, 7], purposeLegitimateInterests=[],
            vendorConsents={"ids": [755], "range": False},
            vendorLegitimateInterests={"ids": [], "range": False},
        )),
        ("generated: purposes granted, Google vendor denied", model(
            purposeConsents=[1, 2, 3, 4, 7],
            vendorConsents={"ids": [1, 2, 754, 756], "range": False},
        )),
        ("generated: measurement by legitimate interest", model(
            purposeConsents=[1], purposeLegitimateInterests=[7],
            vendorConsents={"ids": [755], "range": False},
            vendorLegitimateInterests={"ids": [755], "range": True},
        )),
        ("generated: disclosed vendors and publisher TC segments", model(
            segments=[
                {"type": 1, "vendors": {"ids": [1, 2, 755, 1000], "range": True}},
                {"type": 3, "purposeConsents": [1, 2], "purposeLegitimateInterests": [7],
                 "numCustomPurposes": 3, "customPurposeConsents": [1, 3],
                 "customPurposeLegitimateInterests": [2]},
            ],
        )),
        ("generated: allowed vendors segment (bit field)", model(
            segments=[{"type": 2, "vendors": {"ids": [3, 5, 8], "range": False}}],
        )),
    ]


PUBLISHED = [
    ("IAB TCF spec: URL macro example", "iab-tcf-spec",
     "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA"),
    ("IAB TCF spec: core, disclosed vendors, publisher TC", "iab-tcf-spec",
     "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA"),
    ("IAB GPP spec: tcfeuv2 section example", "iab-gpp-spec",
     "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"),
    ("iab-tcf tests: consent_a (publisher restrictions)", "iab-tcf-tests",
     "CG6MJgNIvJb0TAUAEBENAzCMAFvAAG7AAAJYGUlUcVlfByPiu55Ad8JQeAgftrYDE6QzDgEJs8wJQB9WxJwQpEMgKBX4BoIIiRYEsnLAAAYkHAFcDQAAQIkVqSCsYkyMCyFCJJJEghIKM2ZYGG0OkcVQIRAY4wMsHeYAA2OrevzrigZOQCYQFYAAkJQwEg0KRQIgQADAgUA4AIKEYUiSQ0JHBDMjAINAAAAEBiAhAgAAgCgBgAAAgAASEBACACAgEAAAAgABACNAQgAAkAQSAEAQBAAKgIEgBEEEoAgBgMBACgAARIpFBIIDQgAWAAEAAwAPgArAB3AH4AToA8QCEgEtAKSCgBwABABSAFwAXYAzAB_QFTBAEIACAAFAAcAA8AC0AGQAOwApgBzAD0AIaASoBLACaAGGAMgAewA-AB9gEIAI0AVAA4AB8gEVAI7ATEAmUBSIC2AF5AL-AYMAwggAJAAWAEEAWIBnADqAK-AW0AuABk4cAUAA4AEQAJwAkgDnAL8AtEBcQDIgGSBgB4AEgAngCJAHkARgAkwBKwCvAG8AOOAeoBJYCbAFigLoJQCAAKACIAI4AWkAxQBuAEXgJECQAwAKgKwAYeUAIAAXAAyACoALgAiwBJgCjAFKAVsBJACmwFbALkAXcAxkBkBSAKACAAGgA0gChgLtHAEAAUQBGAEcALAAmABsgDvAJaAdMBQgChwFLgKsAWyAxIBjEDHAMdGAAQAWEgBYAMQAhABMACgAG0ApoBZwFUgLxAXmAx4dAPAB5AEMARAAqgCEAFIANEAcQA_QCUgFiALyAYQA2gC7wGGlQAIATSYAIAKgCmRIAYALYAYgA3gFZANQAusWACADMAjoUAEADwAMoAfIBaBUAEARw0AIAJkAaoA4AEgjwBgArQBZQDjAOQAdYA8QDbAHtASiAq8BYgCyQF2BoA4AywBqAFLAKuAawBDYCdiEAUAb4BAwC5gHoAU0RADgEuAJwAV-A_YD-AIiAS8AvYRACAYEAwkA.IGVtd_X9fb2vj-_599_t0eY1f9_63t-wzjheNs-8NyZ_X_J4Xv2MyvB34pqYKmR4kunbBAQdtHGncTQgBwIlVqTLsYk2MjzNKJ7JEmlsbe2dYGH9Pn8XT_ZKZ70-v___7v3______7oA"),
    ("iab-tcf tests: consent_b (bit fields, 750 vendors)", "iab-tcf-tests",
     "COxR03kOxR1CqBcABCENAgCMAP_AAH_AAAqIF3EXySoGY2thI2YVFxBEIYwfJxyigMgChgQIsSwNQIeFLBoGLiAAHBGYJAQAGBAEEACBAQIkHGBMCQAAgAgBiRCMQEGMCzNIBIBAggEbY0FACCVmHkHSmZCY7064O__QLuIJEFQMAkSBAIACLECIQwAQDiAAAYAlAAABAhIaAAgIWBQEeAAAACAwAAgAAABBAAACAAQAAICIAAABAAAgAiAQAAAAGgIQAACBABACRIAAAEANCAAgiCEAQg4EAo4AAA"),
    ("iab-tcf tests: consent_c (service-specific, restrictions, publisher TC)", "iab-tcf-tests",
     "CFH3rDSF96yuwAfAICENAzCsAM_AADwAAARQGVgcRTdfaWJiM_5g58s0OQlfceCVF8whjgaJAg0NiB-VYJYRjyEyJB1whiYKGRIEKkBBAQQhDEBMDQgAwIkQKQKsQk2EAhNKIzJAgEETMicYCGlPj4VSORAYJg-sbkfTuz8_qz5m6oGUAEkChZCQIAUAAJcOgEKIEIVQAgAEAiChEFowsECRwExIYCAEASIBAYAAAAiA4AohQAAAIAAEkURAgAwIEEIBCoAAQACAEIACBAgFgAIGAQACgHB4AQTBKRIQQGBQcogQESBAZSTAbKgBAAAgAnADwAV8IAQAAEAAoAEAAPAAjgBTAEQALgAfYBSwExAKwAWIAu8BeQDBhwBcAAwAGYAWABbADEAMgAjABVAD0AIQARYAkwBLADZAG-APIArIBYgDMAG4AR0AkQBQgClwFskoAYACABpAD8JADgAFgAogCYAJoAUAApABtAFGAOMAnQBTQC0AJeAXcAvEOAIAAcAFsAOYA-QCTAEuAOOApIQAPAAkAEIAJIAdwBSADnAHWASsA1AB6gEJAIvAUOAugBjwYAcABQAFQAXABxAE4AK8AawA-QCGwEtAKRAWKAuIBdY6AgABUADgAPgAsACYAE0AKUAaIA7wB-gGEAOmAnYBTYCrAGEiQA4AFwAiABPADeAeIBiQDJAkAkADwAwwB7AD4AI0AegBFQCZQGGkIAwAIgBHAEDAIwAUMBTRQAQADQAMwAsQBqgEpANoAlEBkAUASADsASoBCACoAKmAVeAv4BhADGSAAkAIIAYgBZAGKAM4AdQA_gCbAFtFIA4AQwCOAFzALyArYBcAC7SYAYAKgBZwDbAKpAWwAvYRAGACsAIYAZAA1AGBAMnDQAwBEgLkAYwKACACZAGWAWkAuw0AEAK0AcAwAIAMoAvwCQQFoiwAYA5ACWgH7HgBwB4gHAAPaAf0BJACS4GOAY6KgBAFXAYeMgCAFbAN4AvMBkREAMAiIBHYCmQFfALJAXYA.f3gAH7AAAAAA"),
    ("iab-tcf tests: consent_d (disclosed-vendor segment)", "iab-tcf-tests",
     "CPIKj1vPPdzL-ACAnAFRBACsAP_AAH_AAAqIHFNf_X_fb3_j-_59_9t0eY1f9_7_v20zjgeds-8Nyd_X_L8X4mM7vB36pq4KuR4Eu3LBAQdlHOHcTUmw6IkVqTPsbk2Mr7NKJ7PEinMbe2dYGH9_n9XTuZKY79_s_z-v7_f_r-3_3_vp9V---wOJAJMNS-AizEscCSaNKoUQIQriQ6AEAFFCMLRNYQErgp2VwEfoIGACA1ARgRAgxBRiyCAAAAAJKIgJADwQCIAiAQAAgBUgIQAEaAILACQMAgAFANCwAigCECQgyOCo5TAgIkWignkrAEou9jDCEMooAaBAAAAA.YAAAAAAAAAAA"),
]


# ---------------------------------------------------------------------------
# Decoding with iab-tcf


def true_ids(mapping):
    return sorted(k for k, v in mapping.items() if v)


def expand(ranges):
    return sorted({i for start, end in ranges for i in range(start, end + 1)})


def seconds(dt):
    return calendar.timegm(dt.utctimetuple())


def decode_with_library(tc_string):
    """Every field as iab-tcf decodes it, or None when the library read past the end."""
    from iab_tcf import decode_v2

    c = decode_v2(tc_string)
    if c._reader._pointer > len(c._reader._consent):
        return None
    consent_ids = (expand(c.consented_vendors_range) if c.is_consent_range_encoding
                   else true_ids(c.consented_vendors))
    interest_ids = (expand(c.interests_vendors_range) if c.is_interests_range_encoding
                    else true_ids(c.interests_vendors))
    publisher_tc = getattr(c, "publisher_tc", None)
    disclosed = getattr(c, "oob_disclosed_vendors", None)
    allowed = getattr(c, "oob_allowed_vendors", None)
    return {
        "version": c.version,
        "createdSeconds": seconds(c.created),
        "lastUpdatedSeconds": seconds(c.last_updated),
        "cmpId": c.cmp_id,
        "cmpVersion": c.cmp_version,
        "consentScreen": c.consent_screen,
        "consentLanguage": c.consent_language.decode(),
        "vendorListVersion": c.vendor_list_version,
        "policyVersion": c.tcf_policy_version,
        "isServiceSpecific": c.is_service_specific,
        "useNonStandardTexts": c.use_non_standard_stacks,
        "specialFeatureOptIns": true_ids(c.special_features_optin),
        "purposeConsents": true_ids(c.purposes_consent),
        "purposeLegitimateInterests": true_ids(c.purposes_legitimate_interests),
        "purposeOneTreatment": c.purpose_one_treatment,
        "publisherCountryCode": c.publisher_cc.decode(),
        "vendorConsents": {"maxVendorId": c.max_consent_vendor_id,
                           "isRangeEncoding": c.is_consent_range_encoding, "ids": consent_ids},
        "vendorLegitimateInterests": {"maxVendorId": c.max_interests_vendor_id,
                                      "isRangeEncoding": c.is_interests_range_encoding,
                                      "ids": interest_ids},
        "publisherRestrictions": [
            {"purposeId": r.purpose_id, "restrictionType": r.restriction_type,
             "vendorIds": expand(r.restrictions_range)}
            for r in c.pub_restriction_entries
        ],
        "disclosedVendors": true_ids(disclosed) if disclosed is not None else None,
        "allowedVendors": true_ids(allowed) if allowed is not None else None,
        "publisherTC": None if publisher_tc is None else {
            "purposeConsents": true_ids(publisher_tc.purposes_consent),
            "purposeLegitimateInterests": true_ids(publisher_tc.purposes_lit_transparency),
            "numCustomPurposes": len(publisher_tc.custom_purposes_consent),
            "customPurposeConsents": true_ids(publisher_tc.custom_purposes_consent),
            "customPurposeLegitimateInterests": true_ids(publisher_tc.custom_purposes_lit_transparency),
        },
    }


def check_against_model(name, m, decoded):
    """The library must decode a built string back to the model it was built from."""
    def section(s):
        return expand(s["ranges"]) if s.get("ranges") else sorted(set(s["ids"]))
    expected = {
        "createdSeconds": m["created"] // 10, "lastUpdatedSeconds": m["lastUpdated"] // 10,
        "cmpId": m["cmpId"], "purposeConsents": sorted(m["purposeConsents"]),
        "purposeLegitimateInterests": sorted(m["purposeLegitimateInterests"]),
        "isServiceSpecific": m["isServiceSpecific"], "purposeOneTreatment": m["purposeOneTreatment"],
        "publisherCountryCode": m["publisherCountryCode"],
    }
    for key, value in expected.items():
        assert decoded[key] == value, (name, key, decoded[key], value)
    assert decoded["vendorConsents"]["ids"] == section(m["vendorConsents"]), name
    assert decoded["vendorLegitimateInterests"]["ids"] == section(m["vendorLegitimateInterests"]), name
    assert len(decoded["publisherRestrictions"]) == len(m["publisherRestrictions"]), name


# ---------------------------------------------------------------------------
# Malformed strings (expectations from this script's model)


def malformed_vectors(overread):
    """`overread`: published strings iab-tcf read past the end of. The library does not
    validate ranges, so a stricter decoder may stop earlier with another error: "malformed"
    accepts any decoding error."""
    out = [{"name": f"{name} (iab-tcf reads past its end)", "tcString": tc, "error": "malformed"}
           for name, tc in overread]
    base = encode_core(model())
    meaningful = len(base.bits)
    text = base.encode()
    for chars in (0, 1, 4, 10, 20, 30, meaningful // 6 - 2):
        if chars == 0:
            out.append({"name": "empty string", "tcString": "", "error": "empty"})
            continue
        out.append({"name": f"core truncated to {chars} characters", "tcString": text[:chars],
                    "error": "truncated"})
    v1 = model(version=1)
    out.append({"name": "TCF v1.1 version", "tcString": encode_core(v1).encode(), "error": "unsupportedVersion"})
    v3 = model(version=3)
    out.append({"name": "version 3", "tcString": encode_core(v3).encode(), "error": "unsupportedVersion"})
    bad_range = model(vendorConsents={"ids": [], "range": True, "max": 100, "ranges": [(50, 10)]})
    out.append({"name": "range end before start", "tcString": encode_core(bad_range).encode(),
                "error": "rangeEndBeforeStart"})
    out.append({"name": "character outside Base64 URL", "tcString": text[:10] + "*" + text[11:],
                "error": "invalidCharacter"})
    out.append({"name": "empty optional segment", "tcString": text + "..YAAAAAAAAAAA",
                "error": "emptySegment"})
    out.append({"name": "trailing dot", "tcString": text + ".", "error": "emptySegment"})
    out.append({"name": "core segment type in optional position", "tcString": text + ".AAAA",
                "error": "unexpectedSegmentType"})
    letters = encode_core(model()).bits
    # ConsentLanguage starts at bit 6+36+36+12+12+6 = 108; write 63 (not a letter).
    bad_letters = BitWriter()
    bad_letters.bits = letters[:108] + [1] * 6 + letters[114:]
    out.append({"name": "language letter out of range", "tcString": bad_letters.encode(),
                "error": "invalidLetter"})
    return out


def main():
    ensure_venv()
    vectors = []
    overread = []
    for name, source, tc in PUBLISHED:
        decoded = decode_with_library(tc)
        if decoded is None:
            overread.append((name, tc))
            continue
        vectors.append({"name": name, "source": source, "tcString": tc, "expected": decoded})
    for name, m in generated_models():
        tc = encode(m)
        decoded = decode_with_library(tc)
        assert decoded is not None, name
        check_against_model(name, m, decoded)
        vectors.append({"name": name, "source": "generated", "tcString": tc, "expected": decoded})
    document = {
        "generator": "scripts/gen-tcf-vectors.py",
        "library": f"iab-tcf {IAB_TCF_VERSION}",
        "notes": ("expected fields are iab-tcf's decoding; createdSeconds/lastUpdatedSeconds are "
                  "whole seconds (the string holds deciseconds); vendor id lists are expanded "
                  "from bit fields or ranges; malformed expectations come from the script's own model"),
        "vectors": vectors,
        "malformed": malformed_vectors(overread),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n")
    print(f"wrote {len(vectors)} vectors and {len(document['malformed'])} malformed strings to "
          f"{OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
