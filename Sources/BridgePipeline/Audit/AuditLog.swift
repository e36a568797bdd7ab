import BridgeCore
import BridgeStore
import Crypto
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The tamper-evident log of what the bridge did with personal data: every
/// request before it is sent and its answer after (`attempt`, `outcome`), the
/// consent decisions of every prepared batch, and every erasure (`note`). One
/// JSON line per entry (`AuditRecord`, format `v: 2`), one file per UTC day
/// (`audit-YYYY-MM-DD.jsonl`), each entry carrying the previous entry's hash
/// and its own. The values a platform takes in clear (IP address, user
/// agent, click ids, URLs) reach the log only as keyed HMAC digests
/// (`digest(_:)`), spliced into the request bytes by the caller. An entry is
/// durable (written and fsync'd) when `append` returns; entries appended
/// while a write is under way are chained and written together with one
/// fsync (group commit).
///
/// Several processes may append (the server and `capi-bridge erase`): an
/// exclusive `flock` on `.audit.lock` serializes appends, and the head is
/// re-read from the newest file whenever another process wrote since. The
/// head is also recorded in the store so that truncation of the newest lines
/// is detectable.
///
/// An append interrupted by a crash or a full disk leaves a *torn segment*
/// after the last intact entry (`AuditTornTail`). Before the chain head is
/// read from a file (at start-up through `repairTornTail()`, and whenever
/// another writer or a failed write changed the file), such a segment is
/// moved to `<file>.torn` and the file cut back to its last intact entry, with
/// a warning and `capi_bridge_audit_torn_segments_total`; the chain goes on
/// from there and `audit verify` names the segment.
public actor AuditLog {
    public let directory: URL
    /// `directory` as a path, and the lock file's path: computed once, not per write.
    private let directoryPath: String
    private let lockPath: String
    private let digester: ClearFieldDigester
    private let headStore: (any PrivacyStore)?
    private var cached: (file: String, size: UInt64, head: AuditChainHead)?
    /// When the head was last recorded in the store: at most once a second,
    /// so the audit log does not add a durable transaction per entry. A store
    /// head that lags the files is fine; one ahead of them means truncation.
    private var headRecordedAt: ContinuousClock.Instant?
    /// Entries waiting for the next write: the first caller writes every
    /// entry queued so far with one fsync, in its own task.
    private let appender = CombiningQueue<AuditRecord, Void, any Error>(
        closedFailure: { AuditLogUnavailable() }, shortResult: { AuditLogUnavailable() })
    /// Group writes so far (one fsync each), for tests and metrics.
    private(set) var groupWrites = 0
    private let logger: Logger
    private let metrics: BridgeMetrics?

    /// Opens the log in `directory` (created when missing).
    /// - Parameters:
    ///   - digestKey: the HMAC key for clear-field digests.
    ///   - digestKeyID: its id in the digest key ring, recorded in every entry.
    ///   - headStore: where the chain head is recorded after each append.
    ///   - logger: where torn segments are reported.
    ///   - metrics: counts torn segments.
    public init(
        directory: URL, digestKey: SymmetricKey, digestKeyID: String? = nil, headStore: (any PrivacyStore)? = nil,
        logger: Logger = Logger(label: "capi-bridge.audit"), metrics: BridgeMetrics? = nil
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.directoryPath = directory.path
        self.lockPath = directory.appendingPathComponent(".audit.lock").path
        self.digester = ClearFieldDigester(key: digestKey, keys: [], keyID: digestKeyID)
        self.headStore = headStore
        self.logger = logger
        self.metrics = metrics
    }

    /// Moves a torn segment at the end of the newest file aside (see the
    /// type's documentation): call at start-up, before the first append.
    /// - Returns: the `.torn` files written to (empty when nothing was torn).
    @discardableResult
    public func repairTornTail() throws -> [String] {
        let lock = try FileLock(path: lockPath)
        defer { lock.unlock() }
        cached = nil
        let before = tornSegments
        _ = try readHead()
        return Array(tornSegments.dropFirst(before.count))
    }

    /// The `.torn` files this log wrote to, in order (for tests).
    private(set) var tornSegments: [String] = []

    /// The keyed digest that stands for a clear value in the log
    /// (`hmac-sha256:<hex>`); usable off the actor.
    public nonisolated func digest(_ value: String) -> String {
        digester.digest(value)
    }

    /// Appends a request about to be sent: its body as sent with the clear
    /// values replaced by their digests. Returns once the entry is durable;
    /// only then may the request go out.
    public func attempt(destination: String, batchID: String, eventIDs: [String], request: [UInt8], at time: Timestamp) async throws {
        try await append(
            AuditRecord(
                kind: .attempt, at: time, destination: destination, batchID: batchID, eventIDs: eventIDs, request: request,
                digestKeyID: digester.keyID))
    }

    /// Appends the answer to an attempt (or why there was none).
    public func outcome(destination: String, batchID: String, status: Int?, responseBody: [UInt8], at time: Timestamp) async throws {
        try await append(
            AuditRecord(
                kind: .outcome, at: time, destination: destination, batchID: batchID, responseStatus: status,
                responseSummary: ResponseSummary.make(body: responseBody)))
    }

    /// Appends a record of something decided rather than sent (consent
    /// decisions, an erasure). `details` hold no personal data in clear
    /// (decisions, keyed digests).
    public func note(kind: String, destination: String, batchID: String, eventIDs: [String], details: [String: JSONValue], at time: Timestamp)
        async throws
    {
        var details = details
        details["type"] = .string(kind)
        try await append(
            AuditRecord(
                kind: .note, at: time, destination: destination, batchID: batchID, eventIDs: eventIDs,
                details: JSONWriter.bytes(.object(details)), responseSummary: "not sent: \(kind)", digestKeyID: digester.keyID))
    }

    /// The head of the chain (last sequence and hash), as this process last saw it.
    public var chainHead: AuditChainHead { cached?.head ?? .genesis }

    /// Records the current head in the store now (at shutdown, and for tests).
    public func flushHead() async {
        guard let headStore, let head = cached?.head else { return }
        try? await headStore.recordAuditHead(head)
    }

    /// Queues `record` and returns once it is written and fsync'd.
    public func append(_ record: AuditRecord) async throws {
        try await appender.submit(record) { records in await self.write(records) }
    }

    /// Writes a group of queued entries, one file after another (a group
    /// spans two files only around midnight UTC), and records the new head
    /// in the store at most once a second.
    private func write(_ records: [AuditRecord]) async -> [Result<Void, any Error>] {
        var results: [Result<Void, any Error>] = []
        results.reserveCapacity(records.count)
        var start = 0
        while start < records.count {
            let file = AuditFileName.name(for: records[start].at)
            var end = start + 1
            while end < records.count, AuditFileName.name(for: records[end].at) == file { end += 1 }
            do {
                try await write(Array(records[start..<end]), to: file)
                results += Array(repeating: .success(()), count: end - start)
            } catch {
                results += Array(repeating: .failure(error), count: end - start)
            }
            start = end
        }
        if let headStore, let head = cached?.head, headRecordedAt.map({ ContinuousClock.now - $0 > .seconds(1) }) ?? true {
            headRecordedAt = ContinuousClock.now
            try? await headStore.recordAuditHead(head)
        }
        return results
    }

    /// Chains `records` after the current head and appends them to `file`.
    private func write(_ records: [AuditRecord], to file: String) async throws {
        let lock = try FileLock(path: lockPath)
        defer { lock.unlock() }
        var head = try currentHead(forFile: file)
        var lines: [[UInt8]] = []
        lines.reserveCapacity(records.count)
        for record in records {
            let appended = record.line(after: head)
            lines.append(appended.line)
            head = appended.head
        }
        let size = try await AuditLog.appendLines(lines, toPath: path(of: file))
        groupWrites += 1
        cached = (file, size, head)
    }

    /// The last entry of the newest file: from memory when no other process
    /// appended since, else read back from the file's tail.
    /// - Parameter file: the file the next entry goes to. When it is the file
    ///   this process appended to last and its size is unchanged, no other
    ///   process has appended since (they take the same lock), so the cached
    ///   head is current without listing the directory.
    private func currentHead(forFile file: String) throws -> AuditChainHead {
        if let cached, cached.file == file, AuditLog.fileSize(atPath: path(of: file)) == cached.size {
            return cached.head
        }
        return try readHead()
    }

    /// The head read back from the newest file holding an entry, each file's
    /// torn tail moved aside first. Runs under the file lock.
    private func readHead() throws -> AuditChainHead {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { AuditFileName.day(ofFileNamed: $0) != nil }
        for name in AuditFileName.ordered(names).reversed() {
            let url = directory.appendingPathComponent(name)
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value ?? 0
            if let cached, cached.file == name, cached.size == size { return cached.head }
            let read = try AuditLog.lastIntactHead(in: url, size: size)
            if read.tornBytes > 0 {
                let torn = name + ".torn"
                tornSegments.append(torn)
                metrics?.auditTornSegment()
                logger.warning(
                    "audit log: a torn segment after the last intact entry was moved aside; the chain continues from that entry",
                    metadata: ["audit.file": "\(name)", "audit.torn_file": "\(torn)", "audit.torn_bytes": "\(read.tornBytes)"])
            }
            if let head = read.head { return head }
        }
        return .genesis
    }

    /// The path of `file` in the log's directory.
    private func path(of file: String) -> String {
        directoryPath + "/" + file
    }

    /// Appends `lines`, each with a newline, with one `write(2)` loop and one
    /// `fdatasync` (which flushes the new size with the data), and returns the
    /// file's size as this write left it (the end it found plus what it wrote,
    /// so bytes another writer appends meanwhile show as a size change at the
    /// next `currentHead`). Runs off the actor.
    nonisolated static func appendLines(_ lines: [[UInt8]], toPath path: String) async throws -> UInt64 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes.append(contentsOf: line)
            bytes.append(0x0A)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AuditWriteFailed(operation: "open", code: errno) }
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else { throw AuditWriteFailed(operation: "lseek", code: errno) }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    throw AuditWriteFailed(operation: "write", code: errno)
                }
            }
        }
        while fdatasync(descriptor) != 0 {
            guard errno == EINTR else { throw AuditWriteFailed(operation: "fdatasync", code: errno) }
        }
        return UInt64(end) + UInt64(bytes.count)
    }

    /// The size of the file at `path`, or `nil` when it cannot be read.
    nonisolated static func fileSize(atPath path: String) -> UInt64? {
        var status = stat()
        return stat(path, &status) == 0 ? UInt64(status.st_size) : nil
    }

    /// The head from the last intact entry of a file, reading only its tail;
    /// a torn segment after it (`AuditTornTail`) is appended to
    /// `<file>.torn` and cut off the file, both fsync'd.
    static func lastIntactHead(in url: URL, size: UInt64) throws -> (head: AuditChainHead?, tornBytes: Int) {
        guard size > 0 else { return (nil, 0) }
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        var window: UInt64 = 64 * 1024
        while true {
            let start = size > window ? size - window : 0
            try handle.seek(toOffset: start)
            let data = [UInt8](try handle.readToEnd() ?? Data())
            guard let intact = AuditTornTail.intactLength(of: data[...], isWholeFile: start == 0) else {
                window *= 4
                continue
            }
            var tornBytes = 0
            if intact < data.count {
                tornBytes = data.count - intact
                try moveAside(data[intact...], from: url)
                try handle.truncate(atOffset: start + UInt64(intact))
                try handle.synchronize()
            } else if let last = data.last, last != 0x0A {
                // A whole last entry without its newline: the next line must not join it.
                try handle.seekToEnd()
                try handle.write(contentsOf: Data([0x0A]))
                try handle.synchronize()
            }
            let lines = data[..<intact].split(separator: 0x0A)
            guard let last = lines.last else { return (nil, tornBytes) }
            return (try AuditRecordLine(line: last).head, tornBytes)
        }
    }

    /// Appends a torn segment, newline-terminated, to `<file>.torn`.
    static func moveAside(_ bytes: ArraySlice<UInt8>, from url: URL) throws {
        let tornURL = url.appendingPathExtension("torn")
        if !FileManager.default.fileExists(atPath: tornURL.path) {
            _ = FileManager.default.createFile(atPath: tornURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: tornURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        var segment = Array(bytes)
        if segment.last != 0x0A { segment.append(0x0A) }
        try handle.write(contentsOf: Data(segment))
        try handle.synchronize()
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

/// A system call appending to the audit log failed (a full disk: `ENOSPC`).
struct AuditWriteFailed: Error, CustomStringConvertible {
    /// The system call that failed.
    let operation: String
    /// Its `errno`.
    let code: Int32
    var description: String { "audit log \(operation) failed: \(String(cString: strerror(code)))" }
}

/// The log returned no result for an entry (never expected: each write
/// answers every entry of its group).
struct AuditLogUnavailable: Error, CustomStringConvertible {
    var description: String { "the audit log did not answer for an entry" }
}
