/// One key of a seal key ring as configured (`store.seal_keys: [{id, key}]`):
/// an id that sealed blobs and erasure keys carry, and the key itself.
public struct SealKey: Sendable, Equatable, CustomStringConvertible {
    /// 1-32 characters of `A-Z a-z 0-9 . _ -` (e.g. `2026-05`).
    public var id: String
    /// Base64 of 32 random bytes.
    public var base64Key: String

    public init(id: String, base64Key: String) {
        self.id = id
        self.base64Key = base64Key
    }

    /// What a key id may be, for error messages.
    public static let idRule = "must be 1-32 characters of A-Z, a-z, 0-9, '.', '_' and '-'"

    /// True for ids that follow `idRule`: short, and free of the separators
    /// the stores use around them (space, `:`).
    public static func isValidID(_ id: String) -> Bool {
        (1...32).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2E
                    || byte == 0x5F || byte == 0x2D
            }
    }

    /// Names the key by id; never prints the key.
    public var description: String { "SealKey(\(id), <redacted>)" }
}
