import Crypto

/// The `v: 2` line format. Members, in this order (absent ones left out):
///
/// | key                | kinds               | value                                   |
/// |--------------------|---------------------|-----------------------------------------|
/// | `v`                | all                 | `2`                                     |
/// | `seq`              | all                 | integer ≥ 1, +1 per line across files   |
/// | `kind`             | all                 | `attempt`, `outcome` or `note`          |
/// | `at`               | all                 | RFC 3339 UTC (`2026-03-14T15:05:12.381Z`) |
/// | `destination`      | all                 | string                                  |
/// | `batch_id`         | all                 | string                                  |
/// | `event_ids`        | attempt, note       | array of strings                        |
/// | `request`          | attempt             | the request body as sent, digested      |
/// | `details`          | note                | JSON object                             |
/// | `response_status`  | outcome             | integer, or `null` without an answer    |
/// | `response_summary` | outcome, note       | string                                  |
/// | `prev_hash`        | all                 | 64 lowercase hex                        |
/// | `hash`             | all                 | 64 lowercase hex, always last           |
///
/// `hash` is the lowercase hex SHA-256 of the line's exact bytes up to (not
/// including) `,"hash":`, followed by `}`: the line without its `hash`
/// member. Unlike `v: 1` (`AuditChain`), nothing is re-serialized to hash or
/// to verify: the request bytes are written once and hashed as written.
extension AuditRecord {
    /// The line (no newline) of this record chained after `head`, and the new head.
    public func line(after head: AuditChainHead) -> (line: [UInt8], head: AuditChainHead) {
        let sequence = head.sequence + 1
        var out: [UInt8] = []
        out.reserveCapacity(256 + (request?.count ?? 0) + (details?.count ?? 0) + eventIDs.count * 32)
        out.append(contentsOf: #"{"v":2,"seq":"#.utf8)
        out.append(contentsOf: String(sequence).utf8)
        Self.member("kind", kind.rawValue, into: &out)
        Self.member("at", at.rfc3339, into: &out)
        Self.member("destination", destination, into: &out)
        Self.member("batch_id", batchID, into: &out)
        if kind != .outcome {
            out.append(contentsOf: #","event_ids":["#.utf8)
            for (index, id) in eventIDs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(id, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if kind == .attempt {
            out.append(contentsOf: #","request":"#.utf8)
            out.append(contentsOf: request ?? Array("null".utf8))
        }
        if kind == .note {
            out.append(contentsOf: #","details":"#.utf8)
            out.append(contentsOf: details ?? Array("{}".utf8))
        }
        if kind == .outcome {
            out.append(contentsOf: #","response_status":"#.utf8)
            out.append(contentsOf: (responseStatus.map(String.init) ?? "null").utf8)
        }
        if kind != .attempt { Self.member("response_summary", responseSummary ?? "", into: &out) }
        Self.member("prev_hash", head.hash, into: &out)
        let hash = AuditRecordLine.hash(ofBody: out)
        out.append(contentsOf: #","hash":""#.utf8)
        out.append(contentsOf: hash.utf8)
        out.append(contentsOf: #""}"#.utf8)
        return (out, AuditChainHead(sequence: sequence, hash: hash))
    }

    private static func member(_ key: String, _ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: ","))
        JSONWriter.writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        JSONWriter.writeString(value, into: &out)
    }
}

/// A line of either format read back: what chaining, verification, export
/// and the torn-tail check need.
public struct AuditRecordLine: Sendable, Equatable {
    public var version: Int
    public var sequence: Int64
    /// `attempt`, `outcome`, `note`; `request` for a `v: 1` line (a request
    /// and its answer in one entry) or `note` for a `v: 1` decision.
    public var kind: String
    /// `v: 1` `completed_at`, `v: 2` `at`.
    public var at: Timestamp
    public var destination: String
    public var batchID: String
    public var eventIDs: [String]
    public var responseStatus: Int?
    public var responseSummary: String?
    public var previousHash: String
    public var hash: String?
    /// The parsed line, for the personal-data scan.
    public var document: JSONValue

    /// Reads a line of either version.
    /// - Throws: `AuditEntryError` naming the first missing or malformed key.
    public init(line: some Collection<UInt8>) throws(AuditEntryError) {
        let document: JSONValue
        do { document = try JSONParser.parse(line) } catch { throw .notJSON(error.description) }
        try self.init(document: document)
    }

    /// Reads a parsed line of either version.
    public init(document: JSONValue) throws(AuditEntryError) {
        guard case .object = document else { throw .notAnObject }
        switch document["v"]?.numberText {
        case "1"?:
            let entry = try AuditEntry(json: document)
            let isNote = entry.responseStatus == nil && entry.responseSummary.hasPrefix("not sent: ")
            self.init(
                version: 1, sequence: entry.sequence, kind: isNote ? "note" : "request", at: entry.completedAt,
                destination: entry.destination, batchID: entry.batchID, eventIDs: entry.eventIDs, responseStatus: entry.responseStatus,
                responseSummary: entry.responseSummary, previousHash: entry.previousHash, hash: entry.hash, document: document)
        case "2"?:
            try self.init(version2: document)
        default:
            throw .unsupportedVersion
        }
    }

    private init(
        version: Int, sequence: Int64, kind: String, at: Timestamp, destination: String, batchID: String, eventIDs: [String],
        responseStatus: Int?, responseSummary: String?, previousHash: String, hash: String?, document: JSONValue
    ) {
        self.version = version
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.destination = destination
        self.batchID = batchID
        self.eventIDs = eventIDs
        self.responseStatus = responseStatus
        self.responseSummary = responseSummary
        self.previousHash = previousHash
        self.hash = hash
        self.document = document
    }

    private init(version2 document: JSONValue) throws(AuditEntryError) {
        func string(_ key: String) throws(AuditEntryError) -> String {
            guard let value = document[key]?.stringValue else { throw .badField(key) }
            return value
        }
        guard let seqText = document["seq"]?.numberText, let sequence = Int64(seqText), sequence >= 1 else { throw .badField("seq") }
        let kind = try string("kind")
        guard let recordKind = AuditRecord.Kind(rawValue: kind) else { throw .badField("kind") }
        guard let at = Timestamp(rfc3339: try string("at")) else { throw .badField("at") }
        var eventIDs: [String] = []
        if recordKind != .outcome {
            guard let ids = document["event_ids"]?.arrayValue else { throw .badField("event_ids") }
            for id in ids {
                guard let text = id.stringValue else { throw .badField("event_ids") }
                eventIDs.append(text)
            }
        }
        if recordKind == .attempt, document["request"] == nil { throw .badField("request") }
        if recordKind == .note, document["details"]?.objectValue == nil { throw .badField("details") }
        var status: Int?
        if recordKind == .outcome {
            switch document["response_status"] {
            case .null?: status = nil
            case .number(let text)?:
                guard let value = Int(text) else { throw .badField("response_status") }
                status = value
            default: throw .badField("response_status")
            }
        }
        let known: Set<String> = [
            "v", "seq", "kind", "at", "destination", "batch_id", "event_ids", "request", "details", "response_status",
            "response_summary", "prev_hash", "hash",
        ]
        if case .object(let members) = document, let extra = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownField(extra)
        }
        self.init(
            version: 2, sequence: sequence, kind: kind, at: at, destination: try string("destination"), batchID: try string("batch_id"),
            eventIDs: eventIDs, responseStatus: status, responseSummary: recordKind == .attempt ? nil : try string("response_summary"),
            previousHash: try string("prev_hash"), hash: document["hash"] == nil ? nil : try string("hash"), document: document)
    }

    /// The head this line leaves the chain at.
    public var head: AuditChainHead { AuditChainHead(sequence: sequence, hash: hash ?? AuditChain.genesisHash) }

    /// Whether the stored hash matches the line: `v: 2` over the line's exact
    /// bytes without its `hash` member, `v: 1` over the canonical form.
    public func hashMatches(line: some Collection<UInt8>) -> Bool {
        guard let hash else { return false }
        if version == 1 { return hash == AuditChain.hash(ofCanonical: document) }
        let bytes = Array(line)
        // `,"hash":"` + 64 hex + `"}` ends every v2 line.
        let suffixLength = 9 + 64 + 2
        guard bytes.count > suffixLength else { return false }
        let start = bytes.count - suffixLength
        guard Array(bytes[start..<(start + 9)]) == Array(#","hash":""#.utf8), Array(bytes[(bytes.count - 2)...]) == Array(#""}"#.utf8) else {
            return false
        }
        return Self.hash(ofBody: bytes[..<start]) == hash
    }

    /// The v2 hash of a line body (the line up to its `hash` member, without
    /// the closing brace).
    static func hash(ofBody body: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(body))
        hasher.update(data: [UInt8(ascii: "}")])
        return ClearFieldDigester.hex(hasher.finalize())
    }
}
