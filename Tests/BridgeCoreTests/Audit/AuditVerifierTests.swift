import BridgeCore
import Foundation
import Testing

@Suite("Audit verification: the first break, by file and line")
struct AuditVerifierTests {
    let verifier = AuditVerifier()

    /// Three day files of five entries each (seq 1…15).
    func threeDays() -> (files: [(name: String, lines: [String])], head: AuditChainHead) {
        AuditFixtures.chain(days: 3, perDay: 5)
    }

    @Test("an intact chain across three day files passes, with no personal data")
    func intact() {
        let chain = threeDays()
        let report = verifier.verify(files: chain.files, expectedHead: chain.head)
        #expect(report.firstBreak == nil)
        #expect(report.personalData.isEmpty, "\(report.personalData)")
        #expect(report.passed)
        #expect(report.entriesVerified == 15)
        #expect(report.head == chain.head)
    }

    @Test("entries naming their digest key follow entries written before key rings in one intact chain; the id is hashed")
    func digestKeyIDs() throws {
        // Given a day of entries without digest_key_id, then entries digested under key "2026-05"
        var chain = threeDays()
        var head = chain.head
        var lines: [String] = []
        let digester = ClearFieldDigester(key: AuditFixtures.key, keys: ["client_ip_address", "client_user_agent", "fbc", "fbp"], keyID: "2026-05")
        for index in 0..<3 {
            var entry = AuditFixtures.entry(100 + index, at: AuditFixtures.start.plus(seconds: 3 * 86_400 + Double(index)))
            entry.request = digester.digestingClearFields(of: AuditFixtures.request(eventID: "order-\(index)"))
            entry.digestKeyID = digester.keyID
            let appended = AuditChain.append(entry, after: head)
            head = appended.head
            lines.append(appended.line)
        }
        chain.files.append(("audit-2026-03-17.jsonl", lines))
        // Then the whole chain verifies, and each new line names its key
        let report = verifier.verify(files: chain.files, expectedHead: head)
        #expect(report.passed && report.entriesVerified == 18, "\(String(describing: report.firstBreak)) \(report.personalData)")
        let parsed = try AuditEntry(json: try JSONParser.parse(lines[0]))
        #expect(parsed.digestKeyID == "2026-05" && lines[0].contains(#""digest_key_id":"2026-05""#))
        #expect(try AuditEntry(json: try JSONParser.parse(chain.files[0].lines[0])).digestKeyID == nil)
        // And changing which key it names is an edit
        chain.files[3].lines[1] = lines[1].replacingFirst(#""digest_key_id":"2026-05""#, with: #""digest_key_id":"2026-04""#)
        #expect(verifier.verify(files: chain.files).firstBreak == AuditBreak(file: "audit-2026-03-17.jsonl", line: 2, reason: .hashMismatch))
    }

    @Test("an edited line is a hash mismatch at that line")
    func editedLine() {
        var chain = threeDays()
        chain.files[1].lines[2] = chain.files[1].lines[2].replacingFirst("\"response_status\":200", with: "\"response_status\":201")
        let report = verifier.verify(files: chain.files)
        #expect(report.firstBreak == AuditBreak(file: "audit-2026-03-15.jsonl", line: 3, reason: .hashMismatch))
        #expect(report.entriesVerified == 7)
        #expect(report.head.sequence == 7)
    }

    @Test("a deleted line breaks the previous-hash link of the line after it")
    func deletedLine() {
        var chain = threeDays()
        chain.files[0].lines.remove(at: 1)
        let report = verifier.verify(files: chain.files)
        #expect(report.firstBreak == AuditBreak(file: "audit-2026-03-14.jsonl", line: 2, reason: .previousHashMismatch))
    }

    @Test("a reordered line breaks the link where the order changes")
    func reorderedLines() {
        var chain = threeDays()
        chain.files[2].lines.swapAt(1, 3)
        let report = verifier.verify(files: chain.files)
        #expect(report.firstBreak == AuditBreak(file: "audit-2026-03-16.jsonl", line: 2, reason: .previousHashMismatch))
    }

    @Test("deleting the last line of a day shows in the first line of the next day's file")
    func deletedAcrossFiles() {
        var chain = threeDays()
        chain.files[0].lines.removeLast()
        let report = verifier.verify(files: chain.files)
        #expect(report.firstBreak == AuditBreak(file: "audit-2026-03-15.jsonl", line: 1, reason: .previousHashMismatch))
    }

    @Test("a missing day file breaks the chain at the next file")
    func missingFile() {
        var chain = threeDays()
        chain.files.remove(at: 1)
        #expect(verifier.verify(files: chain.files).firstBreak == AuditBreak(file: "audit-2026-03-16.jsonl", line: 1, reason: .previousHashMismatch))
    }

    @Test("a file cut in the middle of a line is a truncated line")
    func truncatedMidLine() {
        let chain = threeDays()
        var contents = chain.files.map { (name: $0.name, text: $0.lines.joined(separator: "\n") + "\n") }
        contents[2].text = String(contents[2].text.dropLast(200))
        let report = verifier.verify(contents: contents)
        #expect(report.firstBreak == AuditBreak(file: "audit-2026-03-16.jsonl", line: 5, reason: .truncatedLine))
    }

    @Test("a complete last line that only lost its newline still verifies")
    func missingFinalNewline() {
        let chain = threeDays()
        var contents = chain.files.map { (name: $0.name, text: $0.lines.joined(separator: "\n") + "\n") }
        contents[2].text.removeLast()
        #expect(verifier.verify(contents: contents, expectedHead: chain.head).passed)
    }

    @Test("newest lines removed at a line boundary are caught only against the recorded head")
    func truncatedAtLineBoundary() {
        var chain = threeDays()
        chain.files[2].lines.removeLast(2)
        #expect(verifier.verify(files: chain.files).chainIntact)
        let report = verifier.verify(files: chain.files, expectedHead: chain.head)
        #expect(report.firstBreak == AuditBreak(file: "audit-2026-03-16.jsonl", line: 4,
                                                reason: .missingEntries(expectedThrough: 15, foundThrough: 13)))
    }

    @Test("a rewritten newest entry differs from the recorded head")
    func headMismatch() {
        let chain = threeDays()
        let forged = AuditChainHead(sequence: 15, hash: String(repeating: "a", count: 64))
        #expect(verifier.verify(files: chain.files, expectedHead: forged).firstBreak
            == AuditBreak(file: "audit-2026-03-16.jsonl", line: 6, reason: .headMismatch(sequence: 15)))
        // A head behind the log (the store lagging one write) is fine when its hash matches.
        var files = chain.files
        let extra = AuditChain.append(AuditFixtures.entry(99, at: AuditFixtures.start.advanced(by: .days(2))), after: chain.head)
        files[2].lines.append(extra.line)
        #expect(verifier.verify(files: files, expectedHead: chain.head).chainIntact)
    }

    @Test("a line removed and the chain re-hashed around it is a sequence gap")
    func resealedAfterDeletion() throws {
        // Given a chain whose entry 2 was dropped and entry 3 re-linked to entry 1.
        let first = AuditChain.append(AuditFixtures.entry(0, at: AuditFixtures.start), after: .genesis)
        var third = AuditFixtures.entry(2, at: AuditFixtures.start.plus(seconds: 120))
        third.sequence = 3
        let forged = AuditChain.seal(third, previousHash: first.head.hash)
        let files = [(name: "audit-2026-03-14.jsonl", lines: [first.line, AuditChain.line(for: forged)])]
        // Then the hashes link but the sequence skips.
        #expect(verifier.verify(files: files).firstBreak
            == AuditBreak(file: "audit-2026-03-14.jsonl", line: 2, reason: .sequenceGap(expected: 2, found: 3)))
    }

    @Test("garbage is unparseable, with a reason that does not echo it")
    func garbage() throws {
        var chain = threeDays()
        chain.files[0].lines[3] = "{\"email\": \"leak@example.com\""
        chain.files[1].lines[0] = "{}"
        let report = verifier.verify(files: chain.files)
        let brokenAt = try #require(report.firstBreak)
        #expect(brokenAt.file == "audit-2026-03-14.jsonl")
        #expect(brokenAt.line == 4)
        guard case .unparseable(let why) = brokenAt.reason else {
            Issue.record("expected unparseable, got \(brokenAt.reason)")
            return
        }
        #expect(!why.contains("leak"))
        #expect(!brokenAt.description.contains("leak@example.com"))
        // The scan still covers broken lines, and reports where, not what.
        #expect(report.personalData == [AuditPersonalDataFinding(file: "audit-2026-03-14.jsonl", line: 4,
                                                                 finding: PersonalDataFinding(kind: .email, pointer: ""))])
    }

    @Test("personal data sealed into an intact chain is found by file, line and pointer")
    func personalDataInIntactChain() throws {
        var entry = AuditFixtures.entry(0, at: AuditFixtures.start)
        entry.request = .object(["data": .array([.object(["user_data": .object([
            "em": .string("john.doe@example.com"), "client_ip_address": .string("203.0.113.7"),
            "ph": .string("+1 650 555 1234"), "ip6": .string("2001:db8:85a3::8a2e:370:7334"),
        ])])])])
        let appended = AuditChain.append(entry, after: .genesis)
        let report = verifier.verify(files: [(name: appended.fileName, lines: [appended.line])])
        #expect(report.chainIntact)
        #expect(!report.passed)
        #expect(Set(report.personalData.map(\.finding)) == [
            PersonalDataFinding(kind: .email, pointer: "/request/data/0/user_data/em"),
            PersonalDataFinding(kind: .ipv4, pointer: "/request/data/0/user_data/client_ip_address"),
            PersonalDataFinding(kind: .phone, pointer: "/request/data/0/user_data/ph"),
            PersonalDataFinding(kind: .ipv6, pointer: "/request/data/0/user_data/ip6"),
        ])
        #expect(report.personalData.allSatisfy { $0.file == appended.fileName && $0.line == 1 })
        #expect(!report.personalData.map(\.description).joined().contains("example.com"))
    }

    @Test("verification can start after archived files")
    func startingAfter() {
        let chain = threeDays()
        let archivedHead = verifier.verify(files: Array(chain.files.prefix(1))).head
        let report = verifier.verify(files: Array(chain.files.dropFirst()), startingAfter: archivedHead, expectedHead: chain.head)
        #expect(report.passed)
        #expect(report.entriesVerified == 10)
        #expect(!verifier.verify(files: Array(chain.files.dropFirst())).chainIntact)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
