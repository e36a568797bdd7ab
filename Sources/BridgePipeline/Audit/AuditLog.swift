import BridgeCore
import Crypto
import Foundation

/// The tamper-evident log of every request sent and its answer: one JSON line
/// per request, one file per UTC day (`audit-YYYY-MM-DD.jsonl`), each entry
/// carrying the previous entry's hash and its own (see `AuditChain`). Clear
/// fields (IP address, user agent, click ids) are replaced by keyed HMAC
/// digests before the line is written; the file is fsync'd per entry.
public actor AuditLog {
    public let directory: URL
    private let digester: ClearFieldDigester
    private var head: AuditChainHead

    /// JSON keys whose values some platform takes in clear (IP address, user
    /// agent, click and browser ids): digested in the log. Hashed identifiers
    /// stay as sent, so auditors can match them.
    public static let clearKeys: Set<String> = [
        "client_ip_address", "client_user_agent", "ip_address", "user_agent", "ip", "ipAddress", "userAgent",
        "fbc", "fbp", "fbclid", "gclid", "gbraid", "wbraid", "ttclid", "ttp", "sccid", "sc_click_id", "sc_cookie1",
        "click_id", "epik", "li_fat_id", "rdt_cid", "uuid", "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID",
        // URLs carry click ids (and sometimes worse) in their query strings.
        "landing_url", "event_source_url", "referrer_url", "page_url",
    ]

    /// Opens the log in `directory` (created when missing) and continues the
    /// chain from its newest entry.
    /// - Parameter digestKey: the HMAC key for clear-field digests.
    public init(directory: URL, digestKey: SymmetricKey) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.digester = ClearFieldDigester(key: digestKey, keys: AuditLog.clearKeys)
        self.head = try AuditLog.recoverHead(in: directory)
    }

    /// Appends one request/answer pair.
    public func record(
        destination: String, batchID: String, eventIDs: [String], payload: JSONValue, status: Int?, responseBody: [UInt8],
        sentAt: Timestamp, completedAt: Timestamp
    ) throws {
        let entry = AuditEntry(
            sequence: 0, sentAt: sentAt, completedAt: completedAt, destination: destination, batchID: batchID,
            eventIDs: eventIDs, request: digester.digestingClearFields(of: payload), responseStatus: status,
            responseSummary: ResponseSummary.make(body: responseBody), previousHash: head.hash)
        let appended = AuditChain.append(entry, after: head)
        try AuditLog.appendLine(appended.line, to: directory.appendingPathComponent(appended.fileName))
        head = appended.head
    }

    /// The head of the chain (last sequence and hash).
    public var chainHead: AuditChainHead { head }

    static func appendLine(_ line: String, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.synchronize()
    }

    /// The last entry's sequence and hash, read from the newest file.
    static func recoverHead(in directory: URL) throws -> AuditChainHead {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { AuditFileName.day(ofFileNamed: $0) != nil }
        for name in AuditFileName.ordered(names).reversed() {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            guard let last = text.split(separator: "\n").last(where: { !$0.isEmpty }) else { continue }
            let entry = try AuditEntry(json: try JSONParser.parse(String(last)))
            return AuditChainHead(sequence: entry.sequence, hash: entry.hash ?? AuditChain.genesisHash)
        }
        return .genesis
    }
}
