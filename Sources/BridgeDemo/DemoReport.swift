import BridgeCore
import BridgeMocks
import BridgeServer
import BridgeStore
import Foundation

/// What the demo prints once the pipeline has settled: per destination, what
/// was delivered, suppressed by consent, skipped or dead-lettered, what each
/// platform's mock accepted, what Meta received, and whether the audit chain
/// verifies.
struct DemoReport {
    let store: SQLiteStore
    let fleet: MockFleet
    let config: BridgeConfig
    let settled: Bool

    func print() async throws {
        let rows = try await store.deliverySummary()
        Swift.print("== delivery\(settled ? "" : " (still in progress after 20 s)")")
        Swift.print(pad("destination", 13) + pad("state", 12) + pad("reason", 34) + "events")
        for row in rows { Swift.print(pad(row.destination, 13) + pad(row.state, 12) + pad(row.reason, 34) + String(row.count)) }
        Swift.print("\n== what the platforms' mocks accepted")
        Swift.print(pad("platform", 13) + pad("requests", 10) + "events accepted")
        let requests = fleet.requestCounts
        for (kind, accepted) in fleet.acceptedEventCounts.sorted(by: { $0.key < $1.key }) {
            Swift.print(pad(kind, 13) + pad(String(requests[kind] ?? 0), 10) + String(accepted))
        }
        let mock = fleet.meta
        let received = mock.received.filter(\.wasAccepted)
        Swift.print("\nMock Meta Conversions API: \(received.count) request(s), \(mock.acceptedEventCount) event(s) accepted")
        if let first = received.first?.events.first, let userData = first["user_data"]?.objectValue {
            Swift.print("  first event: \(first["event_name"]?.stringValue ?? "?") \(first["event_id"]?.stringValue ?? "?")")
            for (key, value) in userData.sorted(by: { $0.key < $1.key }) {
                let text = value.stringValue ?? value[0]?.stringValue ?? JSONWriter.string(value)
                let shown = IdentifierHasher.isLowercaseSHA256Hex(text) ? String(text.prefix(16)) + "… (SHA-256)" : "(sent in clear, as Meta requires)"
                Swift.print("    user_data.\(pad(key, 18)) \(shown)")
            }
        }
        let auditDirectory = URL(fileURLWithPath: config.audit.dir)
        let names = AuditFileName.ordered((try? FileManager.default.contentsOfDirectory(atPath: auditDirectory.path)) ?? [])
        let files = try names.map { name in
            (name, try String(contentsOf: auditDirectory.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init))
        }
        let report = AuditVerifier().verify(files: files)
        Swift.print(
            "\nAudit chain: \(report.entriesVerified) entr\(report.entriesVerified == 1 ? "y" : "ies"), "
                + (report.passed ? "hash chain intact, no personal data in clear" : "FAILED: \(String(describing: report.firstBreak))"))
        if let path = config.destinations.first(where: { $0.kind == "sandbox" })?.settings["path"]?.stringValue,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        {
            Swift.print("Sandbox destination: \(text.split(separator: "\n").count) event(s) written as JSON lines (what would be sent)")
        }
    }
}
