/// Reads the event indices a platform names in an error text when it
/// refuses a whole batch (TikTok `Batch.3.user.email`, LinkedIn
/// `Index: 3, ERROR :: …`, Pinterest `events[3]`), for
/// `DeadLetterReason.suspectIndex`.
enum NamedIndex {
    /// Every number that follows one of `markers` (matched without regard to
    /// case; spaces after the marker skipped), in text order, each once.
    /// - Parameter atWordStart: a marker counts only where no letter, digit
    ///   or `_` precedes it (`data[` but not `metadata[`).
    static func all(in text: String, after markers: [String], atWordStart: Bool = false) -> [Int] {
        let bytes = Array(text.lowercased().utf8)
        let needles = markers.map { Array($0.lowercased().utf8) }
        var found: [Int] = []
        var position = 0
        scan: while position < bytes.count {
            if atWordStart, position > 0, isWordByte(bytes[position - 1]) {
                position += 1
                continue
            }
            for needle in needles where bytes[position...].starts(with: needle) {
                var cursor = position + needle.count
                while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                var value = 0
                var digits = 0
                while cursor < bytes.count, (0x30...0x39).contains(bytes[cursor]), digits < 7 {
                    value = value * 10 + Int(bytes[cursor] - 0x30)
                    digits += 1
                    cursor += 1
                }
                guard digits > 0 else { continue }
                if !found.contains(value) { found.append(value) }
                position = cursor
                continue scan
            }
            position += 1
        }
        return found
    }

    /// The first index `all` finds, or `nil`.
    static func first(in text: String, after markers: [String], atWordStart: Bool = false) -> Int? {
        all(in: text, after: markers, atWordStart: atWordStart).first
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "_")
    }
}
