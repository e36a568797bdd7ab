import Crypto
import Foundation

/// Seals raw personal identifiers with AES-256-GCM before they touch disk.
///
/// The associated data binds a ciphertext to its row (source and event id), so
/// a sealed blob copied onto another event does not open.
public struct IdentifierSealer: Sendable {
    private let key: SymmetricKey
    /// An HMAC keyed with a key derived from the seal key (HKDF) for the
    /// identity index, so index digests say nothing about the sealing key.
    /// Kept keyed and copied per digest (HMAC is copy-on-write).
    private let indexHMAC: HMAC<SHA256>

    /// Why a key or a sealed blob was refused. Carries no key material.
    public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
        case invalidKey(reason: String)
        case cannotOpen

        public var description: String {
            switch self {
            case .invalidKey(let reason): return "invalid seal key: \(reason)"
            case .cannotOpen: return "sealed identifiers cannot be opened with this key (wrong key, or the data was altered)"
            }
        }
    }

    /// - Parameter base64Key: 32 random bytes, standard base64.
    public init(base64Key: String) throws(SealError) {
        guard let data = Data(base64Encoded: base64Key.trimmingWhitespace()) else {
            throw .invalidKey(reason: "not base64")
        }
        guard data.count == 32 else { throw .invalidKey(reason: "must decode to 32 bytes, got \(data.count)") }
        self.init(key: SymmetricKey(data: data))
    }

    /// A sealer with a fresh random key: for development only, since what it
    /// seals cannot be opened after a restart.
    public static func ephemeral() -> IdentifierSealer {
        IdentifierSealer(key: SymmetricKey(size: .bits256))
    }

    private init(key: SymmetricKey) {
        self.key = key
        self.indexHMAC = HMAC<SHA256>(
            key: HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("capi-bridge/v1/identity-index".utf8), outputByteCount: 32))
    }

    /// A keyed digest (HMAC-SHA256, lowercase hex) of a normalized identifier,
    /// for finding a person's rows at erasure without storing the identifier.
    public func indexDigest(kind: String, normalized value: String) -> String {
        var hmac = indexHMAC
        hmac.update(data: Array("\(kind):\(value)".utf8))
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in hmac.finalize() {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A new random key in the configuration's format (base64 of 32 bytes).
    public static func generateKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Encrypts `plaintext`; returns nonce ‖ ciphertext ‖ tag.
    public func seal(_ plaintext: [UInt8], context: String) -> [UInt8] {
        // AES.GCM.seal throws only for invalid nonce/key sizes, which are fixed here.
        guard let box = try? AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8)),
            let combined = box.combined
        else { preconditionFailure("AES-GCM sealing with a 256-bit key and default nonce cannot fail") }
        return Array(combined)
    }

    /// Decrypts what `seal` produced for the same `context`.
    public func open(_ sealed: [UInt8], context: String) throws(SealError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw .cannotOpen
        }
    }
}
