/// Hexadecimal text of bytes, and back.
public enum HexText {
    private static let upperDigits = Array("0123456789ABCDEF".unicodeScalars)

    /// Two uppercase hex digits.
    public static func upper(_ byte: UInt8) -> String {
        String(String.UnicodeScalarView([upperDigits[Int(byte >> 4)], upperDigits[Int(byte & 0xF)]]))
    }

    /// True for exactly 64 lowercase hex digits: the only form a hashed
    /// identifier may take on the wire.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The 32 bytes of a 64-character lowercase hex SHA-256, or `nil`.
    public static func bytes(ofSHA256 text: String) -> [UInt8]? {
        guard isSHA256(text) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var high: UInt8?
        for character in text.utf8 {
            let nibble: UInt8
            switch character {
            case 0x30...0x39: nibble = character - 0x30
            case 0x61...0x66: nibble = character - 0x61 + 10
            default: return nil
            }
            if let value = high {
                out.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out.count == 32 ? out : nil
    }

    /// Lowercase hex of `bytes`.
    public static func lowercase(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
