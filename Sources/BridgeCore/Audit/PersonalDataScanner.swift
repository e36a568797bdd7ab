/// The kinds of personal data in clear that `PersonalDataScanner` looks for.
public enum PersonalDataKind: String, Sendable, Hashable, CaseIterable {
    case email
    case phone
    case ipv4
    case ipv6
}

/// One piece of personal data found in clear: what kind and where, never the
/// value itself, so a report about a leak does not leak again.
public struct PersonalDataFinding: Sendable, Hashable, CustomStringConvertible {
    public var kind: PersonalDataKind
    /// The RFC 6901 pointer of the JSON value (or of the member whose key)
    /// holding it; `""` for the whole line when it is not JSON.
    public var pointer: String
    /// Whether it was found in an object key rather than in a value.
    public var inKey: Bool

    public init(kind: PersonalDataKind, pointer: String, inKey: Bool = false) {
        self.kind = kind
        self.pointer = pointer
        self.inKey = inKey
    }

    public var description: String {
        "\(kind.rawValue) in \(inKey ? "key of " : "")\(pointer.isEmpty ? "(line)" : pointer)"
    }
}

/// Looks for personal data in clear in audit entries and response texts:
/// email addresses, phone numbers, IPv4 and IPv6 addresses.
///
/// It is a tripwire for mistakes (a clear field the digester was not told
/// about, a platform echoing a value in an error message), not a proof of
/// absence. What it detects:
///
/// - **Email**: `local@domain.tld`, local part of letters, digits and
///   `._%+-`, a dotted domain whose last label is at least two letters;
///   non-ASCII letters count.
/// - **IPv4**: four dotted decimal octets ≤ 255 standing alone; not a part
///   of a longer dotted number, and not a version after a product name
///   (`Chrome/120.0.0.0`).
/// - **IPv6**: a run of hex groups and colons that parses as an RFC 4291
///   address (eight groups, or `::` compression, optionally ending in IPv4).
///   Clock times (`15:05:12`) and MAC addresses do not parse.
/// - **Phone**: 8 to 15 digits (E.164's maximum), optionally led by `+`,
///   optionally grouped by spaces, `-`, `.`, `/` or parentheses, standing
///   alone: not glued to letters or to an alphanumeric token by `.`, `-`,
///   `:`, `/`, `=`, `#` (so digits inside hex digests, `fb.1.1554…` cookies,
///   URL paths and query ids are not phones).
///
/// What it deliberately does not report, to stay quiet on a healthy log:
///
/// - values that are digests: 32+ lowercase hex characters, optionally
///   prefixed `hmac-sha256:`;
/// - phone-like digits without a leading `+` under keys that name ids,
///   times, counts or amounts (`id`, `*_id`, `*_ids`, `*Id`, `*_at`, `*_ms`,
///   `*time*`, `seq`, `value`, `price`, …): event ids, order numbers and
///   timestamps live there;
/// - bare 10- or 13-digit numbers that read as Unix seconds or milliseconds
///   between 2015-01-01 and 2040-01-01;
/// - dates (`2026-03-14`, `14.03.2026`) and decimals (`1234567.89`).
///
/// What it cannot detect: names, street addresses and other free text;
/// phone numbers shorter than 8 digits, spelled out, or stored under an
/// id- or time-like key without `+`; 10-digit US numbers whose value falls
/// in the timestamp range above (area codes 142–220); emails written to
/// evade (`john at example dot com`); IP addresses in other notations
/// (integers, hex); any value that was hashed without a key (the audit log
/// holds only keyed digests, but a plain SHA-256 of an email is also not
/// "clear"). In object keys, phone numbers are reported only with a `+`.
public struct PersonalDataScanner: Sendable {
    public init() {}

    /// Scans one line of text: as a JSON document when it parses, otherwise
    /// as plain text (findings then point at `""`).
    public func scan(line: String) -> [PersonalDataFinding] {
        if let document = try? JSONParser.parse(line) { return scan(document) }
        return kinds(inText: line).map { PersonalDataFinding(kind: $0, pointer: "") }
    }

    /// Scans every key and value of a JSON document.
    public func scan(_ document: JSONValue) -> [PersonalDataFinding] {
        var findings: [PersonalDataFinding] = []
        walk(document, pointer: .root, key: nil, into: &findings)
        return findings
    }

    /// The kinds found in a piece of text, once each, in `allCases` order.
    /// - Parameter key: The JSON key the text was stored under, if any; it
    ///   switches off bare-digit phone detection for id- and time-like keys.
    public func kinds(inText text: String, key: String? = nil) -> [PersonalDataKind] {
        kinds(in: text, identifierLike: key.map(Self.isIdentifierLike) ?? false)
    }

    private func kinds(in text: String, identifierLike: Bool) -> [PersonalDataKind] {
        let found = Set(PersonalDataPatterns(text: text, identifierLike: identifierLike).matches().map(\.kind))
        return PersonalDataKind.allCases.filter(found.contains)
    }

    /// `text` with every match replaced by `[email]`, `[phone]` or `[ip]`.
    public func redacting(_ text: String) -> String {
        let patterns = PersonalDataPatterns(text: text, identifierLike: false)
        let matches = patterns.matches().sorted { $0.range.lowerBound < $1.range.lowerBound }
        guard !matches.isEmpty else { return text }
        var out: [UInt8] = []
        var cursor = 0
        for match in matches where match.range.lowerBound >= cursor {
            out.append(contentsOf: patterns.bytes[cursor..<match.range.lowerBound])
            switch match.kind {
            case .email: out.append(contentsOf: "[email]".utf8)
            case .phone: out.append(contentsOf: "[phone]".utf8)
            case .ipv4, .ipv6: out.append(contentsOf: "[ip]".utf8)
            }
            cursor = match.range.upperBound
        }
        out.append(contentsOf: patterns.bytes[cursor...])
        return String(decoding: out, as: UTF8.self)
    }

    private func walk(_ value: JSONValue, pointer: JSONPointer, key: String?, into findings: inout [PersonalDataFinding]) {
        switch value {
        case .string(let text):
            for kind in kinds(inText: text, key: key) {
                findings.append(PersonalDataFinding(kind: kind, pointer: pointer.description))
            }
        case .number(let text):
            let identifierLike = key.map(Self.isIdentifierLike) ?? false
            if !identifierLike, PersonalDataPatterns.isPhoneLikeInteger(text) {
                findings.append(PersonalDataFinding(kind: .phone, pointer: pointer.description))
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                walk(element, pointer: pointer.appending(index), key: key, into: &findings)
            }
        case .object(let members):
            for name in members.keys.sorted() {
                let child = pointer.appending(name)
                // Keys are often ids (`{"10045678": …}`): bare digits are not phones there.
                for kind in kinds(in: name, identifierLike: true) {
                    findings.append(PersonalDataFinding(kind: kind, pointer: child.description, inKey: true))
                }
                if let member = members[name] { walk(member, pointer: child, key: name, into: &findings) }
            }
        case .null, .bool:
            break
        }
    }

    /// Whether a JSON key names an id, a time, a count or an amount, under
    /// which bare digit strings are expected and not reported as phones.
    static func isIdentifierLike(_ key: String) -> Bool {
        let lower = key.lowercased()
        let exact: Set<String> = [
            "id", "ids", "uuid", "seq", "sequence", "v", "version", "ts", "count", "quantity", "value", "price",
            "amount", "revenue", "total", "code", "subcode", "status",
        ]
        if exact.contains(lower) { return true }
        let suffixes = ["_id", "_ids", "_at", "_ms", "_us", "_count", "_price", "_value", "_amount", "_code", "_subcode",
                        "_status", "date"]
        if suffixes.contains(where: lower.hasSuffix) { return true }
        if lower.contains("time") || lower.hasPrefix("num_") { return true }
        return key.hasSuffix("Id") || key.hasSuffix("ID") || key.hasSuffix("Ids") || key.hasSuffix("IDs") || key.hasSuffix("At")
    }
}
