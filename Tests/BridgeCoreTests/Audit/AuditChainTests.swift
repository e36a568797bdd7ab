import BridgeCore
import Crypto
import Testing

@Suite("Audit chain: sealing, lines and day files")
struct AuditChainTests {
    @Test("the hash is SHA-256 hex of the canonical JSON without the hash member")
    func hashDefinition() throws {
        let entry = AuditFixtures.entry(0, at: AuditFixtures.start)
        let sealed = AuditChain.seal(entry, previousHash: AuditChain.genesisHash)
        var members = try #require(sealed.jsonValue(includingHash: true).objectValue)
        #expect(members.removeValue(forKey: "hash") == .string(try #require(sealed.hash)))
        let canonical = JSONWriter.bytes(.object(members))
        let expected = SHA256.hash(data: canonical).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(sealed.hash == expected)
        #expect(sealed.hash?.count == 64)
        #expect(AuditChain.hash(of: sealed) == sealed.hash, "the stored hash does not feed into itself")
    }

    @Test("the line is canonical JSON with sorted keys and parses back to the same entry")
    func lineRoundTrip() throws {
        let appended = AuditChain.append(AuditFixtures.entry(0, at: AuditFixtures.start), after: .genesis)
        #expect(appended.line.hasPrefix("{\"batch_id\":\"batch-0\",\"completed_at\":\"2026-03-14T09:30:00.412Z\",\"destination\":\"meta\""))
        #expect(appended.line.hasSuffix("\"sent_at\":\"2026-03-14T09:30:00Z\",\"seq\":1,\"v\":1}"))
        #expect(!appended.line.contains("\n"))
        let parsed = try AuditEntry(json: try JSONParser.parse(appended.line))
        #expect(parsed == appended.entry)
    }

    @Test("append numbers from 1, links to the previous hash and moves the head")
    func appendLinks() {
        let first = AuditChain.append(AuditFixtures.entry(0, at: AuditFixtures.start), after: .genesis)
        #expect(first.entry.sequence == 1)
        #expect(first.entry.previousHash == String(repeating: "0", count: 64))
        #expect(first.head == AuditChainHead(sequence: 1, hash: first.entry.hash ?? ""))
        let second = AuditChain.append(AuditFixtures.entry(1, at: AuditFixtures.start.plus(seconds: 60)), after: first.head)
        #expect(second.entry.sequence == 2)
        #expect(second.entry.previousHash == first.entry.hash)
        #expect(second.entry.hash != first.entry.hash)
    }

    @Test("changing any field changes the hash")
    func everyFieldCounts() {
        let base = AuditChain.seal(AuditFixtures.entry(0, at: AuditFixtures.start), previousHash: AuditChain.genesisHash)
        var variants: [AuditEntry] = []
        var e = base
        e.responseStatus = 400
        variants.append(e)
        e = base
        e.eventIDs.append("x")
        variants.append(e)
        e = base
        e.sequence = 2
        variants.append(e)
        e = base
        e.previousHash = String(repeating: "1", count: 64)
        variants.append(e)
        e = base
        e.request = .object([:])
        variants.append(e)
        e = base
        e.completedAt = e.completedAt.plus(seconds: 0.001)
        variants.append(e)
        for variant in variants { #expect(AuditChain.hash(of: variant) != base.hash) }
    }

    @Test(
        "day files are named by the UTC day of completion",
        arguments: [
            (Int64(1_773_446_399_999), "audit-2026-03-13.jsonl"),  // 2026-03-13T23:59:59.999Z
            (Int64(1_773_446_400_000), "audit-2026-03-14.jsonl"),  // 2026-03-14T00:00:00Z
            (Int64(0), "audit-1970-01-01.jsonl"),
        ])
    func fileNames(millis: Int64, name: String) {
        #expect(AuditFileName.name(for: Timestamp(millisecondsSinceEpoch: millis)) == name)
    }

    @Test("file names parse back and sort chronologically; other names are dropped")
    func fileOrdering() {
        #expect(AuditFileName.day(ofFileNamed: "audit-2026-03-14.jsonl") == Timestamp(millisecondsSinceEpoch: 1_773_446_400_000))
        #expect(AuditFileName.day(ofFileNamed: "audit-2026-02-30.jsonl") == nil)
        #expect(AuditFileName.day(ofFileNamed: "notes.txt") == nil)
        #expect(AuditFileName.ordered(["audit-2026-03-15.jsonl", "README", "audit-2025-12-31.jsonl", "audit-2026-03-14.jsonl"])
            == ["audit-2025-12-31.jsonl", "audit-2026-03-14.jsonl", "audit-2026-03-15.jsonl"])
    }

    @Test("the chain continues across day files: a new day links to the previous file's last entry")
    func acrossDays() throws {
        let chain = AuditFixtures.chain(days: 2, perDay: 10)
        #expect(chain.files.map(\.name) == ["audit-2026-03-14.jsonl", "audit-2026-03-15.jsonl"])
        #expect(chain.files.map(\.lines.count) == [10, 10])
        let lastOfDayOne = try AuditEntry(json: try JSONParser.parse(try #require(chain.files[0].lines.last)))
        let firstOfDayTwo = try AuditEntry(json: try JSONParser.parse(chain.files[1].lines[0]))
        #expect(firstOfDayTwo.previousHash == lastOfDayOne.hash)
        #expect(firstOfDayTwo.sequence == lastOfDayOne.sequence + 1)
        #expect(chain.head.sequence == 20)
    }

    @Test("reading an entry names the bad key, never the value")
    func entryErrors() throws {
        let line = AuditChain.append(AuditFixtures.entry(0, at: AuditFixtures.start), after: .genesis).line
        var members = try #require(try JSONParser.parse(line).objectValue)
        members["seq"] = .string("one")
        #expect(throws: AuditEntryError.badField("seq")) { try AuditEntry(json: .object(members)) }
        members["seq"] = .number("1")
        members["extra"] = .string("x")
        #expect(throws: AuditEntryError.unknownField("extra")) { try AuditEntry(json: .object(members)) }
        #expect(throws: AuditEntryError.notAnObject) { try AuditEntry(json: .array([])) }
    }
}
