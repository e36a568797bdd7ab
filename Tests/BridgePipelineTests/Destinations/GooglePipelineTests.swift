import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Synchronization
import Testing
import _CryptoExtras

/// The Google destinations through the whole delivery pipeline: SQLite
/// store, real `DestinationWorkers` with their access-token cache, loopback
/// HTTP to the mock API and token endpoint.
@Suite("Google destinations through the pipeline", .serialized)
struct GooglePipelineTests {
    static let developerToken = "dev-token-pipeline-1"

    @Test("Data Manager: a batch refused for one named event ends with only that event dead-lettered, the rest delivered")
    func rejectedBatch() async throws {
        let harness = try await GooglePipelineHarness.start(MockGoogleDataManagerAPI(), kind: "google", destination: GooglePipelineHarness.dataManagerEntry())
        harness.mock.rejectEvents { $0 == "sale:g:4" }
        try await harness.postAndPrepare((1...8).map { "sale:g:\($0)" })
        let done = try await harness.pipeline.deliverUntil { try await harness.pipeline.states() == ["delivered": 7, "dead": 1] }
        #expect(done)
        let letters = try await harness.pipeline.store.deadLetters(DeadLetterFilter(destination: "google"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:g:4"])
        #expect(letters.first?.code == "invalid_parameters")
        #expect(Set(harness.mock.acceptedEventIDs) == Set((1...8).filter { $0 != 4 }.map { "sale:g:\($0)" }))
        // The named suspect is isolated without halving: the batch, before it, after it, itself.
        #expect(harness.mock.requestCount == 4)
        // Sent hashed, with the clear fields restored from the seal.
        let event = try #require(harness.mock.exchanges.first?.request.json?["events"]?[0])
        #expect(event["userData"]?["userIdentifiers"]?[0]?["emailAddress"] == .string(IdentifierHasher.sha256Hex("buyer@example.com")))
        #expect(event["adIdentifiers"]?["landingPageDeviceInfo"]?["ipAddress"] == .string("203.0.113.42"))
        await harness.close()
    }

    @Test("Google Ads: per-row failure dead-letters only that row, in one request")
    func adsPartialFailure() async throws {
        let harness = try await GooglePipelineHarness.start(
            MockGoogleAdsAPI(developerToken: Self.developerToken), kind: "google_ads", name: "google-ads",
            destination: GooglePipelineHarness.adsEntry(developerToken: Self.developerToken))
        harness.mock.rejectEvents { $0 == "sale:a:2" }
        try await harness.postAndPrepare((1...5).map { "sale:a:\($0)" })
        let done = try await harness.pipeline.deliverUntil { try await harness.pipeline.states() == ["delivered": 4, "dead": 1] }
        #expect(done)
        let letters = try await harness.pipeline.store.deadLetters(DeadLetterFilter(destination: "google-ads"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:a:2"])
        #expect(harness.mock.requestCount == 1)
        #expect(harness.mock.exchanges.first?.request.headers["developer-token"] == Self.developerToken)
        await harness.close()
    }

    @Test("one token serves many batches")
    func oneTokenManyBatches() async throws {
        let harness = try await GooglePipelineHarness.start(
            MockGoogleDataManagerAPI(), kind: "google", destination: GooglePipelineHarness.dataManagerEntry(extra: ["max_events_per_request: 2"]))
        try await harness.postAndPrepare((1...6).map { "sale:m:\($0)" })
        let done = try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 6 }
        #expect(done)
        #expect(harness.mock.requestCount == 3)
        #expect(harness.mock.tokenRequests == 1)
        #expect(Set(harness.mock.exchanges.compactMap(\.request.bearerToken)) == ["mock-access-token-1"])
        await harness.close()
    }

    @Test("a token near expiry is replaced before it is used")
    func refreshBeforeExpiry() async throws {
        // Tokens live 2 s, so the cache replaces them after 1 s (half the lifetime).
        let harness = try await GooglePipelineHarness.start(
            MockGoogleDataManagerAPI(), oauth: MockOAuthOptions(lifetimeSeconds: 2), kind: "google",
            destination: GooglePipelineHarness.dataManagerEntry())
        try await harness.postAndPrepare(["sale:e:1"])
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 1 })
        try await Task.sleep(for: .milliseconds(1200))
        try await harness.postAndPrepare(["sale:e:2"])
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 2 })
        #expect(harness.mock.tokenRequests == 2)
        #expect(harness.mock.exchanges.map(\.status) == [200, 200], "the old token was never sent once due")
        #expect(harness.mock.exchanges.map(\.request.bearerToken) == ["mock-access-token-1", "mock-access-token-2"])
        await harness.close()
    }

    @Test("a revoked token is replaced and the batch still delivered")
    func revokedToken() async throws {
        let harness = try await GooglePipelineHarness.start(MockGoogleDataManagerAPI(), kind: "google", destination: GooglePipelineHarness.dataManagerEntry())
        try await harness.postAndPrepare(["sale:r:1"])
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 1 })
        harness.mock.revokeTokens()
        try await harness.postAndPrepare(["sale:r:2", "sale:r:3"])
        let done = try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 3 }
        #expect(done)
        #expect(try await harness.pipeline.states()["dead", default: 0] == 0)
        #expect(harness.mock.exchanges.map(\.status) == [200, 401, 200])
        #expect(harness.mock.tokenRequests == 2)
        if case .paused = harness.pipeline.workers.breakerStatus { Issue.record("a replaced token must not pause the destination") }
        await harness.close()
    }

    @Test("a refused refresh token pauses the destination with auth_failed")
    func refusedRefreshToken() async throws {
        let harness = try await GooglePipelineHarness.start(
            MockGoogleDataManagerAPI(), kind: "google",
            destination: GooglePipelineHarness.dataManagerEntry(credentials: GooglePipelineHarness.refreshCredentials(refreshToken: "1//revoked")))
        try await harness.postAndPrepare(["sale:x:1", "sale:x:2"])
        let dead = try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["dead"] == 2 }
        #expect(dead)
        let letters = try await harness.pipeline.store.deadLetters(DeadLetterFilter(destination: "google"), limit: 10)
        #expect(letters.allSatisfy { $0.code == "auth_failed" })
        #expect(letters.allSatisfy { $0.message.contains("invalid_grant") && !$0.message.contains("1//revoked") })
        if case .paused = harness.pipeline.workers.breakerStatus {} else { Issue.record("expected the destination to be paused") }
        #expect(harness.mock.requestCount == 0, "nothing reaches the API without a token")
        await harness.close()
    }

    @Test("a service-account key file: the worker signs the assertion, the mock verifies it, events are delivered")
    func serviceAccount() async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let email = "bridge@test-project.iam.gserviceaccount.com"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("google-sa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The assertion's audience is the mock's token URL, known once it listens.
        let audience = AudienceBox()
        let oauth = MockOAuthOptions(acceptsAssertion: { audience.check($0) })
        let mock = try await MockPlatformServer.start(MockGoogleAdsAPI(developerToken: Self.developerToken), options: .init(oauth: oauth))
        audience.set(MockGoogleServiceAccount.verifier(publicKey: key.publicKey, clientEmail: email, scope: "https://www.googleapis.com/auth/adwords", audience: mock.baseURL + "/token"))
        let keyFile = directory.appendingPathComponent("key.json")
        let keyJSON = JSONValue.object([
            "type": .string("service_account"), "client_email": .string(email), "private_key": .string(key.pkcs8PEMRepresentation),
            "token_uri": .string(mock.baseURL + "/token"),
        ])
        try Data(JSONWriter.bytes(keyJSON)).write(to: keyFile)
        let entry = GooglePipelineHarness.lines([
            "customer_id: \"1234567890\"", "conversion_action_id: \"555111222\"", "developer_token: \(Self.developerToken)",
            "base_url: \"\(mock.baseURL)\"", "service_account_json: \(keyFile.path)",
        ])
        let pipeline = try await PipelineHarness(yaml: { _, dir in
            """
            store: {path: \(dir)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: google-ads
                kind: google_ads
            \(entry)
            audit: {dir: \(dir)/audit, digest_key: test-digest-key}
            """
        })
        try await pipeline.post([PipelineHarness.purchase("sale:s:1"), PipelineHarness.purchase("sale:s:2")])
        try await pipeline.prepareAll()
        let done = try await pipeline.deliverUntil { try await pipeline.states()["delivered"] == 2 }
        #expect(done)
        #expect(mock.tokenRequests == 1)
        #expect(Set(mock.acceptedEventIDs) == ["sale:s:1", "sale:s:2"])
        await mock.stop()
        await pipeline.close()
    }
}

/// Holds the assertion check once the mock's address is known.
final class AudienceBox: Sendable {
    private let verify = Mutex<(@Sendable (String) -> Bool)?>(nil)
    func set(_ check: @escaping @Sendable (String) -> Bool) { verify.withLock { $0 = check } }
    func check(_ assertion: String) -> Bool { verify.withLock { $0 }?(assertion) ?? false }
}
