"""Reference implementation, in Python, of capi-bridge's identifier rules
(the platform docs' normalization matrix). gen-identifier-vectors.py uses it
to compute each vector's expected value; the Swift implementation must agree.

Phone numbers are parsed by the real libphonenumber (`phonenumbers`), so the
Swift port of its parsing logic is checked against the library itself.
"""
import hashlib
import importlib.util
import os
import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneMetadata

HERE = os.path.dirname(os.path.abspath(__file__))

ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


def trimmable(c):
    return c.isspace() or ord(c) in ZERO_WIDTH


def white_space(c):
    return c.isspace() and not (0x1C <= ord(c) <= 0x1F)


def trim(s):
    i, j = 0, len(s)
    while i < j and trimmable(s[i]):
        i += 1
    while j > i and trimmable(s[j - 1]):
        j -= 1
    return s[i:j]


def nfc(s):
    return unicodedata.normalize("NFC", s)


def cat(c):
    return unicodedata.category(c)


def alnum(c):
    return cat(c)[0] in "LM" or cat(c) == "Nd"


def sha256(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
HEX32 = re.compile(r"^[0-9a-fA-F]{32}$")

# platform -> field -> "sha256" | "clear" | None   (mirrors Platform.encoding(for:))
H, C, N = "sha256", "clear", None
ENCODING = {
    "meta": dict(email=H, phone=H, first_name=H, last_name=H, city=H, state=H, postal_code=H, country=H, date_of_birth=H, gender=H, external_id=H),
    "google": dict(email=H, phone=H, first_name=H, last_name=H, city=C, state=C, postal_code=C, country=C, date_of_birth=N, gender=N, external_id=N),
    "tiktok": dict(email=H, phone=H, first_name=H, last_name=H, city=C, state=C, postal_code=H, country=C, date_of_birth=N, gender=N, external_id=H),
    "snapchat": dict(email=H, phone=H, first_name=H, last_name=H, city=H, state=H, postal_code=H, country=H, date_of_birth=H, gender=H, external_id=H),
    "pinterest": dict(email=H, phone=H, first_name=H, last_name=H, city=H, state=H, postal_code=H, country=H, date_of_birth=H, gender=H, external_id=H),
    "linkedin": dict(email=H, phone=N, first_name=C, last_name=C, city=N, state=N, postal_code=N, country=C, date_of_birth=N, gender=N, external_id=C),
    "reddit": dict(email=H, phone=H, first_name=N, last_name=N, city=N, state=N, postal_code=N, country=C, date_of_birth=N, gender=N, external_id=H),
}
ENCODING["ga4"] = ENCODING["google"]


class Drop(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------- countries

def _load_country_module():
    spec = importlib.util.spec_from_file_location("gen_country_table", os.path.join(HERE, "gen-country-table.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _country_keys():
    import pycountry

    module = _load_country_module()
    codes, by_key = set(), {"uk": "GB"}
    for c in pycountry.countries:
        codes.add(c.alpha_2)
        keys = [c.alpha_3.lower()] + [module.key(getattr(c, a)) for a in ("name", "official_name", "common_name") if getattr(c, a, None)]
        keys += [module.key(a) for a in module.ALIASES.get(c.alpha_2, [])]
        for k in keys:
            if k and len(k) != 2:
                by_key[k] = c.alpha_2
    for code, keys in module.EXTRA.items():
        codes.add(code)
        for k in keys:
            by_key[k] = code
    return codes, by_key


COUNTRY_CODES, COUNTRY_BY_KEY = _country_keys()


def lookup_key(s):
    if all(ord(c) < 0x80 for c in s):
        return "".join(c.lower() for c in s if c.isascii() and c.isalpha())
    folded = "".join(c for c in unicodedata.normalize("NFKD", s) if cat(c)[0] != "M")
    return "".join(c for c in folded.lower() if "a" <= c <= "z")


def resolve_country(s):
    k = lookup_key(s)
    if len(k) == 2:
        return k.upper() if k.upper() in COUNTRY_CODES else COUNTRY_BY_KEY.get(k)
    return COUNTRY_BY_KEY.get(k)


US_STATES = {}
for _line in """AL alabama|AK alaska|AZ arizona|AR arkansas|CA california|CO colorado|CT connecticut|DE delaware|DC districtofcolumbia washingtondc|FL florida|GA georgia|HI hawaii|ID idaho|IL illinois|IN indiana|IA iowa|KS kansas|KY kentucky|LA louisiana|ME maine|MD maryland|MA massachusetts|MI michigan|MN minnesota|MS mississippi|MO missouri|MT montana|NE nebraska|NV nevada|NH newhampshire|NJ newjersey|NM newmexico|NY newyork newyorkstate|NC northcarolina|ND northdakota|OH ohio|OK oklahoma|OR oregon|PA pennsylvania|RI rhodeisland|SC southcarolina|SD southdakota|TN tennessee|TX texas|UT utah|VT vermont|VA virginia|WA washington washingtonstate|WV westvirginia|WI wisconsin|WY wyoming|AS americansamoa|GU guam|MP northernmarianaislands|PR puertorico|VI virginislands usvirginislands|UM usminoroutlyingislands|AA armedforcesamericas|AE armedforceseurope|AP armedforcespacific""".split("|"):
    _f = _line.split()
    US_STATES[_f[0].lower()] = _f[0].lower()
    for _k in _f[1:]:
        US_STATES[_k] = _f[0].lower()

# ---------------------------------------------------------------- e-mail

FORBIDDEN = set('<>()[],;:"\\')


def email(raw, rule):
    t = trim(raw)
    if not t:
        raise Drop("empty")
    out = []
    for c in t.lower():
        if trimmable(c):
            if rule == "google" or not white_space(c):
                continue
            raise Drop("invalid_email")
        if c in FORBIDDEN or cat(c) == "Cc":
            raise Drop("invalid_email")
        out.append(c)
    s = "".join(out)
    if s.count("@") != 1:
        raise Drop("invalid_email")
    local, domain = s.split("@")
    domain = nfc(domain)
    if not local or not domain or domain[0] == "." or domain[-1] == "." or ".." in domain or "." not in domain:
        raise Drop("invalid_email")
    if rule == "reddit" or (rule == "google" and domain in ("gmail.com", "googlemail.com")):
        local = local.split("+")[0]
        local = "".join(c for c in local if (alnum(c) if rule == "reddit" else c != "."))
    if not local:
        raise Drop("invalid_email")
    return nfc(local + "@" + domain)


# ---------------------------------------------------------------- phone

def _ascii_digit(c):
    if "0" <= c <= "9":
        return c
    if ord(c) >= 0x80:
        d = unicodedata.decimal(c, None)
        if d is not None:
            return str(d)
    return None


def _separator(c):
    if c in " -.()/[]~\t\n\r":
        return True
    return ord(c) >= 0x80 and (trimmable(c) or cat(c) in ("Pd", "Ps", "Pe"))


def _is_extension(tail):
    text = tail.lower()
    for marker in (";ext=", "extension", "extn", "ext", "x", "#", ",", ";"):
        if text.startswith(marker):
            rest = text[len(marker):].lstrip(".: =")
            if not rest:
                return marker == "#"
            return all(c in "0123456789 #" for c in rest)
    return False


def phone_extract(raw):
    digits, plus, saw = [], False, False
    for i, c in enumerate(raw):
        d = _ascii_digit(c)
        if d is not None:
            digits.append(d)
            saw = True
            if len(digits) > 24:
                raise Drop("invalid_phone")
        elif c in "+\uff0b":
            if digits or plus:
                raise Drop("invalid_phone")
            plus = saw = True
        elif _separator(c):
            pass
        elif not saw:
            pass
        elif _is_extension(raw[i:]):
            break
        else:
            raise Drop("invalid_phone")
    if not saw:
        raise Drop("empty" if not trim(raw) else "invalid_phone")
    if not digits:
        raise Drop("invalid_phone")
    return "".join(digits), plus


def phone_e164(raw, region):
    """E.164 with '+', by libphonenumber, plus the project's '00' rule."""
    digits, plus = phone_extract(raw)
    # A two-letter region libphonenumber knows (AC, TA, XK…) is used as is.
    if region and len(region) == 2 and region.upper() in phonenumbers.SUPPORTED_REGIONS:
        alpha2 = region.upper()
    else:
        alpha2 = resolve_country(region) if region else None
    meta = PhoneMetadata.metadata_for_region(alpha2) if alpha2 else None
    if meta is None:
        alpha2 = None
    text = ("+" if plus else "") + digits
    if not plus:
        own_idd = False
        if meta is not None and meta.international_prefix:
            m = re.match(meta.international_prefix, digits)
            own_idd = bool(m) and len(digits) > m.end() and digits[m.end()] != "0"
        if not own_idd and len(digits) > 2 and digits.startswith("00") and digits[2] != "0":
            text = "+" + digits[2:]
        elif not own_idd and meta is None:
            raise Drop("phone_country_unknown")
    try:
        number = phonenumbers.parse(text, alpha2)
    except phonenumbers.NumberParseException:
        raise Drop("invalid_phone")
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise Drop("invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# ---------------------------------------------------------------- names, places

PREFIXES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme", "mlle", "herr", "frau"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "dvm"}


def name(raw, part, lowercase=True, punct=False, google=False):
    t = trim(raw)
    if lowercase:
        t = t.lower()
    out = []
    for c in t:
        if trimmable(c):
            if not google:
                out.append(c)
            elif out and out[-1] != " ":
                out.append(" ")
            continue
        if punct and cat(c)[0] in "PS":
            continue
        out.append(c)
    s = nfc(trim("".join(out)))
    if not s:
        raise Drop("empty" if not trim(raw) else "invalid_name")
    if google:
        tokens = [x for x in s.split(" ") if x]
        if part == "first":
            while len(tokens) > 1 and tokens[0] in PREFIXES:
                tokens.pop(0)
        else:
            while len(tokens) > 1 and tokens[-1] in SUFFIXES:
                tokens.pop()
        s = " ".join(tokens)
    return s


def text_filter(raw, lowercase=True, digits=True, spaces="remove", punct="remove"):
    t = trim(raw)
    if lowercase:
        t = t.lower()
    out, pending = [], False
    for c in t:
        if trimmable(c):
            if spaces == "keep":
                out.append(c)
            elif spaces == "collapse":
                pending = bool(out)
            continue
        if cat(c)[0] == "N":
            if not digits:
                continue
        elif cat(c)[0] not in "LM":
            if punct == "remove" or (punct == "removeDashes" and cat(c) == "Pd"):
                continue
        if pending:
            out.append(" ")
            pending = False
        out.append(c)
    return nfc("".join(out))


CITY = {
    "meta": dict(digits=False), "snapchat": dict(punct="keep"), "pinterest": {}, "tiktok": {},
    "google": dict(spaces="collapse"), "ga4": dict(spaces="collapse"),
}
STATE = {"google": dict(spaces="collapse"), "ga4": dict(spaces="collapse")}
POSTAL = {
    "meta": dict(punct="removeDashes"), "tiktok": dict(punct="removeDashes"), "snapchat": dict(punct="keep"),
    "pinterest": {}, "google": dict(lowercase=False, spaces="keep", punct="keep"),
}
POSTAL["ga4"] = POSTAL["google"]

ASCII_SPACE = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"


def us_zip(raw):
    b = raw.strip(ASCII_SPACE)
    if len(b) < 5 or not all("0" <= c <= "9" for c in b[:5]):
        return None
    rest = b[5:]
    if rest[:1] in ("-", " "):
        rest = rest[1:]
        if len(rest) != 4:
            return None
    if rest and not (len(rest) == 4 and all("0" <= c <= "9" for c in rest)):
        return None
    return b[:5]


def state(raw, country, platform):
    if not trim(raw):
        raise Drop("empty")
    if country in (None, "US"):
        code = US_STATES.get(lookup_key(raw))
        if code:
            return code
        if country:
            raise Drop("invalid_state")
    v = text_filter(raw, **STATE.get(platform, {}))
    if not v:
        raise Drop("invalid_state")
    return v


def postal(raw, country, platform):
    if not trim(raw):
        raise Drop("empty")
    if platform not in ("google", "ga4") and country in (None, "US"):
        z = us_zip(raw)
        if z:
            return z
        if country:
            raise Drop("invalid_postal_code")
    v = text_filter(raw, **POSTAL.get(platform, POSTAL["meta"]))
    if not v:
        raise Drop("invalid_postal_code")
    return v


# ---------------------------------------------------------------- dates, gender

MONTH_FIRST = {"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"}
EITHER = {"CA"}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _make(y, m, d):
    import calendar

    if y is None or m is None or d is None or not (1900 <= y <= 2099) or not (1 <= m <= 12):
        raise Drop("invalid_date")
    if not (1 <= d <= calendar.monthrange(y, m)[1]):
        raise Drop("invalid_date")
    return "%04d%02d%02d" % (y, m, d)


def dob(raw, country):
    text = trim(raw).lower()
    if not text:
        raise Drop("empty")
    body = text
    m = re.search(r"[t ]", body)
    if m and m.start() == 10:
        body = body[:10]
    tokens = [t for t in re.split(r"[^0-9a-z]+", body) if t]
    seps = [c for c in body if not c.isalnum() and c not in " ,"]
    sep = seps[0] if seps else None
    if len(tokens) == 1 and len(tokens[0]) == 8 and tokens[0].isdigit():
        t = tokens[0]
        return _make(int(t[:4]), int(t[4:6]), int(t[6:]))
    if len(tokens) != 3:
        raise Drop("invalid_date")
    named = [i for i, t in enumerate(tokens) if t[0].isalpha()]
    if named:
        i = named[0]
        nm = tokens[i]
        month = next((k for k, p in enumerate(MONTHS) if nm.startswith(p)), None)
        if len(nm) < 3 or month is None or not nm.isalpha():
            raise Drop("invalid_date")
        others = [t for k, t in enumerate(tokens) if k != i]
        if not all(o.isdigit() for o in others):
            raise Drop("invalid_date")
        year = next((o for o in others if len(o) == 4), None)
        day = next((o for o in others if len(o) <= 2), None)
        if year is None or day is None:
            raise Drop("invalid_date")
        return _make(int(year), month + 1, int(day))
    if not all(t.isdigit() for t in tokens):
        raise Drop("invalid_date")
    n = [int(t) for t in tokens]
    if len(tokens[0]) == 4:
        return _make(n[0], n[1], n[2])
    if len(tokens[2]) != 4:
        raise Drop("invalid_date")
    a, b, y = n
    if sep == "." or a > 12:
        return _make(y, b, a)
    if b > 12 or a == b:
        return _make(y, a, b)
    if country is None or country in EITHER:
        raise Drop("ambiguous_date")
    return _make(y, a, b) if country in MONTH_FIRST else _make(y, b, a)


FEMALE = {"f", "female", "woman", "w", "girl", "weiblich", "frau", "femme", "feminin", "mujer", "femenino", "feminino", "donna", "femmina"}
MALE = {"m", "male", "man", "boy", "mannlich", "maennlich", "mann", "homme", "masculin", "hombre", "masculino", "uomo", "maschio"}
NONBINARY = {"n", "nonbinary", "nb", "x", "divers", "diverse", "enby"}


def gender(raw, platform):
    if not trim(raw):
        raise Drop("empty")
    k = lookup_key(raw)
    if k in FEMALE:
        return "f"
    if k in MALE:
        return "m"
    if platform == "pinterest" and k in NONBINARY:
        return "n"
    raise Drop("invalid_gender")


# ---------------------------------------------------------------- entry point

def normalize(field, raw, platform, region):
    """(normalized, None) or (None, drop_reason), like IdentifierNormalizer."""
    enc = ENCODING[platform][field]
    if enc is None:
        return None, "not_sent_to_platform"
    try:
        return _normalize(field, raw, platform, region, enc), None
    except Drop as d:
        return None, d.reason


def _normalize(field, raw, platform, region, enc):
    n = len(raw.encode("utf-8"))
    if n >= 32 and n < 80:
        t = raw if n in (32, 64) else trim(raw)
        if HEX64.match(t):
            if enc == H:
                return t.lower()
            raise Drop("hashed_value_for_clear_field")
        if field != "external_id" and HEX32.match(t):
            raise Drop("unsupported_digest")
    elif n in (32, 64):
        pass
    country = resolve_country(region) if region else None
    google = platform in ("google", "ga4")
    if field == "email":
        return email(raw, "google" if google else "reddit" if platform == "reddit" else "standard")
    if field == "phone":
        e164 = phone_e164(raw, region)
        return e164 if platform in ("google", "ga4", "tiktok", "reddit") else e164[1:]
    if field in ("first_name", "last_name"):
        part = "first" if field == "first_name" else "last"
        if platform == "meta":
            return name(raw, part, punct=True)
        if google:
            return name(raw, part, punct=True, google=True)
        if platform == "linkedin":
            return name(raw, part, lowercase=False)
        return name(raw, part)
    if field == "city":
        v = text_filter(raw, **CITY[platform])
        if not v:
            raise Drop("empty" if not trim(raw) else "invalid_city")
        return v
    if field == "state":
        return state(raw, country, platform)
    if field == "postal_code":
        return postal(raw, country, platform)
    if field == "country":
        if not trim(raw):
            raise Drop("empty")
        c = resolve_country(raw)
        if c is None:
            raise Drop("invalid_country")
        return c if platform in ("google", "ga4", "linkedin", "reddit") else c.lower()
    if field == "date_of_birth":
        return dob(raw, country)
    if field == "gender":
        return gender(raw, platform)
    if field == "external_id":
        t = trim(raw)
        if not t:
            raise Drop("empty")
        return nfc(t)
    raise ValueError(field)


def wire(field, platform, normalized):
    """The value as sent: hash for hashed fields (64-hex passes through), clear otherwise."""
    if ENCODING[platform][field] == C:
        return normalized
    return normalized if HEX64.match(normalized) else sha256(normalized)
