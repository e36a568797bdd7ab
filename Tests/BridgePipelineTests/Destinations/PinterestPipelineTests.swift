import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Testing

/// The Pinterest destination in the whole pipeline: SQLite store, prepare
/// stage, real `DestinationWorkers` sending over loopback to `MockPinterestAPI`.
@Suite("Delivery to Pinterest over loopback", .serialized)
struct PinterestPipelineTests {
    static let token = "pipeline-pinterest-token"

    /// A harness whose only destination is Pinterest, pointed at `mock`.
    func harness(_ mock: MockPlatformServer) async throws -> PipelineHarness {
        let url = mock.baseURL
        return try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: pinterest
                kind: pinterest
                ad_account_id: "549755885175"
                access_token: \(Self.token)
                base_url: \(url)
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        })
    }

    @Test("a batch with one bad event: Pinterest fails it alone, only it is dead-lettered, the rest delivered in one request")
    func perEventFailure() async throws {
        let mock = try await MockPlatformServer.start(MockPinterestAPI(), options: .init(expectedToken: Self.token))
        let harness = try await harness(mock)
        mock.rejectEvents { $0 == "sale:t:pin-7" }
        // Given ten purchases
        try await harness.post((1...10).map { PipelineHarness.purchase("sale:t:pin-\($0)") })
        // When they are prepared and delivered
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 9, "dead": 1] }
        // Then only the bad event is a dead letter, with Pinterest's message
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "pinterest"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:t:pin-7"])
        #expect(letters.first?.code == "invalid_parameters")
        #expect(letters.first?.message.contains("refused by the mock") == true)
        #expect(Set(mock.acceptedEventIDs).count == 9)
        #expect(mock.requestCount == 1, "per-event results need no bisection")
        // And what Pinterest received is hashed, with the clear fields restored for sending
        let request = try #require(mock.exchanges.first?.request)
        #expect(mock.exchanges.first?.problems.filter { $0.kind != .event }.isEmpty == true)
        let userData = try #require(request.json?["data"]?[0]?["user_data"])
        #expect(userData["em"]?[0] == .string(IdentifierHasher.sha256Hex("buyer@example.com")))
        #expect(userData["ph"]?[0] == .string(IdentifierHasher.sha256Hex("16505551234")))
        #expect(userData["client_ip_address"] == .string("203.0.113.42"))
        await harness.close()
        await mock.stop()
    }

    @Test("429 code 8, then success: the events are held, then each delivered once")
    func throttled() async throws {
        let mock = try await MockPlatformServer.start(MockPinterestAPI(), options: .init(expectedToken: Self.token))
        let harness = try await harness(mock)
        mock.script(.outcome(.throttled))
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:t:pin-th-\($0)") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 3 }
        #expect(done)
        #expect(mock.exchanges.first?.status == 429)
        #expect(mock.exchanges.first?.responseJSON?["code"] == .number("8"))
        #expect(mock.requestCount >= 2)
        // Each event accepted exactly once (retries are rescheduled per event, so they may travel in several requests).
        #expect(mock.acceptedEventIDs.count == 3 && Set(mock.acceptedEventIDs).count == 3)
        await harness.close()
        await mock.stop()
    }
}
