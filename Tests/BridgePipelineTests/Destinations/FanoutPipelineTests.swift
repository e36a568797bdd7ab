import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
import Foundation
import GRDB
@testable import BridgeStore
import Testing

/// One sale through the whole bridge to every platform at once, each mock
/// checking the requests as its platform documents them.
@Suite("One sale fanned out to every platform")
struct FanoutPipelineTests {
    /// A purchase with every click id and a full customer block.
    static func sale(_ id: String) -> JSONValue {
        let time = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) - 120_000)
        return .object([
            "event_id": .string(id), "event_name": .string("Purchase"), "event_time": .string(time.rfc3339),
            "value": .string("129.90"), "currency": .string("USD"), "order_id": .string(id),
            "line_items": .array([.object(["id": .string("SKU-1"), "name": .string("Hoodie"), "quantity": .number("1"), "unit_price": .string("129.90")])]),
            "customer": .object([
                "email": .string("Jane.Doe+shop@GMail.com"), "phone": .string("(650) 555-1234"), "first_name": .string("Jane"),
                "last_name": .string("Doe"), "city": .string("Menlo Park"), "state": .string("CA"), "postal_code": .string("94025-1234"),
                "country": .string("US"), "external_id": .string("cust-\(id)"),
            ]),
            "client": .object([
                "ip_address": .string("203.0.113.42"), "user_agent": .string("Mozilla/5.0 (X11; Linux x86_64) Firefox/134.0"),
                "landing_url": .string("https://shop.example.com/p/hoodie?gclid=Cj0KCQ-fanout&ttclid=E.C.P.fanout"),
                "click_ids": .object([
                    "fbp": .string("fb.1.1773499990000.1122334455"), "sccid": .string("b6e0c1d2-7a4f-4c1e-9d2b-5e8f7a6b3c21"),
                    "epik": .string("dj0yJnU9fanout"), "li_fat_id": .string("7f6c2a41-0d9e-4b7f-8a3c-2e5d1b9f0c68"), "rdt_cid": .string("3141592653"),
                ]),
            ]),
            "consent": .object(["ad_user_data": .string("granted"), "ad_personalization": .string("granted")]),
        ])
    }

    @Test("every destination delivers every sale, once, in requests its mock accepts")
    func fanout() async throws {
        let fleet = try await MockFleet.start(.demo)
        let urls = fleet.baseURLs
        let harness = try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
            \(MockFleet.destinationsYAML(kinds: MockFleet.allKinds, baseURLs: urls, extra: "", indent: "  "))
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        })
        let ids = (1...6).map { "sale:fanout:\($0)" }
        try await harness.post(ids.map(Self.sale))
        try await harness.prepareAll()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, try await harness.states() != ["delivered": ids.count * MockFleet.allKinds.count] {
            try await harness.deliverAllOnce()
        }
        let byDestination = try await harness.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT destination, state, COUNT(*) AS n FROM deliveries GROUP BY destination, state")
                .map { "\($0["destination"] as String)/\($0["state"] as String)=\($0["n"] as Int)" }.sorted()
        }
        #expect(byDestination == MockFleet.allKinds.sorted().map { "\($0)/delivered=\(ids.count)" })
        #expect(fleet.acceptedEventCounts == Dictionary(uniqueKeysWithValues: MockFleet.allKinds.map { ($0, ids.count) }))
        // Every request any mock answered was accepted (no refusal, no retry).
        for (kind, server) in fleet.platforms {
            for exchange in server.exchanges {
                #expect((200..<300).contains(exchange.status), "\(kind): \(exchange.problems)")
            }
        }
        // GA4's concurrent one-buyer requests and every other batch left one
        // intact audit chain; neither it nor the logs hold an identifier or
        // secret in clear.
        let files = try harness.auditFiles()
        #expect(AuditVerifier().verify(files: files).passed)
        let audit = (files.flatMap(\.lines) + harness.logs.captured).joined(separator: "\n")
        #expect(audit.components(separatedBy: "\"kind\":\"attempt\",").filter { $0.contains("\"destination\":\"ga4\"") }.count == ids.count, "one GA4 request per buyer")
        for raw in ["203.0.113.42", "Jane.Doe", "jane.doe", "555-1234", "6505551234", "Firefox/134.0", "Cj0KCQ-fanout", "fleet-"] {
            #expect(!audit.contains(raw), "\(raw) in the audit log or the logs")
        }
        // The OAuth platforms fetched one token each and reused it.
        #expect(fleet.platforms["google"]?.tokenRequests == 1)
        #expect(fleet.platforms["google_ads"]?.tokenRequests == 1)
        await harness.close()
        await fleet.stop()
    }
}
