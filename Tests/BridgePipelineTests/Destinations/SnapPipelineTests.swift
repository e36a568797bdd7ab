import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Testing

@Suite("Snap through the pipeline", .serialized)
struct SnapPipelineTests {
    static let pixelID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    static let entry = """
          - name: snapchat
            kind: snapchat
            pixel_id: \(pixelID)
            access_token: \(TikTokSnapPipeline.token)
        """

    func start() async throws -> MockPlatformServer {
        try await MockPlatformServer.start(MockSnapAPI(pixelID: Self.pixelID), options: .init(expectedToken: TikTokSnapPipeline.token))
    }

    @Test("a batch Snap refuses as INVALID naming one event: only that event is dead-lettered, the rest delivered")
    func rejectedBatch() async throws {
        let mock = try await start()
        let harness = try await TikTokSnapPipeline.harness(mock, entry: Self.entry)
        mock.rejectEvents { $0 == "sale:sc:p-3" }
        // Given ten purchases, one of which Snap refuses
        try await harness.post((1...10).map { PipelineHarness.purchase("sale:sc:p-\($0)") })
        // When they are prepared and delivered
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 9, "dead": 1] }
        // Then only the bad event is dead-lettered
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "snapchat"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:sc:p-3"])
        #expect(letters.first?.code == "invalid_parameters")
        #expect(letters.first?.message.hasPrefix("Snap INVALID") == true)
        #expect(Set(mock.acceptedEventIDs) == Set((1...10).filter { $0 != 3 }.map { "sale:sc:p-\($0)" }))
        #expect(mock.acceptedEventIDs.count == 9, "nothing delivered twice")
        #expect(mock.exchanges.first?.responseJSON?["event"] == .number("2"))
        #expect(mock.requestCount == 4)
        // And what reached Snap was hashed per Snap's rules, the token only in the query
        let request = try #require(mock.exchanges.first?.request)
        #expect(request.query["access_token"] == TikTokSnapPipeline.token)
        #expect(request.json?["data"]?[0]?["user_data"]?["ph"]?[0] == .string(IdentifierHasher.sha256Hex("16505551234")))
        #expect(request.json?["data"]?[0]?["user_data"]?["country"]?[0] == .string(IdentifierHasher.sha256Hex("us")))
        // And the audit log holds neither the clear IP address nor the token
        let audit = try TikTokSnapPipeline.auditText(harness)
        #expect(!audit.isEmpty)
        #expect(!audit.contains("203.0.113.42"))
        #expect(!audit.contains(TikTokSnapPipeline.token))
        await harness.close()
        await mock.stop()
    }

    @Test("a refused token dead-letters the batch as auth_failed and sends nothing more")
    func authFailure() async throws {
        let mock = try await MockPlatformServer.start(MockSnapAPI(pixelID: Self.pixelID), options: .init(expectedToken: "another-token"))
        let harness = try await TikTokSnapPipeline.harness(mock, entry: Self.entry)
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:sc:a-\($0)") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil(timeout: .seconds(5)) { try await harness.states()["dead"] == 3 }
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "snapchat"), limit: 10)
        #expect(Set(letters.map(\.code)) == ["auth_failed"])
        #expect(mock.requestCount == 1, "no bisection on an auth failure")
        await harness.close()
        await mock.stop()
    }
}
