import BridgeCore
import Testing

@Suite("GPP string decoder")
struct GPPStringTests {
    static let tcfExample = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"

    @Test(
        "decodes the header examples of the GPP specification",
        arguments: [
            ("DBABM~" + tcfExample, [2]),
            ("DBACNY~" + tcfExample + "~1YNN", [2, 6]),
            ("DBABjw~" + tcfExample + "~1YNN", [5, 6]),
        ]
    )
    func decodesSpecHeaders(text: String, ids: [Int]) throws {
        let gpp = try GPPString(decoding: text)
        #expect(gpp.version == 1)
        #expect(gpp.sectionIDs == ids)
        #expect(gpp.sections.map(\.id) == ids)
    }

    @Test("decodes the tcfeuv2 section with the TC decoder and uspv1 as a US Privacy string")
    func decodesTCFAndUSPSections() throws {
        let gpp = try GPPString(decoding: "DBACNY~" + Self.tcfExample + "~1YYN")
        let tc = try #require(gpp.tcString)
        #expect(tc == (try TCString(decoding: Self.tcfExample)))
        #expect(gpp.sections[1] == .usPrivacy(try USPrivacyString(decoding: "1YYN")))
        #expect(gpp.hasOptOut(honoringGPC: true))
    }

    @Test("reports the Canadian TCF section as unsupported, never as a grant")
    func canadianSectionIsUnsupported() throws {
        let gpp = try GPPString(decoding: "DBABjw~" + Self.tcfExample + "~1YNN")
        #expect(gpp.sections[0] == .unsupported(id: 5))
        #expect(gpp.tcString == nil)
        #expect(!gpp.hasOptOut(honoringGPC: true))
    }

    /// Every section of iabgpp-es's GppModel test, at default values.
    static let allSections =
        "DBACOcGA~CPSG_8APSG_8ANwAAAENAAFgAAAAAAAAAAAAAAAAAAAA.IAAA.YAAAAAAAAAAA~BPSG_8APSG_8AAAAAAENAACAAAAAAAAAAAAAAAAAAA.YAAAAAAAAAA~1---~BAAAAAAAAQA.QA~BAAAAABA.QA~BAAAABA~BAAAAEA.QA~BAAAAAQA~BAAAAAEA.QA~BAAAAABA~BAAAAABA.QA~BAAAAAABAA.QA~BAAAAAQA.QA~BAAAAAABAA.QA~BAAAAAQA.QA~BAAAAAQA.QA~BAAAAABA.QA~BAAAAAAAQA.QA~BAAAAAQA.QA~BAAAAAQA.QA~BQAA.QA~BQAA.AAA~BQAA.AAA~BQAA.AAA"

    @Test("decodes every US state section of the reference model, with no opt-out")
    func decodesAllStateSections() throws {
        let gpp = try GPPString(decoding: Self.allSections)
        #expect(gpp.sectionIDs == [2, 5, 6] + Array(7...27))
        #expect(gpp.tcString != nil)
        for section in gpp.sections {
            switch section {
            case .us(let us):
                #expect(GPPUSSection.supportedIDs.contains(us.id))
                #expect(us.version == 1)
                #expect(us.saleOptOut == .notApplicable)
                #expect(us.mspaCoveredTransaction == 1, "section \(us.name)")
                #expect(!us.hasOptedOut)
            case .unsupported(let id):
                #expect(id == 5 || (24...27).contains(id))
            case .tcfEuV2, .usPrivacy:
                continue
            case .invalid(let id, let error):
                Issue.record("section \(id) failed: \(error)")
            }
        }
        #expect(!gpp.hasOptOut(honoringGPC: true))
    }

    @Test("reads usnat opt-outs of sale, sharing and targeted advertising")
    func readsUSNatOptOuts() throws {
        let header = SextetWriter.gppHeader([7])
        let saleOnly = try GPPString(decoding: header + "~" + SextetWriter.usnat(sale: 1, sharing: 2, targeted: 2))
        guard case .us(let us) = saleOnly.sections[0] else {
            Issue.record("expected a US section")
            return
        }
        #expect(us.name == "usnat")
        #expect(us.version == 2)
        #expect(us.saleOptOut == .optedOut)
        #expect(us.sharingOptOut == .didNotOptOut)
        #expect(us.targetedAdvertisingOptOut == .didNotOptOut)
        #expect(us.gpc == nil)
        #expect(saleOnly.hasOptOut(honoringGPC: false))

        let none = try GPPString(decoding: header + "~" + SextetWriter.usnat(sale: 2, sharing: 2, targeted: 2))
        #expect(!none.hasOptOut(honoringGPC: true))
        let targeted = try GPPString(decoding: header + "~" + SextetWriter.usnat(sale: 2, sharing: 2, targeted: 1))
        #expect(targeted.hasOptOut(honoringGPC: false))
    }

    @Test("reads the GPC subsection, honoured only when asked")
    func readsGPCSubsection() throws {
        let text =
            SextetWriter.gppHeader([7]) + "~" + SextetWriter.usnat(sale: 2, sharing: 2, targeted: 2)
            + "." + SextetWriter.gpcSubsection(true)
        let gpp = try GPPString(decoding: text)
        guard case .us(let us) = gpp.sections[0] else {
            Issue.record("expected a US section")
            return
        }
        #expect(us.gpc == true)
        #expect(gpp.hasOptOut(honoringGPC: true))
        #expect(!gpp.hasOptOut(honoringGPC: false))
    }

    @Test("decodes usnat version 1 and version 2 layouts from the reference tests")
    func decodesUSNatVersions() throws {
        for core in ["BAAAVVVVUQA.QA", "CAAAVVVVAFBA.QA", "CAAAVVVVVVRA.QA", "CVVVkkkkkpFY.YA", "CVQqAAAACg"] {
            let gpp = try GPPString(decoding: "DBABLA~" + core)
            guard case .us(let us) = gpp.sections[0] else {
                Issue.record("\(core) did not decode: \(gpp.sections[0])")
                continue
            }
            #expect(us.id == 7)
        }
        let reference = try GPPString(decoding: "DBABLA~CVVVkkkkkpFY.YA")
        guard case .us(let us) = reference.sections[0] else { return }
        #expect(us.saleOptOut == .optedOut)
        #expect(us.sharingOptOut == .optedOut)
        #expect(us.targetedAdvertisingOptOut == .optedOut)
        #expect(us.gpc == true)
    }

    @Test("reads the California section's sale and sharing opt-outs")
    func readsCalifornia() throws {
        let gpp = try GPPString(decoding: SextetWriter.gppHeader([8]) + "~BVWSSSVY.YA")
        guard case .us(let us) = gpp.sections[0] else {
            Issue.record("expected a US section")
            return
        }
        #expect(us.name == "usca")
        #expect(us.saleOptOut == .optedOut)
        #expect(us.sharingOptOut == .optedOut)
        #expect(us.targetedAdvertisingOptOut == nil)
        #expect(us.gpc == true)
    }

    @Test("keeps a bad section from hiding the others")
    func badSectionIsIsolated() throws {
        let header = SextetWriter.gppHeader([2, 6, 7])
        let gpp = try GPPString(decoding: header + "~CQ~1YNX~" + SextetWriter.usnat(sale: 1, sharing: 2, targeted: 2))
        guard case .invalid(2, .tcfSection) = gpp.sections[0] else {
            Issue.record("expected an invalid tcfeuv2 section, got \(gpp.sections[0])")
            return
        }
        #expect(gpp.sections[1] == .invalid(id: 6, error: .usPrivacySection(.invalidCharacter("X", position: 3))))
        #expect(gpp.hasOptOut(honoringGPC: false))
    }

    @Test("rejects malformed headers with a typed error")
    func rejectsMalformedHeaders() {
        #expect(throws: GPPStringError.empty) { try GPPString(decoding: "") }
        #expect(throws: GPPStringError.notAGPPHeader(type: 2)) { try GPPString(decoding: Self.tcfExample) }
        #expect(throws: GPPStringError.sectionCountMismatch(declared: 2, found: 1)) {
            try GPPString(decoding: "DBACNY~1YNN")
        }
        #expect(throws: GPPStringError.sectionCountMismatch(declared: 1, found: 2)) {
            try GPPString(decoding: "DBABM~" + Self.tcfExample + "~1YNN")
        }
        #expect(throws: GPPStringError.invalidCharacter("*", section: 0, position: 1)) {
            try GPPString(decoding: "D*ABM~1YNN")
        }
        #expect(throws: GPPStringError.truncated(field: "Sections.NumEntries", section: 0, atBit: 12)) {
            try GPPString(decoding: "DB~1YNN")
        }
    }

    @Test("stops expanding a hostile section range at the number of sections present")
    func hostileRangeIsBounded() {
        var writer = SextetWriter()
        writer.int(3, 6)
        writer.int(1, 6)
        writer.int(1, 12)
        writer.int(1, 1)  // a group
        writer.fibonacci(1)
        writer.fibonacci(1_000_000)
        #expect(throws: GPPStringError.sectionCountMismatch(declared: 1_000_001, found: 1)) {
            try GPPString(decoding: writer.encoded + "~1YNN")
        }
    }
}
