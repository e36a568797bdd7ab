import Crypto
import Foundation

/// Shared primitives for signature schemes: HMAC, encodings, constant-time
/// comparison. Used by the sources (verifying what senders signed) and the
/// destinations (signing what the bridge sends), so they live below both.
public enum SignatureSupport {
    /// HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(key: some Sequence<UInt8>, message: some Sequence<UInt8>) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: Array(key))
        var hmac = HMAC<SHA256>(key: symmetricKey)
        hmac.update(data: Array(message))
        return Array(hmac.finalize())
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// Standard base64 with padding.
    public static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes standard base64; tolerates missing padding. `nil` on bad input.
    public static func decodeBase64(_ text: String) -> [UInt8]? {
        var padded = text
        let remainder = padded.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { padded += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: padded).map { Array($0) }
    }

    /// Lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of `bytes` as lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(Array(SHA256.hash(data: bytes)))
    }
}
