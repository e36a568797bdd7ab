import Crypto

/// SHA-256 of normalized identifiers, as lowercase hex.
///
/// A value that already is a 64-character hex digest (any case) passes
/// through lowercased and is never hashed twice. Hex encoding uses a lookup
/// table and writes straight into the result string: one allocation per hash.
public enum IdentifierHasher {
    /// Lowercase hex SHA-256 of the UTF-8 bytes of `value`, or `value`
    /// lowercased when it already is a 64-character hex digest.
    public static func sha256Hex(_ value: String) -> String {
        if isSHA256Hex(value) { return lowercasedASCII(value) }
        var copy = value
        return copy.withUTF8 { sha256Hex(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Lowercase hex SHA-256 of raw bytes (no pass-through check).
    public static func sha256Hex(bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().withUnsafeBytes { hex($0) }
    }

    /// Writes the 32-byte SHA-256 of `bytes` into the start of `digest`, which
    /// must have room for 32 bytes (for serializers that hex-encode in place).
    public static func sha256(_ bytes: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= SHA256.byteCount, "digest buffer needs 32 bytes")
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        hasher.finalize().withUnsafeBytes { digest.copyMemory(from: $0) }
    }

    /// True when `value` is exactly 64 ASCII hex digits, in any case.
    public static func isSHA256Hex(_ value: String) -> Bool {
        isHex(value, length: 64)
    }

    /// True when `value` is exactly `length` ASCII hex digits, in any case.
    static func isHex(_ value: String, length: Int) -> Bool {
        let utf8 = value.utf8
        guard utf8.count == length else { return false }
        for byte in utf8 where hexValue(byte) == nil { return false }
        return true
    }

    /// True when `value` is 64 lowercase hex digits: the shape of every hashed wire value.
    public static func isLowercaseSHA256Hex(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard utf8.count == 64 else { return false }
        for byte in utf8 {
            guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return false }
        }
        return true
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte &- 0x30
        case 0x41...0x46: byte &- 0x37
        case 0x61...0x66: byte &- 0x57
        default: nil
        }
    }

    private static func lowercasedASCII(_ value: String) -> String {
        String(unsafeUninitializedCapacity: value.utf8.count) { out in
            var i = 0
            for byte in value.utf8 {
                out[i] = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                i += 1
            }
            return i
        }
    }

    /// Lowercase hex digits; a `StaticString` so reading it needs no
    /// exclusivity check or copy.
    private static let digits: StaticString = "0123456789abcdef"

    private static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let table = digits.utf8Start
            var i = 0
            for byte in bytes {
                out[i] = table[Int(byte >> 4)]
                out[i + 1] = table[Int(byte & 0x0F)]
                i += 2
            }
            return bytes.count * 2
        }
    }
}
