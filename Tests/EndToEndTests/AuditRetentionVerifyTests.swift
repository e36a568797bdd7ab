import BridgeCore
import Foundation
import Testing

/// `capi-bridge audit verify` on a chain whose oldest day files were removed
/// by retention: it starts after the first remaining entry's predecessor,
/// for `v: 2` lines as for `v: 1`; a file missing in the middle still breaks it.
@Suite("Audit verify after retention")
struct AuditRetentionVerifyTests {
    /// Three day files of two `v: 2` entries each.
    static func writeChain(in directory: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var head = AuditChainHead.genesis
        var files: [String] = []
        for day in 0..<3 {
            let at = Timestamp(millisecondsSinceEpoch: 1_780_000_000_000 + Int64(day) * 86_400_000)
            var text: [UInt8] = []
            for index in 0..<2 {
                let record = AuditRecord(
                    kind: index == 0 ? .attempt : .outcome, at: at, destination: "meta", batchID: "b\(day)",
                    eventIDs: index == 0 ? ["order-\(day)"] : [], request: index == 0 ? Array(#"{"data":[]}"#.utf8) : nil,
                    responseStatus: index == 0 ? nil : 200, responseSummary: index == 0 ? nil : "ok")
                let appended = record.line(after: head)
                text += appended.line + [0x0A]
                head = appended.head
            }
            let name = AuditFileName.name(for: at)
            try Data(text).write(to: directory.appendingPathComponent(name))
            files.append(name)
        }
        return files
    }

    @Test("the oldest file removed: the chain verifies from the first remaining entry, with a note")
    func oldestRemoved() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-retention-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.writeChain(in: directory)
        try FileManager.default.removeItem(at: directory.appendingPathComponent(files[0]))

        let verify = try await BridgeCommand.run(["audit", "verify", directory.path], in: directory)

        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("the chain starts at entry 3"))
    }

    @Test("a file removed from the middle breaks the chain at the next file's first line")
    func middleRemoved() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-retention-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.writeChain(in: directory)
        try FileManager.default.removeItem(at: directory.appendingPathComponent(files[1]))

        let verify = try await BridgeCommand.run(["audit", "verify", directory.path], in: directory)

        #expect(verify.status == 1)
        #expect(verify.output.contains("FAIL chain broken at"))
        #expect(verify.output.contains(files[2]))
    }
}
