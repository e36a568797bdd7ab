/// Percent-encoding of query parameter values (RFC 3986: everything but the
/// unreserved characters is escaped).
enum QueryText {
    static func encode(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + HexText.upper(byte)
            }
        }
        return out
    }
}

/// Hexadecimal text of bytes.
enum HexText {
    private static let upperDigits = Array("0123456789ABCDEF".unicodeScalars)

    /// Two uppercase hex digits.
    static func upper(_ byte: UInt8) -> String {
        String(String.UnicodeScalarView([upperDigits[Int(byte >> 4)], upperDigits[Int(byte & 0xF)]]))
    }

    /// True for exactly 64 lowercase hex digits: the only form a hashed
    /// identifier may take on the wire.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
