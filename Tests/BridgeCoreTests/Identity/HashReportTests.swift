import Testing

@testable import BridgeCore

@Suite("capi-bridge hash report")
struct HashReportTests {
    @Test("one row per platform, with normalized value and hash or drop reason")
    func allPlatforms() throws {
        let report = HashReport(field: .phone, value: "0151 2345 6789", platforms: Platform.allCases, region: "DE")
        #expect(report.rows.map(\.platform) == Platform.allCases)
        let meta = try #require(report.rows.first { $0.platform == .meta })
        #expect(meta.normalized == "4915123456789")
        #expect(meta.wireValue == IdentifierHasher.sha256Hex("4915123456789"))
        let linkedin = try #require(report.rows.first { $0.platform == .linkedin })
        #expect(linkedin.dropReason == .notSentToPlatform)
        let text = report.text()
        #expect(text.contains("meta"))
        #expect(text.contains("+4915123456789"))
        #expect(text.contains("not_sent_to_platform"))
        #expect(text.split(separator: "\n").count == 3 + Platform.allCases.count)
    }

    @Test("JSON carries the same content and parses back")
    func json() throws {
        let report = HashReport(field: .postalCode, value: "94025-1234", platforms: [.meta, .google], region: "US")
        let parsed = try JSONParser.parse(Array(report.json().utf8))
        #expect(parsed["field"]?.stringValue == "postal_code")
        let results = try #require(parsed["results"]?.arrayValue)
        #expect(results.count == 2)
        #expect(results[0]["normalized"]?.stringValue == "94025")
        #expect(results[0]["encoding"]?.stringValue == "sha256")
        #expect(results[1]["value"]?.stringValue == "94025-1234")
        #expect(results[1]["encoding"]?.stringValue == "clear")
    }
}
