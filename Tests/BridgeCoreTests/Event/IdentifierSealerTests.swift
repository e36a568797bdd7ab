import BridgeCore
import Testing

@Suite("Sealing raw identifiers")
struct IdentifierSealerTests {
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
}
