import BridgeCore
import Testing

@Suite("US Privacy string")
struct USPrivacyStringTests {
    @Test(
        "decodes the version, notice, opt-out of sale and LSPA flags",
        arguments: [
            ("1YNN", USPrivacyString.Flag.yes, USPrivacyString.Flag.no, USPrivacyString.Flag.no, false),
            ("1YYY", .yes, .yes, .yes, true),
            ("1---", .notApplicable, .notApplicable, .notApplicable, false),
            ("1nyn", .no, .yes, .no, true),
            (" 1YYN ", .yes, .yes, .no, true),
        ]
    )
    func decodes(
        text: String, notice: USPrivacyString.Flag, optOut: USPrivacyString.Flag,
        lspa: USPrivacyString.Flag, optedOut: Bool
    ) throws {
        let usp = try USPrivacyString(decoding: text)
        #expect(usp.version == 1)
        #expect(usp.notice == notice)
        #expect(usp.optOutOfSale == optOut)
        #expect(usp.lspaCovered == lspa)
        #expect(usp.hasOptedOut == optedOut)
    }

    @Test("rejects malformed strings with a typed error")
    func rejectsMalformed() {
        #expect(throws: USPrivacyStringError.wrongLength(3)) { try USPrivacyString(decoding: "1YN") }
        #expect(throws: USPrivacyStringError.wrongLength(0)) { try USPrivacyString(decoding: "") }
        #expect(throws: USPrivacyStringError.unsupportedVersion(2)) { try USPrivacyString(decoding: "2YNN") }
        #expect(throws: USPrivacyStringError.invalidCharacter("X", position: 0)) { try USPrivacyString(decoding: "XYNN") }
        #expect(throws: USPrivacyStringError.invalidCharacter("Q", position: 2)) { try USPrivacyString(decoding: "1YQN") }
    }
}
