import BridgeCore
import Testing

@Suite("TC string decoder")
struct TCStringTests {
    /// The example of the IAB's "Consent string and vendor list formats v2".
    static let iabExample = "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA"

    @Test("decodes the IAB example's core, disclosed vendors and publisher TC segments")
    func decodesIABExample() throws {
        let tc = try TCString(decoding: Self.iabExample)
        #expect(tc.version == 2)
        #expect(tc.consentLanguage == "EN")
        #expect(tc.segmentTypes == [.disclosedVendors, .publisherTC])
        #expect(tc.disclosedVendors != nil)
        #expect(tc.publisherTC != nil)
        #expect(tc.unknownSegmentTypes.isEmpty)
    }

    @Test("reads Created and LastUpdated as deciseconds")
    func timestampsAreDeciseconds() throws {
        var writer = SextetWriter()
        writer.int(2, 6)
        writer.int(16_899_840_000, 36)  // 2023-07-22T00:00:00Z, day-rounded as TCF 2.2 asks
        writer.int(16_899_840_005, 36)  // half a second later
        writer.int(0, 12 + 12 + 6)
        writer.int(4, 6)
        writer.int(13, 6)  // "EN"
        writer.int(0, 12 + 6 + 1 + 1 + 12 + 24 + 24 + 1)
        writer.int(3, 6)
        writer.int(4, 6)  // "DE"
        writer.int(0, 17 + 17 + 12)  // empty vendor sections, no restrictions
        let tc = try TCString(decoding: writer.encoded)
        #expect(tc.created == Timestamp(millisecondsSinceEpoch: 1_689_984_000_000))
        #expect(tc.created.rfc3339 == "2023-07-22T00:00:00Z")
        #expect(tc.lastUpdated.millisecondsSinceEpoch == 1_689_984_000_500)
    }

    @Test("stores a whole-range vendor entry as one range, not 65,535 ids")
    func hostileRangeStaysCheap() throws {
        var writer = SextetWriter()
        writer.int(2, 6)
        writer.int(0, 36 * 2)
        writer.int(0, 12 + 12 + 6)
        writer.int(4, 6)
        writer.int(13, 6)  // "EN"
        writer.int(0, 12 + 6 + 1 + 1 + 12 + 24 + 24 + 1)
        writer.int(3, 6)
        writer.int(4, 6)  // "DE"
        writer.int(65_535, 16)
        writer.int(1, 1)  // range encoding
        writer.int(1, 12)
        writer.int(1, 1)
        writer.int(1, 16)
        writer.int(65_535, 16)
        writer.int(0, 16 + 1)  // empty LI bit field
        writer.int(0, 12)  // no restrictions
        let tc = try TCString(decoding: writer.encoded)
        #expect(tc.vendorConsents.ranges == [1...65_535])
        #expect(tc.vendorConsents.contains(755))
        #expect(!tc.vendorConsents.contains(0))
        #expect(tc.publisherCountryCode == "DE")
    }

    @Test("rejects a TCF v1.1 string as an unsupported version")
    func rejectsVersionOne() {
        #expect(throws: TCStringError.unsupportedVersion(1)) {
            try TCString(decoding: "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA")
        }
    }

    @Test("names the field and bit where a string is truncated")
    func truncationNamesFieldAndBit() {
        #expect(throws: TCStringError.truncated(field: "Created", segment: 0, atBit: 6)) {
            try TCString(decoding: "CQSb")
        }
    }

    @Test("rejects characters outside Base64 URL and empty input")
    func rejectsBadCharactersAndEmpty() {
        #expect(throws: TCStringError.invalidCharacter("!", segment: 0, position: 2)) {
            try TCString(decoding: "CQ!bk4AQ")
        }
        #expect(throws: TCStringError.empty) { try TCString(decoding: "   ") }
        #expect(throws: TCStringError.emptySegment(index: 1)) { try TCString(decoding: "CQSbk4AQ..YA") }
    }

    @Test("accepts the standard Base64 alphabet and padding as aliases")
    func acceptsStandardAlphabet() throws {
        let url = try TCString(decoding: "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA")
        let standard = try TCString(decoding: "CPXxRfAPXxRfAAfKABENB+CgAAAAAAAAAAYgAAAAAAAA==")
        #expect(url == standard)
    }

    @Test("rejects strings over the length limit without decoding them")
    func rejectsHugeInput() {
        let huge = String(repeating: "A", count: TCString.maximumLength + 1)
        #expect(throws: TCStringError.tooLong(length: TCString.maximumLength + 1, limit: TCString.maximumLength)) {
            try TCString(decoding: huge)
        }
    }

    @Test("error descriptions say what to fix")
    func errorDescriptions() {
        #expect(TCStringError.unsupportedVersion(1).description.contains("TCF v2"))
        #expect(TCStringError.truncated(field: "Created", segment: 0, atBit: 6).description.contains("bit 6"))
    }
}
