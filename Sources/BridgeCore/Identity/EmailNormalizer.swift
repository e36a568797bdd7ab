/// Which e-mail canonicalization a platform applies after trim and lowercase.
public enum EmailRule: Sendable, Hashable {
    /// Trim and lowercase only (Meta, TikTok, Snap, Pinterest, LinkedIn).
    case standard
    /// Google: inner whitespace removed; for `gmail.com` and `googlemail.com`
    /// the `+suffix` and every `.` of the local part removed.
    case google
    /// Reddit, every domain: the `+alias` and every non-alphanumeric
    /// character of the local part removed.
    case reddit
}

/// Normalizes e-mail addresses: trim, lowercase, validate, then the
/// platform's canonicalization. Invalid addresses are dropped, not hashed.
enum EmailNormalizer {
    /// The normalized address, or why it was dropped.
    static func normalize(_ raw: String, rule: EmailRule) -> NormalizationResult {
        if let result = ASCIIBytes.withBytes(raw, { fast($0, rule: rule) }) { return result }
        return slow(raw, rule: rule)
    }

    /// ASCII fast path; `nil` when the input has non-ASCII bytes.
    private static func fast(_ bytes: UnsafeBufferPointer<UInt8>, rule: EmailRule) -> NormalizationResult? {
        guard let range = ASCIIBytes.trimmedASCIIRange(bytes) else { return nil }
        if range.isEmpty { return .dropped(.empty) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: range.count) { buffer in
            var count = 0
            var at = -1
            for i in range {
                let byte = bytes[i]
                if ASCIIBytes.isSpace(byte) {
                    if rule == .google { continue }
                    return .dropped(.invalidEmail)
                }
                if isForbidden(byte) { return .dropped(.invalidEmail) }
                if byte == UInt8(ascii: "@") {
                    if at >= 0 { return .dropped(.invalidEmail) }
                    at = count
                }
                buffer[count] = ASCIIBytes.lower(byte)
                count += 1
            }
            guard at > 0, isValidDomain(UnsafeBufferPointer(rebasing: buffer[(at + 1)..<count])) else {
                return .dropped(.invalidEmail)
            }
            // Canonicalize the local part in place, then move the domain after it.
            var local = at
            if rule == .reddit || (rule == .google && isGmail(UnsafeBufferPointer(rebasing: buffer[(at + 1)..<count]))) {
                var out = 0
                for i in 0..<at {
                    let byte = buffer[i]
                    if byte == UInt8(ascii: "+") { break }
                    let keep = rule == .reddit ? ASCIIBytes.isAlphanumeric(byte) : byte != UInt8(ascii: ".")
                    if keep { buffer[out] = byte; out += 1 }
                }
                local = out
            }
            guard local > 0 else { return .dropped(.invalidEmail) }
            if local != at {
                for i in at..<count { buffer[local + i - at] = buffer[i] }
                count -= at - local
            }
            return .value(ASCIIBytes.string(buffer, count: count))
        }
    }

    /// Unicode path: same rules over scalars, zero-width characters removed, NFC at the end.
    private static func slow(_ raw: String, rule: EmailRule) -> NormalizationResult {
        let trimmed = UnicodeText.trimmed(raw)
        if trimmed.isEmpty { return .dropped(.empty) }
        var scalars: [Unicode.Scalar] = []
        for scalar in UnicodeText.lowercased(trimmed) {
            if UnicodeText.isTrimmable(scalar) {
                if rule == .google || !scalar.properties.isWhitespace { continue }
                return .dropped(.invalidEmail)
            }
            if scalar.isASCII, isForbidden(UInt8(scalar.value)) { return .dropped(.invalidEmail) }
            if scalar.properties.generalCategory == .control { return .dropped(.invalidEmail) }
            scalars.append(scalar)
        }
        guard let at = scalars.firstIndex(of: "@"), at > 0, scalars.lastIndex(of: "@") == at else {
            return .dropped(.invalidEmail)
        }
        let domain = scalars[(at + 1)...]
        let domainText = UnicodeText.string(domain)
        guard ASCIIBytes.withBytes(domainText, isValidDomain) else { return .dropped(.invalidEmail) }
        var local = Array(scalars[..<at])
        if rule == .reddit || (rule == .google && (domainText == "gmail.com" || domainText == "googlemail.com")) {
            if let plus = local.firstIndex(of: "+") { local.removeSubrange(plus...) }
            local.removeAll { rule == .reddit ? !UnicodeText.isAlphanumeric($0) : $0 == "." }
        }
        guard !local.isEmpty else { return .dropped(.invalidEmail) }
        return .value(UnicodeText.string(local + ["@"] + domain))
    }

    /// Characters no deliverable address contains outside quotes (and we do not accept quotes).
    @inline(__always)
    private static func isForbidden(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"),
            UInt8(ascii: "\""), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    /// A domain with at least one dot, no empty label at either end and no `..`.
    private static func isValidDomain(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = domain.first, let last = domain.last,
            first != UInt8(ascii: "."), last != UInt8(ascii: ".")
        else { return false }
        var sawDot = false
        var previous: UInt8 = 0
        for byte in domain {
            if byte == UInt8(ascii: ".") {
                if previous == byte { return false }
                sawDot = true
            }
            previous = byte
        }
        return sawDot
    }

    private static func isGmail(_ domain: UnsafeBufferPointer<UInt8>) -> Bool {
        domain.elementsEqual("gmail.com".utf8) || domain.elementsEqual("googlemail.com".utf8)
    }
}
