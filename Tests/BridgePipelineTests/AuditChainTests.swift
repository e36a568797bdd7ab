import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
import Crypto
import Foundation
import Testing

@Suite("The audit chain of what was sent", .serialized)
struct AuditChainTests {
    @Test("every request is audited with clear fields digested, and verification catches an edited and a deleted line")
    func detectsEditsAndDeletions() async throws {
        let harness = try await PipelineHarness()
        for round in 0..<3 {
            try await harness.post([PipelineHarness.purchase("sale:a:\(round)")])
            try await harness.prepareAll()
            _ = try await harness.deliverUntil { try await harness.states()["delivered"] == round + 1 }
        }
        let files = try harness.auditFiles()
        let lines = files.flatMap(\.lines)
        // Per event: the consent decision at prepare time, then the request before it is
        // sent (attempt), then its answer (outcome), linked by batch id.
        let decisions = lines.filter { $0.contains("\"type\":\"consent_decisions\"") }
        let requests = lines.filter { $0.contains("\"kind\":\"attempt\"") }
        let answers = lines.filter { $0.contains("\"kind\":\"outcome\"") }
        #expect(decisions.count == 3)
        #expect(requests.count == 3)
        #expect(answers.count == 3)
        for (request, answer) in zip(requests, answers) {
            let attempt = try AuditRecordLine(line: request.utf8)
            let outcome = try AuditRecordLine(line: answer.utf8)
            #expect(outcome.batchID == attempt.batchID && outcome.responseStatus == 200 && outcome.sequence == attempt.sequence + 1)
        }
        #expect(decisions.allSatisfy { $0.contains("send:granted_consent_mode") })
        // No raw personal data: the IP and user agent are digests, the email a SHA-256.
        for line in lines {
            #expect(!line.contains("203.0.113.42"))
            #expect(!line.contains("buyer@example.com"))
            #expect(!line.contains("Mozilla/5.0 (test)"))
            #expect(!line.contains(PipelineHarness.token))
        }
        for line in requests { #expect(line.contains("hmac-sha256:")) }
        let verifier = AuditVerifier()
        #expect(verifier.verify(files: files).passed)
        // An edited line (the first answer)
        var edited = files
        let answerLine = try #require(edited[0].lines.firstIndex { $0.contains("\"kind\":\"outcome\"") })
        edited[0].lines[answerLine] = edited[0].lines[answerLine].replacingOccurrences(of: "\"response_status\":200", with: "\"response_status\":201")
        let editReport = verifier.verify(files: edited)
        #expect(editReport.firstBreak?.line == answerLine + 1)
        // A deleted line
        var deleted = files
        deleted[0].lines.remove(at: 1)
        let deleteReport = verifier.verify(files: deleted)
        #expect(deleteReport.firstBreak?.line == 2)
        #expect(!deleteReport.passed)
        await harness.close()
    }

    @Test("two writers on one directory (two processes) interleave into one intact chain")
    func twoWriters() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = SymmetricKey(data: Array("audit-key".utf8))
        let first = try AuditLog(directory: directory, digestKey: key)
        let second = try AuditLog(directory: directory, digestKey: key)
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        // Runs of one writer, then the other: each must see the other's entries.
        for (index, log) in [first, first, second, first, second, second, first].enumerated() {
            try await log.attempt(
                destination: "meta", batchID: "b-\(index)", eventIDs: ["e-\(index)"], request: Array("{\"n\":\(index)}".utf8),
                at: now.advanced(by: .milliseconds(Int64(index))))
        }
        let names = AuditFileName.ordered(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { AuditFileName.day(ofFileNamed: $0) != nil })
        let files = try names.map { name in
            (name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init))
        }
        let report = AuditVerifier().verify(files: files)
        #expect(report.passed)
        #expect(report.entriesVerified == 7)
    }

    @Test("concurrent requests share fsyncs (group commit) and still form one intact chain, each durable when record returns")
    func groupCommit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try AuditLog(directory: directory, digestKey: SymmetricKey(data: Array("audit-key".utf8)))
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        let count = 64
        // Another writer (as `capi-bridge erase` would) holds the log's file
        // lock while the requests arrive, so they queue behind the first one
        // however fast this machine's fsync is; then it lets go.
        let otherWriter = try FileLock(path: directory.appendingPathComponent(".audit.lock").path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                otherWriter.unlock()
            }
            for index in 0..<count {
                group.addTask {
                    try await log.attempt(
                        destination: "ga4", batchID: "b-\(index)", eventIDs: ["e-\(index)"], request: Array("{\"n\":\(index)}".utf8),
                        at: now)
                    // Durable on return: the entry is in the file already.
                    let text = try String(contentsOf: directory.appendingPathComponent(AuditFileName.name(for: now)), encoding: .utf8)
                    #expect(text.contains("\"b-\(index)\""))
                }
            }
            try await group.waitForAll()
        }
        let name = AuditFileName.name(for: now)
        let lines = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
        let report = AuditVerifier().verify(files: [(name, lines)])
        #expect(report.passed)
        #expect(report.entriesVerified == count)
        let writes = await log.groupWrites
        #expect(writes < count, "\(writes) writes for \(count) entries")
    }
}

@Suite("Torn audit segments and unwritable audit logs", .serialized)
struct AuditRecoveryTests {
    @Test("a torn last line is moved aside on the next append and the chain continues from the last intact entry")
    func tornLineMovedAside() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try AuditLog(directory: directory, digestKey: SymmetricKey(data: Array("audit-key".utf8)))
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        func record(_ index: Int) async throws {
            try await log.attempt(
                destination: "meta", batchID: "b-\(index)", eventIDs: ["e-\(index)"], request: Array("{\"n\":\(index)}".utf8),
                at: now)
        }
        try await record(1)
        try await record(2)
        // Given a write cut off in the middle (another process crashed, or the disk filled up)
        let url = directory.appendingPathComponent(AuditFileName.name(for: now))
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"v":1,"seq":3,"batch_id":"b-cut"#.utf8))
        try handle.close()
        // When the next entry is appended
        try await record(3)
        // Then the file holds three intact entries, the torn bytes are in the .torn file
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let report = AuditVerifier().verify(files: [(url.lastPathComponent, lines)])
        #expect(report.passed)
        #expect(report.entriesVerified == 3)
        let torn = try String(contentsOf: url.appendingPathExtension("torn"), encoding: .utf8)
        #expect(torn == #"{"v":1,"seq":3,"batch_id":"b-cut"# + "\n")
        #expect(await log.tornSegments == [url.lastPathComponent + ".torn"])
    }

    @Test("a batch whose audit entry cannot be written is not sent, stays pending, raises an alert, and is delivered once the log is writable")
    func unwritableAuditKeepsDeliveriesPending() async throws {
        let harness = try await PipelineHarness()
        let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
        // Given an audit file that cannot be opened for writing (a directory in its place)
        let blocked = harness.auditDirectory.appendingPathComponent(AuditFileName.name(for: now))
        try? FileManager.default.removeItem(at: blocked)
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        try await harness.post([PipelineHarness.purchase("sale:audit:1")])
        try await harness.prepareAll()
        // When the worker sends
        _ = try await harness.workers.deliverOnce(force: true)
        // Then nothing was sent (its audit entry comes first), and nothing is recorded as delivered
        #expect(harness.mock.requestCount == 0)
        #expect(try await harness.states() == ["pending": 1])
        #expect(harness.workers.auditFailingSince != nil)
        let actions = await harness.runtime.pipeline.monitor.check()
        #expect(actions.contains { if case .raise(let alert) = $0 { alert.condition == .auditUnwritable } else { false } })
        // And once the log is writable again, the event is sent, audited before and after, and recorded
        try FileManager.default.removeItem(at: blocked)
        let delivered = try await harness.deliverUntil { try await harness.states()["delivered"] == 1 }
        #expect(delivered)
        #expect(harness.mock.acceptedEventIDs == ["sale:audit:1"])
        let lines = try harness.auditFiles().flatMap(\.lines).map { try AuditRecordLine(line: $0.utf8) }
        let attempt = try #require(lines.first { $0.kind == "attempt" && $0.eventIDs == ["sale:audit:1"] })
        #expect(lines.contains { $0.kind == "outcome" && $0.batchID == attempt.batchID && $0.responseStatus == 200 })
        await harness.close()
    }
}
