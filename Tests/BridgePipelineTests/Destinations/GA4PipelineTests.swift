import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Testing

/// The GA4 destination inside the whole pipeline: a claimed batch goes out
/// as one Measurement Protocol request per event (one user per request).
@Suite("GA4 through the pipeline", .serialized)
struct GA4PipelineTests {
    static let secret = "ga4-pipeline-secret"

    static func harness(_ mock: MockPlatformServer, extra: String = "") async throws -> PipelineHarness {
        let url = mock.baseURL
        return try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: ga4
                kind: ga4
                measurement_id: G-PIPE12345
                api_secret: \(secret)
                base_url: \(url)
                \(extra)
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        })
    }

    @Test("five purchases: one batch, five requests of one event each, each user's own client_id; clear fields digested in the audit")
    func oneRequestPerEvent() async throws {
        let mock = try await MockPlatformServer.start(MockGA4API(), options: .init(expectedToken: Self.secret))
        let harness = try await Self.harness(mock)
        try await harness.post((1...5).map { PipelineHarness.purchase("sale:ga:\($0)", email: "buyer\($0)@example.com") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 5 }
        #expect(done)
        #expect(mock.requestCount == 5)
        #expect(mock.exchanges.allSatisfy { $0.problems.isEmpty && $0.request.json?["events"]?.arrayValue?.count == 1 })
        #expect(Set(mock.acceptedEventIDs) == Set((1...5).map { "sale:ga:\($0)" }))
        let emails = Set(mock.exchanges.compactMap { $0.request.json?["user_data"]?["sha256_email_address"]?[0]?.stringValue })
        #expect(emails == Set((1...5).map { IdentifierHasher.sha256Hex("buyer\($0)@example.com") }))
        let clientIDs = Set(mock.exchanges.compactMap { $0.request.json?["client_id"]?.stringValue })
        #expect(clientIDs.count == 5)
        #expect(mock.exchanges.allSatisfy { $0.request.json?["ip_override"] == .string("203.0.113.42") }, "clear fields restored for sending")
        let audit = try harness.auditFiles().flatMap(\.lines).joined(separator: "\n")
        #expect(audit.contains("sale:ga:1"))
        #expect(!audit.contains("203.0.113.42"))
        for clientID in clientIDs { #expect(!audit.contains(clientID)) }
        #expect(!audit.contains(Self.secret))
        await harness.close()
        await mock.stop()
    }

    @Test("validate_only: the validation server's refusal dead-letters that event alone")
    func validationDeadLetter() async throws {
        let mock = try await MockPlatformServer.start(MockGA4API(), options: .init(expectedToken: Self.secret))
        mock.rejectEvents { $0 == "sale:ga:v2" }
        let harness = try await Self.harness(mock, extra: "validate_only: true")
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:ga:v\($0)") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 2, "dead": 1] }
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "ga4"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:ga:v2"])
        #expect(mock.exchanges.allSatisfy { $0.request.path == "/debug/mp/collect" })
        #expect(mock.requestCount == 3)
        await harness.close()
        await mock.stop()
    }
}
