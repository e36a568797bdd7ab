import BridgeCore
import Foundation
import Testing

/// `capi-bridge audit export`: every entry of either format, in order,
/// filtered by time; a line it cannot read stops it with file and line.
@Suite("Audit export")
struct AuditExportTests {
    @Test("v2 entries are exported as JSON lines and as CSV, filtered by time")
    func exportsVersion2() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try AuditRetentionVerifyTests.writeChain(in: directory)

        let all = try await BridgeCommand.run(["audit", "export", "--dir", directory.path], in: directory)
        #expect(all.status == 0, "\(all.output)")
        let lines = all.standardOutput.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"v":2,"#) })

        let csv = try await BridgeCommand.run(
            ["audit", "export", "--dir", directory.path, "--format", "csv", "--since", "2026-05-29T00:00:00Z"], in: directory)
        #expect(csv.status == 0, "\(csv.output)")
        let rows = csv.standardOutput.split(separator: "\n").map(String.init)
        #expect(rows.first == "seq,v,kind,at,destination,batch_id,event_count,event_ids,response_status,response_summary,prev_hash,hash")
        #expect(rows.dropFirst().map { $0.split(separator: ",")[0] } == ["3", "4", "5", "6"], "\(files)")
        #expect(rows[1].contains(",2,attempt,") && rows[1].contains(",order-1,"))
        #expect(rows[2].contains(",2,outcome,") && rows[2].contains(",200,ok,"))
    }

    @Test("an unreadable line stops the export with its file and line, not its content")
    func unreadableLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try AuditRetentionVerifyTests.writeChain(in: directory)
        let damaged = directory.appendingPathComponent(files[1])
        var text = try String(contentsOf: damaged, encoding: .utf8)
        text = text.replacingOccurrences(of: #"{"v":2,"seq":4"#, with: #"{"mail":"zoe@example.com","seq":4"#)
        try text.write(to: damaged, atomically: true, encoding: .utf8)

        let export = try await BridgeCommand.run(["audit", "export", "--dir", directory.path], in: directory)

        #expect(export.status != 0)
        #expect(export.standardError.contains("\(files[1]):2: not an audit entry"))
        #expect(!export.output.contains("zoe@example.com"))
        #expect(export.standardOutput.split(separator: "\n").count == 3, "entries before the bad line were exported")
    }
}
