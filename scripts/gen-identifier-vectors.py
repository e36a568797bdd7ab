#!/usr/bin/env python3
"""Generates fixtures/identifiers/sdk-vectors.json: conformance vectors for
capi-bridge's identifier normalization and hashing.

For every tricky input below and every platform that takes the field, it
records what the platform's official Python SDK produces (normalized value
and hash, or the error it raised) and what capi-bridge must produce (the
platform docs' rules, computed by scripts/identifier_reference.py with the
real libphonenumber for phones). When the two differ, `deviation` says why.
Platforms without a Python normalizer (TikTok, Pinterest, LinkedIn, Reddit)
get `sdk: null` and `expected_source: "platform-doc"`.

Run: python3 scripts/gen-identifier-vectors.py   (creates .venv-vectors/)
"""
import hashlib
import json
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _identifier_venv  # noqa: E402

_identifier_venv.ensure()

from importlib.metadata import version  # noqa: E402

import identifier_reference as ref  # noqa: E402
from facebook_business.adobjects.serverside.normalize import Normalize  # noqa: E402
from google.ads.datamanager_util.format import Formatter  # noqa: E402
from snap_business_sdk import capi_utils as snap  # noqa: E402

OUT = os.path.join(_identifier_venv.REPO, "fixtures", "identifiers", "sdk-vectors.json")
PHONE_OUT = os.path.join(_identifier_venv.REPO, "fixtures", "identifiers", "phone-examples.json")
PLATFORMS = ["meta", "google", "tiktok", "snapchat", "pinterest", "linkedin", "reddit", "ga4"]
D = unicodedata.normalize("NFD", "Valéry")  # decomposed é

# (category, field, input, region)
INPUTS = [
    # e-mail
    ("case", "email", "John_Smith@gmail.com", None),
    ("whitespace", "email", "  John.Doe+tag@GMail.com ", None),
    ("plus-tag", "email", "john.doe+tag@example.com", None),
    ("gmail-dots", "email", "J.o.h.n@googlemail.com", None),
    ("gmail-dots", "email", "cloudy.sanfrancisco+shopping@gmail.com", None),
    ("case", "email", "user.name+NYC@Example.com", None),
    ("case", "email", "Person@Example.com", None),
    ("whitespace", "email", " ALICE_abc@gmail.com ", None),
    ("reddit", "email", "Al.ice$+Apple@Example.Com", None),
    ("reddit", "email", "alice@example.com", None),
    ("whitespace", "email", "\tjane.doe@example.org\n", None),
    ("whitespace", "email", "jane doe@example.org", None),
    ("whitespace", "email", "jane.doe@example.org\u00a0", None),
    ("unicode", "email", "Ünïcödé@Exämple.com", None),
    ("unicode", "email", "josé.garcía@correo.es", None),
    ("unicode", "email", "\u200bhidden@example.com", None),
    ("invalid", "email", "not-an-email", None),
    ("invalid", "email", "john@localhost", None),
    ("invalid", "email", "john@@example.com", None),
    ("invalid", "email", "@example.com", None),
    ("invalid", "email", "\"John Doe\" <john@example.com>", None),
    ("invalid", "email", "+@gmail.com", None),
    ("empty", "email", "   ", None),
    ("empty", "email", "", None),
    ("pre-hashed", "email", "62A14E44F765419D10FEA99367361A727C12365E2520F32218D505ED9AA0F62F", None),
    ("pre-hashed", "email", " 62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f ", None),
    ("md5", "email", "5d41402abc4b2a76b9719d911017c592", None),
    ("case", "email", "MIXED.Case+Tag@Sub.Domain.CO.UK", None),
    # phone
    ("international", "phone", "+1 (650) 555-1234", None),
    ("international", "phone", "+1 (650) 555-1234", "DE"),
    ("national", "phone", "(650) 555-1234", "US"),
    ("national", "phone", "(650) 555-1234", "us"),
    ("national", "phone", "650.555.1234", "United States"),
    ("national", "phone", "(650) 555-1234", None),
    ("national", "phone", "(650)555-1212", "US"),
    ("international", "phone", "+1.650.555.1234", None),
    ("00-prefix", "phone", "001 650 555 1234", None),
    ("00-prefix", "phone", "001 650 555 1234", "US"),
    ("00-prefix", "phone", "0049 151 23456789", "DE"),
    ("00-prefix", "phone", "0044 20 7946 0958", "FR"),
    ("011-prefix", "phone", "011 44 20 7946 0958", "US"),
    ("trunk", "phone", "+44 020 7946 0958", None),
    ("trunk", "phone", "+44 (0) 20 7946 0958", None),
    ("national", "phone", "020 7946 0958", "GB"),
    ("national", "phone", "07700 900123", "GB"),
    ("national", "phone", "+44 844 412 4653", None),
    ("national", "phone", "0151 2345 6789", "DE"),
    ("national", "phone", "030 123456", "DE"),
    ("national", "phone", "06 12 34 56 78", "FR"),
    ("national", "phone", "06 12 34 56 78", None),
    ("national", "phone", "06 1234 5678", "IT"),
    ("national", "phone", "+39 06 1234 5678", None),
    ("national", "phone", "0412 345 678", "AU"),
    ("national", "phone", "(02) 9876 5432", "AU"),
    ("national", "phone", "(416) 555-0123", "CA"),
    ("national", "phone", "1-416-555-0123", "CA"),
    ("national", "phone", "090-1234-5678", "JP"),
    ("national", "phone", "010-1234-5678", "KR"),
    ("national", "phone", "8 (912) 345-67-89", "RU"),
    ("national", "phone", "98765 43210", "IN"),
    ("national", "phone", "(11) 91234-5678", "BR"),
    ("national", "phone", "011 15-2345-6789", "AR"),
    ("national", "phone", "55 1234 5678", "MX"),
    ("national", "phone", "2345678", "BB"),
    ("national", "phone", "0612345678", "NL"),
    ("no-plus", "phone", "16505551234", "US"),
    ("no-plus", "phone", "4915123456789", "DE"),
    ("no-plus", "phone", "442079460958", "GB"),
    ("tiktok", "phone", "(+1)2133734253", None),
    ("extension", "phone", "+1 650 555 1234 ext. 567", None),
    ("extension", "phone", "(650) 555-1234 x12", "US"),
    ("extension", "phone", "+49 30 123456#99", None),
    ("text", "phone", "Tel: +49 30 123456", None),
    ("unicode", "phone", "+４９ ３０ １２３４５６", None),
    ("invalid", "phone", "12345", "US"),
    ("invalid", "phone", "+999 123 4567", None),
    ("invalid", "phone", "+1 650 555 12345 67", None),
    ("invalid", "phone", "call me maybe", None),
    ("invalid", "phone", "1-800-FLOWERS", "US"),
    ("invalid", "phone", "555-1234", "US"),
    ("empty", "phone", " ", "US"),
    ("pre-hashed", "phone", "6069D14BF122FDFD931DC7BEB58E5DFBBA395B1FAF05BDCD42D12358D63D8599", None),
    ("published", "phone", "+12133734253", None),
    ("published", "phone", "16505551212", "US"),
    # first / last name
    ("case", "first_name", "Mary", None),
    ("whitespace", "first_name", "  Mary-Ann ", None),
    ("punctuation", "last_name", "O'Brien", None),
    ("punctuation", "last_name", "Smith-Jones", None),
    ("titles", "first_name", "Mrs. Jane", None),
    ("titles", "first_name", "Dr John", None),
    ("titles", "last_name", "Smith Jr.", None),
    ("titles", "last_name", "King III", None),
    ("titles", "first_name", "Mr", None),
    ("whitespace", "first_name", "Anne   Marie", None),
    ("unicode", "first_name", "Valéry", None),
    ("unicode", "first_name", D, None),
    ("unicode", "first_name", "Ünïcödé", None),
    ("unicode", "last_name", "Müller", None),
    ("unicode", "last_name", "Łukasiewicz", None),
    ("non-latin", "first_name", "정", None),
    ("non-latin", "last_name", "山田", None),
    ("non-latin", "first_name", "Дмитрий", None),
    ("non-latin", "last_name", "ΟΔΥΣΣΕΥΣ", None),
    ("non-latin", "first_name", "محمد", None),
    ("unicode", "last_name", "GROẞ", None),
    ("unicode", "first_name", "İlker", None),
    ("invalid", "last_name", "...", None),
    ("empty", "first_name", "", None),
    ("pre-hashed", "first_name", "6915771BE1C5AA0C886870B6951B03D7EAFC121FEA0E80A5EA83BEB7C449F4EC", None),
    # city
    ("case", "city", "San Francisco", None),
    ("punctuation", "city", "St. Louis", None),
    ("whitespace", "city", "  New   York ", None),
    ("unicode", "city", "São Paulo", None),
    ("unicode", "city", "Zürich", None),
    ("non-latin", "city", "東京", None),
    ("digits", "city", "Paris 15", None),
    ("punctuation", "city", "Winston-Salem", None),
    ("invalid", "city", "--", None),
    # state
    ("code", "state", "CA", "US"),
    ("name", "state", "California", "US"),
    ("name", "state", "california", None),
    ("name", "state", "New York", "US"),
    ("name", "state", "District of Columbia", "US"),
    ("code", "state", " tx ", None),
    ("invalid", "state", "Calif.", "US"),
    ("non-us", "state", "Ontario", "CA"),
    ("non-us", "state", "Bayern", "DE"),
    ("non-us", "state", "Île-de-France", "FR"),
    ("non-us", "state", "NSW", "AU"),
    # postal code
    ("zip", "postal_code", "94025", "US"),
    ("zip+4", "postal_code", "94025-1234", "US"),
    ("zip+4", "postal_code", " 94025-1234 ", None),
    ("zip+4", "postal_code", "94025 1234", "US"),
    ("zip+4", "postal_code", "940251234", "US"),
    ("invalid", "postal_code", "9402", "US"),
    ("uk", "postal_code", "SW1A 1AA", "GB"),
    ("uk", "postal_code", "M1 1AE", "GB"),
    ("uk", "postal_code", "sw1a1aa", None),
    ("canada", "postal_code", "K1A 0B1", "CA"),
    ("canada", "postal_code", "k1a-0b1", "CA"),
    ("other", "postal_code", "10115", "DE"),
    ("other", "postal_code", "100-0001", "JP"),
    ("other", "postal_code", "1012 AB", "NL"),
    ("empty", "postal_code", "  ", "US"),
    # country
    ("code", "country", "US", None),
    ("code", "country", "us", None),
    ("code", "country", " de ", None),
    ("punctuation", "country", "U.S.", None),
    ("alpha-3", "country", "USA", None),
    ("alpha-3", "country", "GBR", None),
    ("name", "country", "United States", None),
    ("name", "country", "United Kingdom", None),
    ("name", "country", "UK", None),
    ("name", "country", "Germany", None),
    ("name", "country", "Deutschland", None),
    ("name", "country", "Côte d'Ivoire", None),
    ("name", "country", "South Korea", None),
    ("invalid", "country", "Atlantis", None),
    ("invalid", "country", "XX", None),
    ("pre-hashed", "country", "79ADB2A2FCE5C6BA215FE5F27F532D4E7EDBAC4B6A5E09E1EF3A08084A904621", None),
    # date of birth
    ("published", "date_of_birth", "2/16/1997", "US"),
    ("iso", "date_of_birth", "1997-02-16", None),
    ("compact", "date_of_birth", "19970216", None),
    ("iso", "date_of_birth", "1990-02-14T00:00:00Z", None),
    ("dotted", "date_of_birth", "16.02.1997", "DE"),
    ("slash", "date_of_birth", "16/02/1997", "GB"),
    ("slash", "date_of_birth", "03/04/1990", "GB"),
    ("slash", "date_of_birth", "03/04/1990", "US"),
    ("slash", "date_of_birth", "03/04/1990", None),
    ("slash", "date_of_birth", "1997/02/16", None),
    ("named", "date_of_birth", "16 Feb 1997", None),
    ("named", "date_of_birth", "February 16, 1997", None),
    ("invalid", "date_of_birth", "02/30/1997", "US"),
    ("invalid", "date_of_birth", "16/02/97", "GB"),
    ("invalid", "date_of_birth", "1850-01-01", None),
    ("leap", "date_of_birth", "2000-02-29", None),
    ("invalid", "date_of_birth", "yesterday", None),
    # gender
    ("code", "gender", "F", None),
    ("code", "gender", "m", None),
    ("word", "gender", "Female", None),
    ("word", "gender", " MALE ", None),
    ("word", "gender", "Woman", None),
    ("non-binary", "gender", "non-binary", None),
    ("non-binary", "gender", "N", None),
    ("other-language", "gender", "weiblich", None),
    ("other-language", "gender", "Männlich", None),
    ("invalid", "gender", "unknown", None),
    # external id
    ("published", "external_id", "user_123", None),
    ("whitespace", "external_id", "  CUST-00042 ", None),
    ("case", "external_id", "AbC-123", None),
    ("uuid", "external_id", "5d41402abc4b2a76b9719d911017c592", None),
    ("unicode", "external_id", "client-Ω", None),
    ("pre-hashed", "external_id", "80FBA0AE1C48E3978E43E4EFC365E14E12EA0C830BA8BA5B9A2DAFC7E3F2AB8B", None),
    ("empty", "external_id", "\t", None),
]

# Published vectors from the platforms' own documentation (quoted in docs/destinations/).
PUBLISHED = [
    ("meta", "email", "John_Smith@gmail.com", "john_smith@gmail.com", "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f", "Meta customer-information-parameters"),
    ("meta", "phone", "(650)555-1212", "16505551212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176", "Meta customer-information-parameters (US)"),
    ("meta", "first_name", "Mary", "mary", "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec", "Meta customer-information-parameters"),
    ("meta", "first_name", "Valéry", "valéry", "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c", "Meta customer-information-parameters"),
    ("meta", "first_name", "정", "정", "8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14", "Meta customer-information-parameters"),
    ("meta", "date_of_birth", "2/16/1997", "19970216", "01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c", "Meta customer-information-parameters (US)"),
    ("meta", "country", "us", "us", "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621", "Meta customer-information-parameters"),
    ("meta", "postal_code", "94025-1234", "94025", "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7", "platforms/README shared vectors (US)"),
    ("google", "email", "  John.Doe+tag@GMail.com ", "johndoe@gmail.com", "06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3", "Google Data Manager formatting guide"),
    ("google", "email", "john.doe+tag@example.com", "john.doe+tag@example.com", "90ab4306d159cb792a65c73978c2069d246911004e9e7247aa7f42322f8d4f32", "platforms/README shared vectors"),
    ("google", "phone", "+1 (650) 555-1234", "+16505551234", "a2996076d3ad4af5dc818b908b3d8e354f26ededf7df0e0aa6ac354143805ee0", "platforms/README shared vectors"),
    ("google", "phone", "+44 020 7946 0958", "+442079460958", "f0bf0228144d9fe2bdf1da2d8ca698f17bf1410ee688b075c27062e47b6f0b6d", "platforms/README shared vectors"),
    ("meta", "phone", "+44 020 7946 0958", "442079460958", "35e206e5dec4c89b9e8b71b8c32724a5bb518483ac5a20c6617d738375b3b823", "platforms/README shared vectors"),
    ("meta", "email", "  John.Doe+tag@GMail.com ", "john.doe+tag@gmail.com", "fa977c0b3d18f155576d45ff2fb915a4ef183d2a5981dfb4100fd2f7acf52821", "platforms/README shared vectors"),
    ("meta", "phone", "+1 (650) 555-1234", "16505551234", "6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599", "platforms/README shared vectors"),
    ("tiktok", "email", " ALICE_abc@gmail.com ", "alice_abc@gmail.com", "848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f", "TikTok Events API 2.0 reference"),
    ("tiktok", "phone", "(+1)2133734253", "+12133734253", "9f7ec22d72092cd3c0b58726ed9c2d91b92e51a3f29837508fb2948bb22dd2fd", "TikTok Events API 2.0 reference"),
    ("tiktok", "external_id", "user_123", "user_123", "80fba0ae1c48e3978e43e4efc365e14e12ea0c830ba8ba5b9a2dafc7e3f2ab8b", "TikTok Events API 2.0 reference"),
    ("snapchat", "email", "Person@Example.com", "person@example.com", "542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345", "Snap Conversions API parameters"),
    ("snapchat", "phone", "+44 844 412 4653", "448444124653", "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383", "Snap Conversions API parameters"),
    ("reddit", "email", "Al.ice$+Apple@Example.Com", "alice@example.com", "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976", "Reddit Signals docs, manual advanced matching"),
    ("reddit", "email", "john.doe+tag@example.com", "johndoe@example.com", "55e79200c1635b37ad31a378c39feb12f120f116625093a19bc32fff15041149", "platforms/README shared vectors"),
]

META_FIELD = dict(email="em", phone="ph", first_name="fn", last_name="ln", city="ct", state="st", postal_code="zp", country="country", date_of_birth="db", gender="ge")


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def run_sdk(platform, field, raw):
    """(sdk name, {'normalized','hash'} | {'error'}) or (None, note)."""
    fb = "facebook-business " + version("facebook-business")
    gg = "google-ads-datamanager-util " + version("google-ads-datamanager-util")
    sn = "snap-business-sdk " + version("snap-business-sdk")
    if platform == "meta":
        if field == "external_id":
            return fb, {"normalized": raw, "hash": None, "note": "SDK sends external_id as given: no normalization, no hashing"}
        try:
            normalized = Normalize.normalize_field_skip_hashing(META_FIELD[field], raw)
            hashed = Normalize.normalize_field(META_FIELD[field], raw)
        except Exception as e:  # noqa: BLE001 - the SDK raises TypeError and ValueError
            return fb, {"error": "%s: %s" % (type(e).__name__, redact(str(e), raw))}
        if normalized is None:
            return fb, {"error": "returns None for an empty value"}
        return fb, {"normalized": normalized, "hash": hashed}
    if platform in ("google", "ga4"):
        f = Formatter()
        fn = dict(email=f.format_email_address, phone=f.format_phone_number, first_name=f.format_given_name,
                  last_name=f.format_family_name, postal_code=f.format_postal_code, country=f.format_region_code,
                  city=f.format_city, state=f.format_administrative_area).get(field)
        if fn is None:
            return None, "Google has no field for it"
        try:
            normalized = fn(raw)
        except Exception as e:  # noqa: BLE001
            return gg, {"error": "%s: %s" % (type(e).__name__, str(e))}
        hashed = sha(normalized) if ref.ENCODING[platform][field] == ref.H else None
        return gg, {"normalized": normalized, "hash": hashed}
    if platform == "snapchat":
        if field == "phone":
            normalized = snap.normalize_phone_num(raw)
        elif field in ("email", "first_name", "last_name", "city", "state", "postal_code"):
            normalized = "" if snap.is_empty_string(raw) else raw.strip().lower()
        else:
            return None, "snap-business-sdk (v2) has no normalizer for this field"
        if normalized == "":
            return sn, {"error": "returns an empty string (nothing hashed)"}
        return sn, {"normalized": normalized, "hash": sha(normalized)}
    notes = {
        "tiktok": "tiktok-business-api-sdk has no normalizer (generated client only)",
        "pinterest": "pinterest-api-sdk has no normalizer (generated client only)",
        "linkedin": "LinkedIn publishes no Python SDK normalizer",
        "reddit": "Reddit publishes no Python SDK normalizer",
    }
    return None, notes[platform]


def redact(message, raw):
    return message.replace(raw, "<input>") if raw else message


DOC_RULE = {
    ("meta", "phone"): "Meta docs: digits with the country code and no trunk prefix; the SDK only strips characters",
    ("snapchat", "phone"): "Snap docs: country code, no '00', no trunk '0'; the v2 SDK defaults a missing country code to 1 and keeps trunk zeros",
    ("google", "phone"): "Google docs: E.164 with the country code; the formatter only strips non-digits and prepends '+'",
    ("meta", "first_name"): "Meta docs: no punctuation; the SDK only trims and lowercases",
    ("meta", "last_name"): "Meta docs: no punctuation; the SDK only trims and lowercases",
    ("google", "first_name"): "Google docs: no prefixes (Mrs.), no punctuation, extra spaces removed; the formatter only trims and lowercases",
    ("google", "last_name"): "Google docs: no suffixes (Jr.), no punctuation, extra spaces removed; the formatter only trims and lowercases",
    ("meta", "city"): "Meta docs: no punctuation, special characters or spaces; the SDK removes only digits, whitespace and . - ( )",
    ("snapchat", "city"): "Snap docs: lowercase, no spaces; the SDK keeps inner spaces",
    ("google", "city"): "Google formatter keeps runs of spaces; the docs ask to remove extra spaces",
    ("meta", "state"): "Meta docs: US states as 2-letter codes, elsewhere no punctuation/spaces; the SDK keeps names and some symbols",
    ("snapchat", "state"): "Snap docs: two-letter code; the SDK keeps state names",
    ("google", "state"): "Google: US state names mapped to codes like the other platforms; the formatter keeps names",
    ("meta", "postal_code"): "Meta docs: no spaces or dashes, US 5 digits; the SDK cuts at the first dash for every country",
    ("snapchat", "postal_code"): "Snap docs: no spaces, US 5-digit ZIP; the SDK keeps spaces and ZIP+4",
    ("meta", "country"): "project maps country names and alpha-3 codes to alpha-2 (Meta docs require alpha-2); the SDK rejects them",
    ("google", "country"): "project maps country names and alpha-3 codes to alpha-2; the formatter only accepts two characters",
    ("meta", "date_of_birth"): "Meta docs: YYYYMMDD; the SDK does not reformat dates",
    ("meta", "gender"): "Meta docs: single initial f or m; the SDK only lowercases",
    ("meta", "external_id"): "project hashes the trimmed external id (Meta recommends hashing); the SDK sends it raw",
    ("google", "email"): "Google docs: remove intermediate whitespace; the formatter raises instead",
}
DOC_RULE[("ga4", "phone")] = DOC_RULE[("google", "phone")]
for _f in ("first_name", "last_name", "city", "state", "country", "email"):
    DOC_RULE[("ga4", _f)] = DOC_RULE[("google", _f)]


def deviation(platform, field, raw, region, sdk, expected_norm, expected_drop):
    if "error" in sdk:
        if expected_drop is not None:
            return None
        if field == "phone":
            return DOC_RULE.get((platform, field), "") + "; the SDK raises on this input, which libphonenumber parses"
        if platform in ("google", "ga4") and field == "email":
            return DOC_RULE[("google", "email")]
        return DOC_RULE.get((platform, field), "SDK rejects a value the platform docs accept")
    sdk_norm = sdk["normalized"]
    if expected_drop is not None:
        if expected_drop == "unsupported_digest":
            return "a 32-hex value looks like an MD5 digest; platforms want SHA-256, so it is dropped rather than passed through (the SDK passes MD5 through)"
        if field == "phone":
            return "dropped (%s): not a possible number per libphonenumber metadata or no country for its calling code; the SDK would hash digits that match nobody" % expected_drop
        return "dropped (%s): the platform docs' format cannot be met, so nothing is sent rather than a hash that matches nobody" % expected_drop
    if sdk_norm == expected_norm:
        if sdk.get("hash") is None and ref.ENCODING[platform][field] == ref.H:
            return DOC_RULE.get((platform, field), "the platform wants this field hashed; the SDK sends it in clear")
        if sdk.get("hash") not in (None, ref.wire(field, platform, expected_norm)):
            return "input is already a SHA-256 digest: it passes through lowercased; the SDK would hash it a second time"
        return None
    if unicodedata.normalize("NFC", sdk_norm) == expected_norm:
        return "platform docs hash the NFC form; the SDK hashes the decomposed bytes as given"
    e, d = expected_norm.lstrip("+"), sdk_norm.lstrip("+")
    if field == "phone" and e.isdigit() and d.isdigit():
        import phonenumbers

        cc = str(phonenumbers.parse("+" + e).country_code)
        if e == cc + d and not d.startswith(cc):
            return ("the SDK adds no calling code; the platform docs require one, so the number is parsed "
                    "with the address country (libphonenumber)")
        if e == cc + d:
            return ("libphonenumber reads a number without '+' as national when it fits the region's plan, so the "
                    "region's calling code is prefixed; the SDK assumes the digits already start with one")
        if d.startswith(cc + "0") and e == cc + d[len(cc) + 1:]:
            return "the SDK keeps the national trunk prefix '0' after the calling code; E.164 drops it"
    if field == "email" and platform in ("google", "ga4") and any(c.isspace() for c in raw.strip()):
        return DOC_RULE[("google", "email")]
    if field == "email" and "\u200b" in raw:
        return "a zero-width space is invisible junk that can never match: it is removed (Python strip() keeps it)"
    if field == "email":
        return "project drops the inner whitespace or invalid characters the SDK keeps"
    return DOC_RULE.get((platform, field), "platform docs differ from the SDK on this input")


def main():
    vectors = []
    for category, field, raw, region in INPUTS:
        for platform in PLATFORMS:
            norm, drop = ref.normalize(field, raw, platform, region)
            if drop == "not_sent_to_platform" and category not in ("case", "code", "published"):
                continue
            if platform == "ga4" and field not in ("email", "phone", "first_name", "country"):
                continue
            expected = {"dropped": drop} if drop else {
                "normalized": norm, "encoding": ref.ENCODING[platform][field], "wire": ref.wire(field, platform, norm)}
            sdk_name, sdk = run_sdk(platform, field, raw)
            v = {
                "id": len(vectors) + 1, "category": category, "platform": platform, "field": field,
                "input": raw, "region": region, "expected": expected,
            }
            if drop == "not_sent_to_platform":
                v["sdk"] = None
                v["expected_source"] = "platform-doc"
            elif sdk_name is None:
                v["sdk"] = None
                v["sdk_note"] = sdk
                v["expected_source"] = "platform-doc"
            else:
                v["sdk"] = dict(sdk, name=sdk_name)
                v["expected_source"] = "sdk"
                dev = deviation(platform, field, raw, region, sdk, norm, drop)
                if dev:
                    v["deviation"] = dev
                    v["expected_source"] = "platform-doc"
            vectors.append(v)
    published = []
    for platform, field, raw, normalized, digest, source in PUBLISHED:
        assert ref.sha256(normalized) == digest, (platform, field, raw)
        region = "US" if "(US)" in source or field == "phone" and not raw.startswith("+") else None
        norm, drop = ref.normalize(field, raw, platform, region)
        assert norm == normalized, (platform, field, raw, norm, drop)
        published.append({"platform": platform, "field": field, "input": raw, "region": region,
                          "normalized": normalized, "sha256": digest, "source": source})
    doc = {
        "generator": "scripts/gen-identifier-vectors.py (reference rules: scripts/identifier_reference.py)",
        "sdk_versions": {p.split("==")[0]: p.split("==")[1] for p in _identifier_venv.PINNED},
        "inputs": len(INPUTS),
        "vectors": vectors,
        "published": published,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    deviations = sum(1 for v in vectors if "deviation" in v)
    print("wrote %s: %d inputs, %d vectors (%d deviations), %d published" % (OUT, len(INPUTS), len(vectors), deviations, len(published)))


def phone_examples():
    """libphonenumber's own example numbers for every region and number type,
    written in national format (with the region) and international format
    (without): the Swift parser must give libphonenumber's E.164 for each."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat as F, PhoneNumberType as T

    rows = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (T.MOBILE, T.FIXED_LINE, T.TOLL_FREE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            for text, reg in ((phonenumbers.format_number(example, F.NATIONAL), region),
                              (phonenumbers.format_number(example, F.INTERNATIONAL), None)):
                try:
                    expected = ref.phone_e164(text, reg)
                except ref.Drop as d:
                    expected = "!" + d.reason
                rows.append([text, reg, expected])
    with open(PHONE_OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "scripts/gen-identifier-vectors.py", "phonenumbers": phonenumbers.__version__,
                   "examples": rows}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print("wrote %s: %d example numbers" % (PHONE_OUT, len(rows)))


if __name__ == "__main__":
    main()
    phone_examples()
