import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Testing

/// `PipelineHarness` (SQLite store, real `DestinationWorkers`, loopback
/// HTTP) configured with one generic-mock destination instead of Meta.
enum TikTokSnapPipeline {
    static let token = "pipeline-test-token"

    /// A harness whose only destination is `entry` (YAML lines of one
    /// `destinations:` entry, indented by two spaces, `base_url` excluded),
    /// pointed at `mock`.
    static func harness(_ mock: MockPlatformServer, entry: String) async throws -> PipelineHarness {
        let baseURL = mock.baseURL
        return try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
            \(entry)
                base_url: \(baseURL)
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        })
    }

    /// The whole audit log as one text.
    static func auditText(_ harness: PipelineHarness) throws -> String {
        try harness.auditFiles().flatMap(\.lines).joined(separator: "\n")
    }
}

@Suite("TikTok through the pipeline", .serialized)
struct TikTokPipelineTests {
    static let entry = """
          - name: tiktok
            kind: tiktok
            pixel_code: C0ABCDEF1234567890
            access_token: \(TikTokSnapPipeline.token)
        """

    @Test("a batch TikTok refuses for one event (40002 naming it): only that event is dead-lettered, the rest delivered")
    func rejectedBatch() async throws {
        let mock = try await MockPlatformServer.start(MockTikTokAPI(), options: .init(expectedToken: TikTokSnapPipeline.token))
        let harness = try await TikTokSnapPipeline.harness(mock, entry: Self.entry)
        mock.rejectEvents { $0 == "sale:tt:p-7" }
        // Given ten purchases, one of which TikTok refuses
        try await harness.post((1...10).map { PipelineHarness.purchase("sale:tt:p-\($0)") })
        // When they are prepared and delivered
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 9, "dead": 1] }
        // Then only the bad event is dead-lettered, with TikTok's code and no personal data
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "tiktok"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:tt:p-7"])
        #expect(letters.first?.code == "invalid_parameters")
        #expect(letters.first?.message.contains("TikTok 40002") == true)
        #expect(Set(mock.acceptedEventIDs) == Set((1...10).filter { $0 != 7 }.map { "sale:tt:p-\($0)" }))
        #expect(mock.acceptedEventIDs.count == 9, "nothing delivered twice")
        // And the refusal named the event, so the search went straight to it
        let refusal = try #require(mock.exchanges.first?.responseJSON?["message"]?.stringValue)
        #expect(refusal.hasPrefix("Batch.6"))
        #expect(mock.requestCount == 4)
        // And what reached TikTok was hashed, with the token in the header only
        let request = try #require(mock.exchanges.first?.request)
        #expect(request.headers["access-token"] == TikTokSnapPipeline.token)
        #expect(request.json?["data"]?[0]?["user"]?["email"]?[0] == .string(IdentifierHasher.sha256Hex("buyer@example.com")))
        #expect(request.json?["data"]?[0]?["user"]?["phone"]?[0] == .string(IdentifierHasher.sha256Hex("+16505551234")))
        #expect(request.json?["data"]?[0]?["user"]?["ip"] == .string("203.0.113.42"), "clear fields are restored for sending")
        // And the audit log holds neither the clear IP address nor the token
        let audit = try TikTokSnapPipeline.auditText(harness)
        #expect(!audit.isEmpty)
        #expect(!audit.contains("203.0.113.42"))
        #expect(!audit.contains(TikTokSnapPipeline.token))
        await harness.close()
        await mock.stop()
    }

    @Test("throttling inside an HTTP 200 (40100) holds the batch, then it is delivered")
    func throttledInside200() async throws {
        let mock = try await MockPlatformServer.start(MockTikTokAPI(), options: .init(expectedToken: TikTokSnapPipeline.token))
        let harness = try await TikTokSnapPipeline.harness(mock, entry: Self.entry)
        mock.script(.outcome(.throttled))
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:tt:t-\($0)") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 3 }
        #expect(done)
        // The retried events may be claimed again in smaller batches (each has its own backoff jitter).
        #expect(mock.requestCount >= 2)
        #expect(mock.exchanges.first?.request.json?["data"]?.arrayValue?.count == 3)
        #expect(mock.acceptedEventIDs.sorted() == ["sale:tt:t-1", "sale:tt:t-2", "sale:tt:t-3"])
        #expect(mock.exchanges.first?.responseJSON?["code"] == .number("40100"))
        #expect(try await harness.states()["dead"] == nil)
        await harness.close()
        await mock.stop()
    }
}
