import Testing

@testable import BridgeCore

@Suite("Identifier normalization matches the platform SDKs and docs")
struct SDKConformanceTests {
    @Test("the vector file is present and covers at least 150 tricky inputs")
    func vectorFileLoads() throws {
        let file = try IdentifierVectorFile.load()
        #expect(file.inputs >= 150)
        #expect(file.vectors.count >= 500)
        #expect(!file.published.isEmpty)
    }

    @Test("every SDK vector: the project's result equals the expected one", arguments: IdentifierVectorFile.shared.vectors)
    func vector(_ v: IdentifierVector) throws {
        let platform = try #require(Platform(rawValue: v.platform))
        let field = try #require(CustomerField(rawValue: v.field))
        let result = IdentifierNormalizer.normalize(field, v.input, for: platform, region: v.region)
        let prepared = IdentifierPreparer.prepare(field, v.input, for: platform, region: v.region)
        if let dropped = v.expected.dropped {
            #expect(result == .dropped(try #require(DropReason(rawValue: dropped))))
            #expect(prepared.value == nil)
            return
        }
        #expect(result == .value(try #require(v.expected.normalized)))
        let sent = try #require(prepared.value)
        #expect(sent.wireValue == v.expected.wire)
        #expect(sent.encoding.rawValue == v.expected.encoding)
    }

    @Test("where the SDK agrees (no deviation recorded), the project's output equals the SDK's",
          arguments: IdentifierVectorFile.shared.vectors.filter { $0.sdk != nil && $0.deviation == nil })
    func agreesWithSDK(_ v: IdentifierVector) throws {
        let sdk = try #require(v.sdk)
        let platform = try #require(Platform(rawValue: v.platform))
        let field = try #require(CustomerField(rawValue: v.field))
        let prepared = IdentifierPreparer.prepare(field, v.input, for: platform, region: v.region)
        if sdk.error != nil {
            #expect(prepared.value == nil, "the SDK rejects this input; the project must drop it")
            return
        }
        let sent = try #require(prepared.value)
        if let hash = sdk.hash {
            #expect(sent.wireValue == hash)
        } else {
            #expect(sent.wireValue == sdk.normalized)
        }
    }

    @Test("every deviation from an SDK is explained")
    func deviationsAreExplained() {
        for v in IdentifierVectorFile.shared.vectors where v.expected_source == "platform-doc" && v.sdk != nil {
            #expect(!(v.deviation ?? "").isEmpty, "\(v)")
        }
    }

    @Test("platform-published vectors", arguments: IdentifierVectorFile.shared.published)
    func published(_ v: PublishedVector) throws {
        let platform = try #require(Platform(rawValue: v.platform))
        let field = try #require(CustomerField(rawValue: v.field))
        #expect(IdentifierNormalizer.normalize(field, v.input, for: platform, region: v.region) == .value(v.normalized))
        #expect(IdentifierHasher.sha256Hex(v.normalized) == v.sha256)
        #expect(IdentifierPreparer.prepare(field, v.input, for: platform, region: v.region).value?.wireValue == v.sha256)
    }
}
