import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import GRDB
import Testing

/// The LinkedIn destination inside the whole pipeline: SQLite store, real
/// `DestinationWorkers`, real HTTP on loopback to the LinkedIn mock.
@Suite("LinkedIn through the pipeline", .serialized)
struct LinkedInPipelineTests {
    static let token = "AQV-pipeline-linkedin-token"

    /// A harness whose only destination is `linkedin`, pointed at `mock`.
    static func harness(_ mock: MockPlatformServer, credentials: String? = nil) async throws -> PipelineHarness {
        let linkedInURL = mock.baseURL
        let auth = credentials ?? "access_token: \(token)"
        return try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: linkedin
                kind: linkedin
                conversion_rule_id: "104012"
                \(auth)
                base_url: \(linkedInURL)
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        })
    }

    /// A purchase with both names and a `li_fat_id`, so `userInfo` and the click id travel.
    static func purchase(_ id: String) -> JSONValue {
        PipelineHarness.purchase(id)
            .setting(.string("Rivera"), at: JSONPointer(["customer", "last_name"]))
            .setting(.object(["li_fat_id": .string("fat-\(id)")]), at: JSONPointer(["client", "click_ids"]))
    }

    @Test("a batch LinkedIn refuses with 422 naming one event: only that event is dead-lettered, the rest delivered")
    func rejectedBatch() async throws {
        let mock = try await MockPlatformServer.start(MockLinkedInAPI(), options: .init(expectedToken: Self.token))
        let harness = try await Self.harness(mock)
        mock.rejectEvents { $0 == "sale:li:5" }
        // Given ten purchases, one of which LinkedIn refuses
        try await harness.post((1...10).map { Self.purchase("sale:li:\($0)") })
        try await harness.prepareAll()
        // When they are delivered
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 9, "dead": 1] }
        // Then only the bad event is a dead letter, with LinkedIn's message
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "linkedin"), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:li:5"])
        #expect(letters.first?.code == "invalid_parameters")
        #expect(letters.first?.message.contains("ERROR ::") == true)
        #expect(Set(mock.acceptedEventIDs) == Set((1...10).filter { $0 != 5 }.map { "sale:li:\($0)" }))
        #expect(mock.acceptedEventIDs.count == 9, "nothing delivered twice")
        // And the suspect named by LinkedIn was tried first: batch, before, after, suspect alone
        let first = try #require(mock.exchanges.first)
        #expect(first.status == 422)
        #expect(first.request.json?["elements"]?.arrayValue?.count == 10)
        #expect(mock.requestCount <= 4)
        await harness.close()
        await mock.stop()
    }

    @Test("names and li_fat_id reach LinkedIn in clear but are sealed at rest and digested in the audit log")
    func clearFields() async throws {
        let mock = try await MockPlatformServer.start(MockLinkedInAPI(), options: .init(expectedToken: Self.token))
        let harness = try await Self.harness(mock)
        try await harness.post([Self.purchase("sale:li:clear")])
        try await harness.prepareAll()
        // Before sending, the stored payload holds no clear value
        let stored = try await harness.store.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT payload FROM deliveries WHERE destination = 'linkedin'") ?? Data()
        }
        let storedText = String(decoding: stored, as: UTF8.self)
        #expect(!storedText.contains("Avery") && !storedText.contains("Rivera") && !storedText.contains("fat-sale:li:clear"))
        // It is the typed record: the consent decision and the email's digest (the request is built at send time)
        let record = try PreparedDeliveryRecord(bytes: Array(stored))
        #expect(record.customer[.email]?.value?.wireValue == IdentifierHasher.sha256Hex("buyer@example.com"))
        #expect(record.consent.action == .send)
        // And the names LinkedIn takes in clear are only in the event's sealed send context
        let eventColumns = try harness.store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT body, sealed, client_sealed FROM events WHERE event_id = 'sale:li:clear'")
        }
        #expect((eventColumns?["client_sealed"] as Data?) != nil)
        let body = String(decoding: (eventColumns?["body"] as Data?) ?? Data(), as: UTF8.self)
        #expect(!body.contains("Avery"))
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 1 }
        #expect(done)
        // LinkedIn got them in clear
        let element = try #require(mock.exchanges.first?.request.json?["elements"]?[0])
        #expect(element["user"]?["userInfo"]?["firstName"] == .string("Avery"))
        #expect(element["user"]?["userInfo"]?["lastName"] == .string("Rivera"))
        #expect(element["user"]?["userIds"]?[0]?["idValue"] == .string(IdentifierHasher.sha256Hex("buyer@example.com")))
        #expect(element["user"]?["userIds"]?[1]?["idValue"] == .string("fat-sale:li:clear"))
        // The audit log has digests instead
        let audit = try harness.auditFiles().flatMap(\.lines).joined(separator: "\n")
        #expect(audit.contains("urn:lla:llaPartnerConversion:104012"))
        #expect(!audit.contains("Avery") && !audit.contains("Rivera") && !audit.contains("fat-sale:li:clear"))
        #expect(!audit.contains(Self.token))
        await harness.close()
        await mock.stop()
    }

    @Test("with a refresh token: the pipeline fetches a token, and after LinkedIn revokes it, fetches a fresh one and delivers")
    func refreshToken() async throws {
        let oauth = MockOAuthOptions(path: "/oauth/v2/accessToken", clientID: "li-client", clientSecret: "li-secret", refreshToken: "li-refresh")
        let mock = try await MockPlatformServer.start(MockLinkedInAPI(), options: .init(oauth: oauth))
        let credentials = """
            refresh_token: li-refresh
                client_id: li-client
                client_secret: li-secret
                token_url: \(mock.baseURL)/oauth/v2/accessToken
            """
        let harness = try await Self.harness(mock, credentials: credentials)
        try await harness.post([Self.purchase("sale:li:t1")])
        try await harness.prepareAll()
        #expect(try await harness.deliverUntil { try await harness.states()["delivered"] == 1 })
        #expect(mock.tokenRequests == 1)
        // When LinkedIn revokes the token
        mock.revokeTokens()
        try await harness.post([Self.purchase("sale:li:t2")])
        try await harness.prepareAll()
        // Then the 401 drops it, a fresh one is fetched and the event delivered
        #expect(try await harness.deliverUntil { try await harness.states()["delivered"] == 2 })
        #expect(mock.tokenRequests == 2)
        #expect(mock.exchanges.map(\.status) == [200, 401, 200])
        #expect(mock.acceptedEventIDs == ["sale:li:t1", "sale:li:t2"])
        await harness.close()
        await mock.stop()
    }
}
