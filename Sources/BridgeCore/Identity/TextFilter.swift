/// A character-class filter for location-like fields (city, state, postal
/// code): which classes survive, and whether the rest is lowercased.
struct TextFilter: Sendable, Hashable {
    /// What happens to whitespace inside the value (the ends are always trimmed).
    enum Spaces: Sendable, Hashable { case keep, collapse, remove }
    /// What happens to punctuation and symbols.
    enum Punctuation: Sendable, Hashable { case keep, removeDashes, remove }

    var lowercase = true
    var digits = true
    var spaces = Spaces.remove
    var punctuation = Punctuation.remove

    /// `raw` trimmed and filtered; empty when nothing survives.
    func apply(_ raw: String) -> String {
        if let fast = ASCIIBytes.withBytes(raw, fast) { return fast }
        return slow(raw)
    }

    private func fast(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = ASCIIBytes.trimmedASCIIRange(bytes) else { return nil }
        return String(unsafeUninitializedCapacity: range.count) { out in
            var count = 0
            var pendingSpace = false
            for i in range {
                let byte = bytes[i]
                if ASCIIBytes.isSpace(byte) {
                    switch spaces {
                    case .keep: out[count] = byte; count += 1
                    case .collapse: pendingSpace = count > 0
                    case .remove: break
                    }
                    continue
                }
                if ASCIIBytes.isDigit(byte) {
                    if !digits { continue }
                } else if !ASCIIBytes.isAlphanumeric(byte) {
                    switch punctuation {
                    case .keep: break
                    case .removeDashes: if byte == UInt8(ascii: "-") { continue }
                    case .remove: continue
                    }
                }
                if pendingSpace { out[count] = 0x20; count += 1; pendingSpace = false }
                out[count] = lowercase ? ASCIIBytes.lower(byte) : byte
                count += 1
            }
            return count
        }
    }

    private func slow(_ raw: String) -> String {
        var scalars = Array(UnicodeText.trimmed(raw))
        if lowercase { scalars = UnicodeText.lowercased(scalars) }
        var out: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in scalars {
            if UnicodeText.isTrimmable(scalar) {
                switch spaces {
                case .keep: out.append(scalar)
                case .collapse: pendingSpace = !out.isEmpty
                case .remove: break
                }
                continue
            }
            if UnicodeText.isNumber(scalar) {
                if !digits { continue }
            } else if !UnicodeText.isLetter(scalar) && !UnicodeText.isMark(scalar) {
                switch punctuation {
                case .keep: break
                case .removeDashes: if scalar.properties.generalCategory == .dashPunctuation { continue }
                case .remove: continue
                }
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(scalar)
        }
        return UnicodeText.string(out)
    }
}
