/// The byte-level detectors behind `PersonalDataScanner`, run over one
/// string's UTF-8 bytes in a fixed order: IPv6, IPv4, email, phone. Each
/// later detector skips bytes an earlier one matched.
struct PersonalDataPatterns {
    struct Match: Hashable {
        let kind: PersonalDataKind
        let range: Range<Int>
    }

    let bytes: [UInt8]
    /// Whether bare digits (no `+`) should be left alone: the text sits under
    /// an id-, time-, count- or amount-like JSON key.
    let identifierLike: Bool

    init(text: String, identifierLike: Bool) {
        self.bytes = Array(text.utf8)
        self.identifierLike = identifierLike
    }

    func matches() -> [Match] {
        if Self.isDigest(bytes) { return [] }
        var masked = [Bool](repeating: false, count: bytes.count)
        var found: [Match] = []
        func record(_ kind: PersonalDataKind, _ range: Range<Int>) {
            found.append(Match(kind: kind, range: range))
            for i in range { masked[i] = true }
        }
        for range in ipv6Ranges() { record(.ipv6, range) }
        for range in ipv4Ranges(masked: masked) { record(.ipv4, range) }
        for range in emailRanges(masked: masked) { record(.email, range) }
        for range in phoneRanges(masked: masked) { record(.phone, range) }
        return found
    }

    // MARK: Character classes

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    /// ASCII letters and digits, and any non-ASCII byte (letters of other scripts).
    static func isWord(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) || b == UInt8(ascii: "_") || b >= 0x80 }

    /// `(hmac-sha256:)?[0-9a-f]{32,}` exactly: a digest, never clear data.
    static func isDigest(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("hmac-sha256:".utf8)
        let body = bytes.starts(with: prefix) ? bytes[prefix.count...] : bytes[...]
        return body.count >= 32 && body.allSatisfy { isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    // MARK: IP addresses

    private func ipv6Ranges() -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        let colon = UInt8(ascii: ":")
        while i < bytes.count {
            let b = bytes[i]
            guard Self.isHex(b) || b == colon, i == 0 || !(Self.isWord(bytes[i - 1]) || bytes[i - 1] == colon || bytes[i - 1] == UInt8(ascii: "."))
            else {
                i += 1
                continue
            }
            var j = i
            while j < bytes.count, Self.isHex(bytes[j]) || bytes[j] == colon || bytes[j] == UInt8(ascii: ".") { j += 1 }
            var end = j
            while end > i, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            let glued = j < bytes.count && Self.isWord(bytes[j])
            let colons = bytes[i..<end].lazy.filter { $0 == colon }.count
            if !glued, colons >= 2, Self.isIPv6(bytes[i..<end]) { ranges.append(i..<end) }
            i = max(j, i + 1)
        }
        return ranges
    }

    /// RFC 4291 text form: eight 1–4 digit hex groups, or fewer around one
    /// `::`; the last 32 bits may be dotted IPv4.
    static func isIPv6(_ text: ArraySlice<UInt8>) -> Bool {
        let string = String(decoding: text, as: UTF8.self)
        guard string.filter({ $0 == ":" }).count >= 2, string.contains(where: { $0 != ":" }) else { return false }
        let halves = splitAtDoubleColons(string)
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (h, half) in halves.enumerated() where !half.isEmpty {
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (p, part) in parts.enumerated() {
                if part.contains(".") {
                    // Dotted IPv4 only as the very last group.
                    guard h == halves.count - 1, p == parts.count - 1, isIPv4(Array(part.utf8)[...]) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(part.count), part.utf8.allSatisfy(isHex) else { return false }
                    groups += 1
                }
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }

    private func ipv4Ranges(masked: [Bool]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard Self.isDigit(bytes[i]), !masked[i], i == 0 || !Self.isWord(bytes[i - 1]) && bytes[i - 1] != UInt8(ascii: ".")
            else {
                i += 1
                continue
            }
            // `Chrome/120.0.0.0`: a version after a product name, not an address.
            if i >= 2, bytes[i - 1] == UInt8(ascii: "/"), Self.isWord(bytes[i - 2]) {
                i += 1
                continue
            }
            var j = i
            while j < bytes.count, Self.isDigit(bytes[j]) || bytes[j] == UInt8(ascii: ".") { j += 1 }
            let glued = j < bytes.count && Self.isWord(bytes[j])
            var end = j
            if end > i, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if !glued, Self.isIPv4(bytes[i..<end]) { ranges.append(i..<end) }
            i = j
        }
        return ranges
    }

    /// Four dotted decimal octets, each 0–255 in at most three digits.
    static func isIPv4(_ text: ArraySlice<UInt8>) -> Bool {
        let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return false }
            return part.reduce(0) { $0 * 10 + Int($1 - 0x30) } <= 255
        }
    }

    // MARK: Email

    private func emailRanges(masked: [Bool]) -> [Range<Int>] {
        func isLocal(_ b: UInt8) -> Bool {
            Self.isDigit(b) || Self.isLetter(b) || b >= 0x80 || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "%") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
        }
        func isDomain(_ b: UInt8) -> Bool {
            Self.isDigit(b) || Self.isLetter(b) || b >= 0x80 || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
        }
        var ranges: [Range<Int>] = []
        for at in bytes.indices where bytes[at] == UInt8(ascii: "@") && !masked[at] {
            var start = at
            while start > 0, isLocal(bytes[start - 1]), !masked[start - 1] { start -= 1 }
            var end = at + 1
            while end < bytes.count, isDomain(bytes[end]), !masked[end] { end += 1 }
            while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            guard start < at, end > at + 1 else { continue }
            let labels = bytes[(at + 1)..<end].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last, tld.count >= 2,
                tld.allSatisfy({ Self.isLetter($0) || $0 >= 0x80 })
            else { continue }
            if let last = ranges.last, last.overlaps(start..<end) { continue }
            ranges.append(start..<end)
        }
        return ranges
    }

    // MARK: Phone numbers

    private static let glue: Set<UInt8> = Set(".-:/=#@&?_".utf8)
    private static let groupers: Set<UInt8> = Set(" -./()".utf8)

    private func phoneRanges(masked: [Bool]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        let plus = UInt8(ascii: "+")
        while i < bytes.count {
            let b = bytes[i]
            guard !masked[i], b == plus || b == UInt8(ascii: "(") || Self.isDigit(b) else {
                i += 1
                continue
            }
            if i > 0 {
                let previous = bytes[i - 1]
                let gluedToWord = Self.isWord(previous)
                    || (b != plus && Self.glue.contains(previous) && i >= 2 && Self.isWord(bytes[i - 2]))
                if gluedToWord {
                    i += 1
                    continue
                }
            }
            // Extend over digits and grouping characters (single spaces only).
            var j = b == plus ? i + 1 : i
            while j < bytes.count, !masked[j] {
                let c = bytes[j]
                if Self.isDigit(c) || (Self.groupers.contains(c) && c != UInt8(ascii: " ")) {
                    j += 1
                } else if c == UInt8(ascii: " "), j + 1 < bytes.count, bytes[j + 1] != UInt8(ascii: " ") {
                    j += 1
                } else {
                    break
                }
            }
            var end = j
            while end > i, !Self.isDigit(bytes[end - 1]) { end -= 1 }
            defer { i = max(j, i + 1) }
            guard end > i else { continue }
            // Glued at the end: `1234567890abc`, `…205.AbC`, `12345678:x`.
            var k = end
            while k < bytes.count, bytes[k] != UInt8(ascii: " "), Self.glue.contains(bytes[k]) || Self.groupers.contains(bytes[k]) {
                k += 1
            }
            if k < bytes.count, Self.isWord(bytes[k]), k == end || bytes[k - 1] != UInt8(ascii: " ") { continue }
            if isPhone(i..<end) { ranges.append(i..<end) }
        }
        return ranges
    }

    private func isPhone(_ range: Range<Int>) -> Bool {
        let text = bytes[range]
        let hasPlus = text.first == UInt8(ascii: "+")
        let digits = text.filter(Self.isDigit)
        guard (8...15).contains(digits.count) else { return false }
        if hasPlus { return true }
        if identifierLike { return false }
        // Groups of digits and the separators between them.
        var groups: [Int] = []
        var separators: [UInt8] = []
        var run = 0
        for c in text {
            if Self.isDigit(c) {
                run += 1
            } else {
                if run > 0 { groups.append(run) }
                run = 0
                separators.append(c)
            }
        }
        if run > 0 { groups.append(run) }
        if separators.isEmpty { return !Self.isPlausibleTimestamp(digits) }
        let uniform = Set(separators).count == 1
        if uniform, groups == [4, 2, 2] || groups == [2, 2, 4], [UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ".")].contains(separators[0]) {
            return false  // a date
        }
        if separators == [UInt8(ascii: ".")], let last = groups.last, last <= 3 { return false }  // a decimal
        return true
    }

    /// Unix seconds (10 digits) or milliseconds (13 digits) between
    /// 2015-01-01 and 2040-01-01.
    static func isPlausibleTimestamp(_ digits: [UInt8]) -> Bool {
        guard digits.count == 10 || digits.count == 13 else { return false }
        let value = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
        let seconds = digits.count == 10 ? value : value / 1000
        return (1_420_070_400...2_208_988_800).contains(seconds)
    }

    /// A JSON number that looks like a phone number: an integer of 8 to 15
    /// digits that is not a plausible timestamp.
    static func isPhoneLikeInteger(_ text: String) -> Bool {
        let digits = Array(text.utf8)
        guard (8...15).contains(digits.count), digits.allSatisfy(isDigit) else { return false }
        return !isPlausibleTimestamp(digits)
    }

    /// Splits around every `::` (so more than two pieces means more than one
    /// `::`), without Foundation.
    static func splitAtDoubleColons(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var pendingColon = false
        for ch in text {
            if ch == ":" {
                if pendingColon {
                    pieces.append(current)
                    current = ""
                    pendingColon = false
                } else {
                    pendingColon = true
                }
            } else {
                if pendingColon { current.append(":") }
                pendingColon = false
                current.append(ch)
            }
        }
        if pendingColon { current.append(":") }
        pieces.append(current)
        return pieces
    }
}
