import BridgeCore
import Crypto
import Foundation
import Testing

@Suite("Sealing raw identifiers")
struct IdentifierSealerTests {
    static let keyA = IdentifierSealer.generateKey()
    static let keyB = IdentifierSealer.generateKey()

    @Test("opens what it sealed, and only for the same row")
    func roundTrip() throws {
        let sealer = try IdentifierSealer(base64Key: IdentifierSealer.generateKey())
        let plain = Array("noah@example.de".utf8)
        let sealed = sealer.seal(plain, context: "row-1")
        #expect(!sealed.isEmpty && sealed != plain)
        #expect(try sealer.open(sealed, context: "row-1") == plain)
        #expect(throws: IdentifierSealer.SealError.cannotOpen) { try sealer.open(sealed, context: "row-2") }
        var tampered = sealed
        tampered[tampered.count / 2] ^= 1
        #expect(throws: IdentifierSealer.SealError.cannotOpen) { try sealer.open(tampered, context: "row-1") }
        let other = IdentifierSealer.ephemeral()
        #expect(throws: IdentifierSealer.SealError.cannotOpen) { try other.open(sealed, context: "row-1") }
    }

    @Test("refuses keys that are not base64 of 32 bytes", arguments: ["", "not base64!", "AAAA", String(repeating: "A", count: 64)])
    func badKeys(key: String) {
        #expect(throws: IdentifierSealer.SealError.self) { try IdentifierSealer(base64Key: key) }
    }

    @Test("a blob names the key that sealed it: 0xCB 0x01, the id's length, the id")
    func header() throws {
        let sealer = try IdentifierSealer(keys: [SealKey(id: "2026-05", base64Key: Self.keyB), SealKey(id: "default", base64Key: Self.keyA)])
        let sealed = sealer.seal(Array("x".utf8), context: "row-1")
        #expect(Array(sealed.prefix(10)) == [0xCB, 0x01, 7] + Array("2026-05".utf8))
        #expect(sealer.currentKeyID == "2026-05" && sealer.keyIDs == ["2026-05", "default"])
        #expect(sealer.isSealedUnderCurrentKey(sealed))
        // The key id is bound into the associated data: renaming it in the header breaks the blob.
        var renamed = sealed
        renamed.replaceSubrange(3..<10, with: Array("2026-06".utf8))
        #expect(throws: IdentifierSealer.SealError.cannotOpen) { try sealer.open(renamed, context: "row-1") }
    }

    @Test("the first key of a ring seals and every key opens; a ring without the sealing key cannot")
    func ring() throws {
        let old = try IdentifierSealer(keys: [SealKey(id: "a", base64Key: Self.keyA)])
        let rotated = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB), SealKey(id: "a", base64Key: Self.keyA)])
        let newOnly = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB)])
        let plain = Array(#"{"customer":{"email":"noah@example.de"}}"#.utf8)
        let underA = old.seal(plain, context: "row")
        let underB = rotated.seal(plain, context: "row")
        #expect(try rotated.open(underA, context: "row") == plain)
        #expect(try newOnly.open(underB, context: "row") == plain)
        #expect(throws: IdentifierSealer.SealError.cannotOpen) { try old.open(underB, context: "row") }
        #expect(throws: IdentifierSealer.SealError.cannotOpen) { try newOnly.open(underA, context: "row") }
        // A key renamed in the configuration still opens what it sealed.
        let renamed = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB), SealKey(id: "previous", base64Key: Self.keyA)])
        #expect(try renamed.open(underA, context: "row") == plain)
    }

    @Test("blobs sealed before key rings (nonce, ciphertext, tag; no header) still open, under any key of the ring")
    func legacyBlobs() throws {
        let plain = Array("noah@example.de".utf8)
        let box = try AES.GCM.seal(plain, using: SymmetricKey(data: try #require(Data(base64Encoded: Self.keyA))), authenticating: Array("row-1".utf8))
        let legacy = Array(try #require(box.combined))
        let ring = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB), SealKey(id: "default", base64Key: Self.keyA)])
        #expect(try ring.open(legacy, context: "row-1") == plain)
        #expect(!ring.isSealedUnderCurrentKey(legacy))
        // Re-sealing moves it under the current key, which alone then opens it.
        let resealed = try #require(try ring.reseal(legacy, context: "row-1"))
        #expect(ring.isSealedUnderCurrentKey(resealed))
        #expect(try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB)]).open(resealed, context: "row-1") == plain)
        #expect(try ring.reseal(resealed, context: "row-1") == nil)
    }

    @Test("index digests: the current key's for storing, every key's for looking up")
    func indexDigests() throws {
        let old = try IdentifierSealer(keys: [SealKey(id: "a", base64Key: Self.keyA)])
        let ring = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB), SealKey(id: "a", base64Key: Self.keyA)])
        let stored = try #require(ErasureKeys.key(.email, "Noah@Example.de", region: nil, sealer: old))
        #expect(stored.keyID == "a" && stored.digest.count == 64)
        let lookups = ErasureKeys.lookupKeys(.email, " noah@example.de ", region: nil, sealer: ring)
        #expect(lookups.map(\.keyID) == ["b", "a"])
        #expect(lookups.contains(stored))
        #expect(lookups[0].digest != stored.digest)
        #expect(ErasureKeys.lookupKeys(.email, "not an email", region: nil, sealer: ring).isEmpty)
    }

    @Test(
        "refuses a ring with a bad or duplicate id, or no key, naming the id and never the key",
        arguments: [[("", "k")], [("has space", "k")], [(String(repeating: "a", count: 33), "k")], [("a", "k"), ("a", "k")], []])
    func badRings(_ entries: [(String, String)]) {
        let keys = entries.map { SealKey(id: $0.0, base64Key: $0.1 == "k" ? Self.keyA : $0.1) }
        #expect {
            try IdentifierSealer(keys: keys)
        } throws: { error in
            !"\(error)".contains(Self.keyA)
        }
    }
}
