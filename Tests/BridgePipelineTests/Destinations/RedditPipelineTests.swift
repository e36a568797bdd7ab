import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Testing

/// The Reddit destination in the whole pipeline: SQLite store, prepare
/// stage, real `DestinationWorkers` sending over loopback to `MockRedditAPI`.
@Suite("Delivery to Reddit over loopback", .serialized)
struct RedditPipelineTests {
    static let token = "pipeline-reddit-token"

    /// A harness whose only destination is Reddit, pointed at `mock`.
    func harness(_ mock: MockPlatformServer) async throws -> PipelineHarness {
        let url = mock.baseURL
        return try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: reddit
                kind: reddit
                pixel_id: t2_abc123
                access_token: \(Self.token)
                base_url: \(url)
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        })
    }

    @Test("a batch Reddit refuses for one bad event is bisected: only that event is dead-lettered, the rest delivered")
    func wholeBatchRejection() async throws {
        let mock = try await MockPlatformServer.start(MockRedditAPI(), options: .init(expectedToken: Self.token))
        let harness = try await harness(mock)
        mock.rejectEvents { $0 == "sale:t:rdt-7" }
        // Given ten purchases, one of which Reddit refuses
        try await harness.post((1...10).map { PipelineHarness.purchase("sale:t:rdt-\($0)") })
        // When they are prepared and delivered
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 9, "dead": 1] }
        // Then the whole batch was refused first, and only the bad event ends as a dead letter
        #expect(done)
        #expect(mock.exchanges.first?.status == 400)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "reddit"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:t:rdt-7"])
        #expect(letters.first?.code == "invalid_parameters")
        #expect(Set(mock.acceptedEventIDs).count == 9)
        #expect(!mock.acceptedEventIDs.contains("sale:t:rdt-7"))
        // And Reddit received hashed match keys (the IP too) and event_at in milliseconds
        let event = try #require(mock.exchanges.first?.request.json?["data"]?["events"]?[0])
        #expect(event["user"]?["email"] == .string(IdentifierHasher.sha256Hex("buyer@example.com")))
        #expect(event["user"]?["phone_number"] == .string(IdentifierHasher.sha256Hex("+16505551234")))
        #expect(event["user"]?["ip_address"] == .string(IdentifierHasher.sha256Hex("203.0.113.42")))
        #expect(event["user"]?["user_agent"] == .string("Mozilla/5.0 (test)"), "clear fields are restored for sending")
        #expect((event["event_at"]?.numberText.flatMap { Int64($0) } ?? 0) > 1_000_000_000_000)
        await harness.close()
        await mock.stop()
    }

    @Test("auth failure dead-letters and pauses the destination")
    func authFailure() async throws {
        let mock = try await MockPlatformServer.start(MockRedditAPI(), options: .init(expectedToken: "another-token"))
        let harness = try await harness(mock)
        try await harness.post([PipelineHarness.purchase("sale:t:rdt-auth")])
        try await harness.prepareAll()
        let dead = try await harness.deliverUntil { try await harness.states()["dead"] == 1 }
        #expect(dead)
        if case .paused = harness.workers.breakerStatus {} else { Issue.record("expected the destination to be paused") }
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "reddit"), limit: 1)
        #expect(letters.first?.code == "auth_failed")
        await harness.close()
        await mock.stop()
    }
}
