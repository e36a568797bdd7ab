import BridgeCore
import BridgeMocks
import BridgeServer
import BridgeSources
@testable import BridgeStore
import Foundation
import GRDB
import Testing

/// The privacy promise end to end: every bundled fixture through ingest,
/// prepare, delivery (mock Meta over loopback, and the sandbox) and the audit
/// chain; then no raw identifier of any fixture may be found in a log line,
/// an audit file or any database column except the sealed ones.
@Suite("No raw identifier leaves the sealed columns", .serialized)
struct PrivacyPipelineTests {
    static func yaml(mockURL: String, directory: String) -> String {
        let secrets = FixtureSecrets()
        return """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            sources:
              - {name: shop, kind: shopify, secrets: ["\(secrets.shopify)"]}
              - {name: stripe, kind: stripe, secrets: ["\(secrets.stripe)"]}
              - {name: woo, kind: woocommerce, secrets: ["\(secrets.woocommerce)"]}
              - {name: backend, kind: standard-webhooks, secrets: ["\(secrets.standardWebhooks)"]}
            consent:
              default: {default_region: US}
            destinations:
              - {name: meta, kind: meta, pixel_id: "123456789", access_token: \(PipelineHarness.token), base_url: "\(mockURL)"}
              - {name: sandbox, kind: sandbox, path: \(directory)/sandbox.jsonl}
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
    }

    /// Raw values of every fixture's identifiers long enough to be unambiguous.
    static func rawIdentifiers(of events: [ConversionEvent]) -> Set<String> {
        var values = Set<String>()
        for event in events {
            for (field, value) in event.customer.values where ![.country, .state, .gender].contains(field) {
                if value.rawValue.trimmingWhitespace().count >= 5 { values.insert(value.rawValue.trimmingWhitespace()) }
            }
            for value in [event.client.ipAddress, event.client.userAgent, event.client.landingURL].compactMap({ $0 }) {
                values.insert(value.rawValue)
            }
            for value in event.client.clickIDs.values where value.rawValue.count >= 8 { values.insert(value.rawValue) }
        }
        return values
    }

    @Test("every fixture through ingest, prepare, deliver and audit leaves no raw identifier outside the sealed columns")
    func wholePipeline() async throws {
        let harness = try await PipelineHarness(yaml: { Self.yaml(mockURL: $0, directory: $1) })
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let now = Int64(Date().timeIntervalSince1970)
        var events: [ConversionEvent] = []
        var accepted = 0
        // Given every bundled fixture, moved to the present and signed as its sender signs
        for fixture in SourceFixture.all {
            let original = Array(try Data(contentsOf: root.appendingPathComponent("fixtures/sources/" + fixture.file)))
            let body = fixture.file.hasSuffix(".json")
                ? FixtureTimeShift.moveLatest(original, to: Timestamp(secondsSinceEpoch: now - 600)) : original
            let headers = HeaderFields(fixture.signedHeaders(body: body, now: now))
            let response = try await harness.ingest.receiveWebhook(source: fixture.source, headers: headers, body: body)
            if response.status == .accepted { accepted += 1 }
            // What the adapter saw, to know which raw values to look for.
            let settings = harness.config.sources.first { $0.name == fixture.source }!
            let adapter = SourceRegistry.make(kind: settings.kind, settings: SourceSettings(name: settings.name, secrets: settings.secrets))!
            if case .accepted(let batch) = try adapter.handle(WebhookRequest(headers: headers, body: body), now: Timestamp(secondsSinceEpoch: now)) {
                events += batch.events.map(\.event)
            }
        }
        #expect(accepted >= 15)
        // When the pipeline runs to the end
        try await harness.prepareAll()
        for _ in 0..<50 {
            try await harness.deliverAllOnce()
            let states = try await harness.states()
            if states["pending", default: 0] == 0 { break }
        }
        let states = try await harness.states()
        #expect(states["pending", default: 0] == 0)
        #expect(states["delivered", default: 0] >= 10)
        #expect(harness.mock.acceptedEventCount >= 5)
        // Then no raw identifier is anywhere but in the sealed columns
        let needles = Self.rawIdentifiers(of: events)
        #expect(needles.count >= 30, "the fixtures carry many identifiers: \(needles.count)")
        var haystacks: [(place: String, text: String)] = harness.logs.captured.map { ("log", $0) }
        for file in try harness.auditFiles() { haystacks += file.lines.map { ("audit \(file.name)", $0) } }
        haystacks += try await harness.store.pool.read { db in
            var found: [(String, String)] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                    for column in row.columnNames where column != "sealed" {
                        let value = row[column] as DatabaseValue
                        switch value.storage {
                        case .string(let text): found.append(("\(table).\(column)", text))
                        case .blob(let data): found.append(("\(table).\(column)", String(decoding: data, as: UTF8.self)))
                        default: break
                        }
                    }
                }
            }
            return found
        }
        #expect(haystacks.count > 100)
        // Control: the sandbox file holds what would be sent, clear fields included,
        // so the same search does find raw values there.
        let sandbox = try String(contentsOf: harness.directory.appendingPathComponent("sandbox.jsonl"), encoding: .utf8)
        #expect(needles.contains { sandbox.contains($0) }, "the search must be able to find what it looks for")
        for needle in needles {
            for haystack in haystacks where haystack.text.contains(needle) {
                Issue.record("a raw identifier (\(needle.count) characters) was found in \(haystack.place)")
            }
        }
        await harness.close()
    }
}
