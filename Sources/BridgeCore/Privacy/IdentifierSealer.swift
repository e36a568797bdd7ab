import Crypto
import Foundation

/// Seals raw personal identifiers with AES-256-GCM before they touch disk,
/// under a ring of keys so the key can rotate without losing anything.
///
/// The first key of the ring seals; every key opens. A sealed blob names the
/// key that sealed it (`SealedBlob`: a versioned header with the key id, the
/// id also bound into the associated data), so opening needs one attempt;
/// blobs written before key rings (no header) open by trying every key.
///
/// The associated data binds a ciphertext to its row (source and event id), so
/// a sealed blob copied onto another event does not open.
public struct IdentifierSealer: Sendable {
    /// One key of the ring, with what is derived from it.
    struct RingKey: Sendable {
        let id: String
        let key: SymmetricKey
        /// An HMAC keyed with a key derived from the seal key (HKDF) for the
        /// erasure index, so index digests say nothing about the sealing key.
        /// Kept keyed and copied per digest (HMAC is copy-on-write).
        let indexHMAC: HMAC<SHA256>

        init(id: String, key: SymmetricKey) {
            self.id = id
            self.key = key
            self.indexHMAC = HMAC<SHA256>(
                key: HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("capi-bridge/v1/identity-index".utf8), outputByteCount: 32))
        }
    }

    /// The ring, the sealing key first. Never empty.
    let ring: [RingKey]
    /// Where seal nonces come from (random, in blocks).
    let nonces = NoncePool()

    /// The id of the configuration's `seal_key:` shorthand (a ring of one).
    public static let defaultKeyID = "default"

    /// Why a key or a sealed blob was refused. Carries no key material.
    public enum SealError: Error, Equatable, Sendable, CustomStringConvertible {
        case invalidKey(reason: String)
        case cannotOpen

        public var description: String {
            switch self {
            case .invalidKey(let reason): return "invalid seal key: \(reason)"
            case .cannotOpen: return "sealed identifiers cannot be opened with any key of the ring (wrong key, or the data was altered)"
            }
        }
    }

    /// A ring of one key, with the id `default` (the `seal_key:` shorthand).
    /// - Parameter base64Key: 32 random bytes, standard base64.
    public init(base64Key: String) throws(SealError) {
        try self.init(keys: [SealKey(id: Self.defaultKeyID, base64Key: base64Key)])
    }

    /// A ring: `keys[0]` seals, every key opens.
    /// - Throws: `invalidKey` for an empty ring, a duplicate or malformed id,
    ///   or a key that is not base64 of 32 bytes (naming the key id, never the key).
    public init(keys: [SealKey]) throws(SealError) {
        guard !keys.isEmpty else { throw .invalidKey(reason: "the key ring is empty") }
        var ring: [RingKey] = []
        var seen = Set<String>()
        for entry in keys {
            guard SealKey.isValidID(entry.id) else { throw .invalidKey(reason: "key id '\(entry.id)': \(SealKey.idRule)") }
            guard seen.insert(entry.id).inserted else { throw .invalidKey(reason: "key id '\(entry.id)' appears twice") }
            guard let data = Data(base64Encoded: entry.base64Key.trimmingWhitespace()) else {
                throw .invalidKey(reason: "key '\(entry.id)' is not base64")
            }
            guard data.count == 32 else { throw .invalidKey(reason: "key '\(entry.id)' must decode to 32 bytes, got \(data.count)") }
            ring.append(RingKey(id: entry.id, key: SymmetricKey(data: data)))
        }
        self.ring = ring
    }

    /// A sealer with a fresh random key: for development only, since what it
    /// seals cannot be opened after a restart.
    public static func ephemeral() -> IdentifierSealer {
        IdentifierSealer(ring: [RingKey(id: "ephemeral", key: SymmetricKey(size: .bits256))])
    }

    private init(ring: [RingKey]) {
        self.ring = ring
    }

    /// The id of the key that seals (the first of the ring).
    public var currentKeyID: String { ring[0].id }

    /// Every key id, the sealing key's first.
    public var keyIDs: [String] { ring.map(\.id) }

    /// A new random key in the configuration's format (base64 of 32 bytes).
    public static func generateKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Encrypts `plaintext` under the current key; returns the blob
    /// (`SealedBlob` format: header with the key id, nonce ‖ ciphertext ‖ tag).
    public func seal(_ plaintext: [UInt8], context: String) -> [UInt8] {
        let current = ring[0]
        // AES.GCM.seal throws only for invalid nonce/key sizes, which are fixed here.
        guard
            let box = try? AES.GCM.seal(
                plaintext, using: current.key, nonce: nonces.next(), authenticating: SealedBlob.associatedData(context: context, keyID: current.id)),
            let combined = box.combined
        else { preconditionFailure("AES-GCM sealing with a 256-bit key and default nonce cannot fail") }
        return SealedBlob.header(keyID: current.id) + Array(combined)
    }

    /// Decrypts what `seal` produced for the same `context`, under any key of
    /// the ring (also blobs written before key rings, which carry no key id).
    public func open(_ sealed: [UInt8], context: String) throws(SealError) -> [UInt8] {
        if let (keyID, box) = SealedBlob.parse(sealed) {
            let data = SealedBlob.associatedData(context: context, keyID: keyID)
            // The named key first; the others too, in case the key was renamed in the configuration.
            for key in ring.filter({ $0.id == keyID }) + ring.filter({ $0.id != keyID }) {
                if let opened = Self.open(box, key: key.key, associatedData: data) { return opened }
            }
        }
        // No header (a blob sealed before key rings), or a legacy blob whose
        // random nonce happens to start like a header.
        let legacy = Array(context.utf8)
        for key in ring {
            if let opened = Self.open(sealed, key: key.key, associatedData: legacy) { return opened }
        }
        throw .cannotOpen
    }

    /// True when `sealed` is in the current format under the current key:
    /// `keys rotate` leaves it alone.
    public func isSealedUnderCurrentKey(_ sealed: [UInt8]) -> Bool {
        sealed.starts(with: currentHeader)
    }

    /// The header every blob sealed under the current key starts with (the
    /// stores select the rows still to re-seal with it).
    public var currentHeader: [UInt8] { SealedBlob.header(keyID: currentKeyID) }

    /// Opens `sealed` and seals it again under the current key; `nil` when it
    /// already is under the current key.
    /// - Throws: `cannotOpen` when no key of the ring opens it.
    public func reseal(_ sealed: [UInt8], context: String) throws(SealError) -> [UInt8]? {
        if isSealedUnderCurrentKey(sealed) { return nil }
        return seal(try open(sealed, context: context), context: context)
    }

    /// A keyed digest (HMAC-SHA256, lowercase hex) of a normalized identifier
    /// under the current key, for finding a person's rows at erasure
    /// without storing the identifier.
    public func indexDigest(kind: String, normalized value: String) -> String {
        Self.indexDigest(ring[0], kind: kind, normalized: value)
    }

    /// The digests of a normalized identifier under every key of the ring, by
    /// key id, the current key's first: erasure looks rows up by all of them,
    /// so rows indexed before a rotation are found too.
    public func indexDigests(kind: String, normalized value: String) -> [(keyID: String, digest: String)] {
        ring.map { ($0.id, Self.indexDigest($0, kind: kind, normalized: value)) }
    }

    private static func indexDigest(_ key: RingKey, kind: String, normalized value: String) -> String {
        var hmac = key.indexHMAC
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

    private static func open(_ combined: some DataProtocol, key: SymmetricKey, associatedData: [UInt8]) -> [UInt8]? {
        guard let box = try? AES.GCM.SealedBox(combined: combined),
            let opened = try? AES.GCM.open(box, using: key, authenticating: associatedData)
        else { return nil }
        return Array(opened)
    }
}
