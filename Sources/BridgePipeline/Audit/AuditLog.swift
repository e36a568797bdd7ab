import BridgeCore
import BridgeStore
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The tamper-evident log of what the bridge did with personal data: every
/// request sent and its answer, the consent decisions of every prepared
/// batch, and every erasure. One JSON line per entry, one file per UTC day
/// (`audit-YYYY-MM-DD.jsonl`), each entry carrying the previous entry's hash
/// and its own (see `AuditChain`). Clear fields (IP address, user agent, click
/// ids, URLs) are replaced by keyed HMAC digests before the line is written.
/// An entry is durable (written and fsync'd) when `record` or `note`
/// returns; entries recorded while a write is under way are chained and
/// written together with one fsync (group commit).
///
/// Several processes may append (the server and `capi-bridge erase`): an
/// exclusive `flock` on `.audit.lock` serializes appends, and the head is
/// re-read from the newest file whenever another process wrote since. The
/// head is also recorded in the store so that truncation of the newest lines
/// is detectable.
public actor AuditLog {
    public let directory: URL
    private let digester: ClearFieldDigester
    private let headStore: (any PrivacyStore)?
    private var cached: (file: String, size: UInt64, head: AuditChainHead)?
    /// When the head was last recorded in the store: at most once a second,
    /// so the audit log does not add a durable transaction per entry. A store
    /// head that lags the files is fine; one ahead of them means truncation.
    private var headRecordedAt: ContinuousClock.Instant?
    /// Entries waiting for the next write, with their callers.
    private var queue: [(entry: AuditEntry, waiter: CheckedContinuation<Void, any Error>)] = []
    /// True while a writer drains `queue`.
    private var writing = false
    /// Group writes so far (one fsync each), for tests and metrics.
    private(set) var groupWrites = 0

    /// JSON keys whose values some platform takes in clear (IP address, user
    /// agent, click and browser ids, URLs that carry them): digested in the
    /// log. Hashed identifiers stay as sent, so auditors can match them.
    public static let clearKeys: Set<String> = [
        "client_ip_address", "client_user_agent", "ip_address", "user_agent", "ip", "ipAddress", "userAgent",
        "fbc", "fbp", "fbclid", "gclid", "gbraid", "wbraid", "ttclid", "ttp", "sccid", "sc_click_id", "sc_cookie1",
        "click_id", "epik", "li_fat_id", "rdt_cid", "uuid", "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID",
        // URLs carry click ids (and sometimes worse) in their query strings.
        "landing_url", "event_source_url", "referrer_url", "page_url",
    ]

    /// Opens the log in `directory` (created when missing).
    /// - Parameters:
    ///   - digestKey: the HMAC key for clear-field digests.
    ///   - digestKeyID: its id in the digest key ring, recorded in every entry.
    ///   - headStore: where the chain head is recorded after each append.
    public init(directory: URL, digestKey: SymmetricKey, digestKeyID: String? = nil, headStore: (any PrivacyStore)? = nil) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.digester = ClearFieldDigester(key: digestKey, keys: AuditLog.clearKeys, keyID: digestKeyID)
        self.headStore = headStore
    }

    /// Appends one request/answer pair.
    /// - Parameter payloadIsDigested: the caller already replaced the clear
    ///   fields (see `digestClearFields(_:)`), so the whole payload need not be walked.
    public func record(
        destination: String, batchID: String, eventIDs: [String], payload: JSONValue, status: Int?, responseBody: [UInt8],
        sentAt: Timestamp, completedAt: Timestamp, payloadIsDigested: Bool = false
    ) async throws {
        try await append(
            AuditEntry(
                sequence: 0, sentAt: sentAt, completedAt: completedAt, destination: destination, batchID: batchID,
                eventIDs: eventIDs, request: payloadIsDigested ? payload : digester.digestingClearFields(of: payload), responseStatus: status,
                responseSummary: ResponseSummary.make(body: responseBody), previousHash: "", digestKeyID: digester.keyID))
    }

    /// Replaces every string and number of a small JSON value (one item's
    /// split-off clear fields, all of which are clear by construction) by its
    /// keyed digest; usable off the actor.
    public nonisolated func digestClearFields(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(digester.digest(text))
        case .number(let text): return .string(digester.digest(text))
        case .object(let members): return .object(members.mapValues { digestClearFields($0) })
        case .array(let elements): return .array(elements.map { digestClearFields($0) })
        case .null, .bool: return value
        }
    }

    /// Appends a record of something decided rather than sent (consent
    /// decisions, an erasure): `details` is written as the entry's `request`,
    /// with `"type": kind`.
    public func note(kind: String, destination: String, batchID: String, eventIDs: [String], details: [String: JSONValue], at time: Timestamp)
        async throws
    {
        var request = details
        request["type"] = .string(kind)
        try await append(
            AuditEntry(
                sequence: 0, sentAt: time, completedAt: time, destination: destination, batchID: batchID, eventIDs: eventIDs,
                request: digester.digestingClearFields(of: .object(request)), responseStatus: nil, responseSummary: "not sent: \(kind)",
                previousHash: "", digestKeyID: digester.keyID))
    }

    /// The head of the chain (last sequence and hash), as this process last saw it.
    public var chainHead: AuditChainHead { cached?.head ?? .genesis }

    /// Records the current head in the store now (at shutdown, and for tests).
    public func flushHead() async {
        guard let headStore, let head = cached?.head else { return }
        try? await headStore.recordAuditHead(head)
    }

    /// Queues `entry` and returns once it is written and fsync'd.
    private func append(_ entry: AuditEntry) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            queue.append((entry, waiter))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    /// Writes queued entries until none is left: each round takes every
    /// entry queued so far for one file, chains them under the file lock,
    /// writes them with one fsync off the actor (so more entries can queue
    /// meanwhile), then resumes their callers.
    private func drain() async {
        while !queue.isEmpty {
            let file = AuditFileName.name(for: queue[0].entry.completedAt)
            let count = queue.prefix { AuditFileName.name(for: $0.entry.completedAt) == file }.count
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            do {
                try await write(batch.map(\.entry), to: file)
                for item in batch { item.waiter.resume() }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
        writing = false
    }

    /// Chains `entries` after the current head and appends them to `file`.
    private func write(_ entries: [AuditEntry], to file: String) async throws {
        let lock = try FileLock(path: directory.appendingPathComponent(".audit.lock").path)
        defer { lock.unlock() }
        var head = try currentHead(forFile: file)
        var lines: [String] = []
        lines.reserveCapacity(entries.count)
        for entry in entries {
            let appended = AuditChain.append(entry, after: head)
            lines.append(appended.line)
            head = appended.head
        }
        let url = directory.appendingPathComponent(file)
        let size = try await AuditLog.appendLines(lines, to: url)
        groupWrites += 1
        cached = (file, size, head)
        if let headStore, headRecordedAt.map({ ContinuousClock.now - $0 > .seconds(1) }) ?? true {
            headRecordedAt = ContinuousClock.now
            let recorded = head
            Task { try? await headStore.recordAuditHead(recorded) }
        }
    }

    /// The last entry of the newest file: from memory when no other process
    /// appended since, else read back from the file's tail.
    /// - Parameter file: the file the next entry goes to. When it is the file
    ///   this process appended to last and its size is unchanged, no other
    ///   process has appended since (they take the same lock), so the cached
    ///   head is current without listing the directory.
    private func currentHead(forFile file: String) throws -> AuditChainHead {
        if let cached, cached.file == file {
            let path = directory.appendingPathComponent(file).path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value
            if size == cached.size { return cached.head }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { AuditFileName.day(ofFileNamed: $0) != nil }
        for name in AuditFileName.ordered(names).reversed() {
            let url = directory.appendingPathComponent(name)
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value ?? 0
            if let cached, cached.file == name, cached.size == size { return cached.head }
            if let head = try AuditLog.lastHead(in: url, size: size) { return head }
        }
        return .genesis
    }

    /// Appends `lines`, each with a newline, fsyncs once, and returns the new
    /// file size. Runs off the actor.
    nonisolated static func appendLines(_ lines: [String], to url: URL) async throws -> UInt64 {
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(contentsOf: line.utf8)
            bytes.append(0x0A)
        }
        try handle.write(contentsOf: Data(bytes))
        try handle.synchronize()
        return end + UInt64(bytes.count)
    }

    /// The head from the last complete line of a file, reading only its tail.
    static func lastHead(in url: URL, size: UInt64) throws -> AuditChainHead? {
        guard size > 0 else { return nil }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var window: UInt64 = 64 * 1024
        while true {
            let start = size > window ? size - window : 0
            try handle.seek(toOffset: start)
            let data = try handle.readToEnd() ?? Data()
            let lines = data.split(separator: 0x0A)
            if let last = lines.last, start == 0 || lines.count > 1 {
                let entry = try AuditEntry(json: try JSONParser.parse(Array(last)))
                return AuditChainHead(sequence: entry.sequence, hash: entry.hash ?? AuditChain.genesisHash)
            }
            guard start > 0 else { return nil }
            window *= 4
        }
    }
}

/// An exclusive advisory lock on a file, held until `unlock()`.
struct FileLock {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw CocoaError(.fileWriteUnknown)
            }
        }
    }

    func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
