import BridgeCore
import Foundation
import Synchronization

/// The audit page's "verify now": the chain files of `audit.dir` checked by
/// `AuditVerifier` exactly as `capi-bridge audit verify --config` does.
struct AuditCheck: Sendable {
    var at: Timestamp
    var files: Int
    var entries: Int
    var head: AuditChainHead
    var firstBreak: String?
    var personalData: [String]
    var tornSegments: Int

    var passed: Bool { firstBreak == nil && personalData.isEmpty }

    /// The chain files of `directory`, oldest first.
    static func files(in directory: String) -> [(name: String, text: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return AuditFileName.ordered(names.filter { AuditFileName.day(ofFileNamed: $0) != nil }).compactMap { name in
            (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)).map { (name, $0) }
        }
    }

    static func run(directory: String, expectedHead: AuditChainHead?, at: Timestamp) -> AuditCheck {
        let files = files(in: directory)
        var start = AuditChainHead.genesis
        if let firstLine = files.first?.text.split(separator: "\n").first, let entry = try? AuditRecordLine(line: Array(firstLine.utf8)), entry.sequence > 1 {
            start = AuditChainHead(sequence: entry.sequence - 1, hash: entry.previousHash)
        }
        let report = AuditVerifier().verify(contents: files, startingAfter: start, expectedHead: expectedHead)
        return AuditCheck(
            at: at, files: files.count, entries: report.entriesVerified, head: report.head, firstBreak: report.firstBreak.map(\.description),
            personalData: report.personalData.map(\.description), tornSegments: report.tornSegments.count)
    }
}

/// The last audit check made from the console in this process.
final class LastAuditCheck: Sendable {
    private let check = Mutex<AuditCheck?>(nil)

    var value: AuditCheck? { check.withLock { $0 } }

    func record(_ value: AuditCheck) { check.withLock { $0 = value } }
}
