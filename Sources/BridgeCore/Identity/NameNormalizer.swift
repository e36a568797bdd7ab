/// Which part of a person's name a value is (titles differ: `Mrs.` leads a
/// first name, `Jr.` trails a last name).
enum NamePart: Sendable {
    case first, last
}

/// How a platform wants names written before hashing (or sending in clear).
struct NameRule: Sendable, Hashable {
    /// Lowercase (every platform but LinkedIn, which takes names in clear as written).
    var lowercase = true
    /// Remove punctuation and symbols (Meta, Google).
    var removePunctuation = false
    /// Collapse inner whitespace runs to one space and drop titles (Google:
    /// "no prefixes (Mrs.)", "no suffixes (Jr.)").
    var googleStyle = false
}

/// Normalizes first and last names.
enum NameNormalizer {
    private static let prefixes: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mme", "mlle", "herr", "frau",
    ]
    private static let suffixes: Set<String> = [
        "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "dvm",
    ]

    /// The normalized name, or why it was dropped.
    static func normalize(_ raw: String, part: NamePart, rule: NameRule) -> NormalizationResult {
        let cleaned: String
        if let fast = ASCIIBytes.withBytes(raw, { fastClean($0, rule: rule) }) {
            cleaned = fast
        } else {
            cleaned = slowClean(raw, rule: rule)
        }
        if cleaned.isEmpty {
            return .dropped(UnicodeText.trimmed(raw).isEmpty ? .empty : .invalidName)
        }
        guard rule.googleStyle else { return .value(cleaned) }
        var tokens = cleaned.split(separator: " ")
        switch part {
        case .first:
            while tokens.count > 1, let first = tokens.first, prefixes.contains(String(first)) { tokens.removeFirst() }
        case .last:
            while tokens.count > 1, let last = tokens.last, suffixes.contains(String(last)) { tokens.removeLast() }
        }
        return .value(tokens.joined(separator: " "))
    }

    /// ASCII fast path: trimmed, lowercased, punctuation removed; `nil` for non-ASCII input.
    private static func fastClean(_ bytes: UnsafeBufferPointer<UInt8>, rule: NameRule) -> String? {
        guard let range = ASCIIBytes.trimmedASCIIRange(bytes) else { return nil }
        if range.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: range.count) { out in
            var count = 0
            for i in range {
                var byte = bytes[i]
                if ASCIIBytes.isSpace(byte) {
                    guard rule.googleStyle else { out[count] = byte; count += 1; continue }
                    if count > 0, out[count - 1] != 0x20 { out[count] = 0x20; count += 1 }
                    continue
                }
                if rule.removePunctuation, ASCIIBytes.isPunctuationOrSymbol(byte) { continue }
                if rule.lowercase { byte = ASCIIBytes.lower(byte) }
                out[count] = byte
                count += 1
            }
            // Removing punctuation can leave whitespace at either end ("- Ann").
            while count > 0, ASCIIBytes.isSpace(out[count - 1]) { count -= 1 }
            var start = 0
            while start < count, ASCIIBytes.isSpace(out[start]) { start += 1 }
            if start > 0 {
                for i in start..<count { out[i - start] = out[i] }
                count -= start
            }
            return count
        }
    }

    /// Unicode path: the same steps over scalars, Python-style lowercase, NFC.
    private static func slowClean(_ raw: String, rule: NameRule) -> String {
        var scalars = Array(UnicodeText.trimmed(raw))
        if rule.lowercase { scalars = UnicodeText.lowercased(scalars) }
        var out: [Unicode.Scalar] = []
        for scalar in scalars {
            if UnicodeText.isTrimmable(scalar) {
                guard rule.googleStyle else { out.append(scalar); continue }
                if let last = out.last, last != " " { out.append(" ") }
                continue
            }
            if rule.removePunctuation, UnicodeText.isPunctuation(scalar) || UnicodeText.isSymbol(scalar) { continue }
            out.append(scalar)
        }
        while let last = out.last, UnicodeText.isTrimmable(last) { out.removeLast() }
        while let first = out.first, UnicodeText.isTrimmable(first) { out.removeFirst() }
        return UnicodeText.string(out)
    }
}
