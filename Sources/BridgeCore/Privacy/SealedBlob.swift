/// The stored form of sealed identifiers:
///
/// ```
/// 0xCB 0x01 <id length: 1 byte> <key id: UTF-8> <nonce: 12> <ciphertext> <tag: 16>
/// ```
///
/// `0xCB` marks a sealed blob, `0x01` is the format version. The AES-GCM
/// associated data is the row's context, a NUL byte, then the key id, so a
/// header edited to name another key does not open.
///
/// Blobs written before key rings are `nonce ‖ ciphertext ‖ tag` with the
/// context alone as associated data; `IdentifierSealer.open` still opens them.
enum SealedBlob {
    static let marker: UInt8 = 0xCB
    static let version: UInt8 = 0x01

    /// The header naming `keyID` (at most 255 bytes of id, as `SealKey.isValidID` ensures).
    static func header(keyID: String) -> [UInt8] {
        let id = Array(keyID.utf8.prefix(255))
        return [marker, version, UInt8(id.count)] + id
    }

    /// The key id and the combined box, when `blob` has a well-formed header.
    static func parse(_ blob: [UInt8]) -> (keyID: String, box: ArraySlice<UInt8>)? {
        guard blob.count > 3, blob[0] == marker, blob[1] == version else { return nil }
        let length = Int(blob[2])
        // The box is at least a nonce and a tag.
        guard length > 0, blob.count >= 3 + length + 28 else { return nil }
        let id = blob[3..<(3 + length)]
        guard let keyID = String(validating: id, as: UTF8.self) else { return nil }
        return (keyID, blob[(3 + length)...])
    }

    /// The associated data binding a blob to its row and its key id.
    static func associatedData(context: String, keyID: String) -> [UInt8] {
        Array(context.utf8) + [0] + Array(keyID.utf8)
    }
}
