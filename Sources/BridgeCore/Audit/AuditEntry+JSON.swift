/// The line format. Keys (sorted, as `JSONWriter` writes them):
///
/// | key                | value                                            |
/// |--------------------|--------------------------------------------------|
/// | `batch_id`         | string                                           |
/// | `completed_at`     | RFC 3339 UTC string (`2026-03-14T15:05:12.381Z`) |
/// | `destination`      | string                                           |
/// | `event_ids`        | array of strings                                 |
/// | `hash`             | 64 lowercase hex (absent from the hashed form)   |
/// | `prev_hash`        | 64 lowercase hex                                 |
/// | `request`          | the digested request body, any JSON              |
/// | `response_status`  | integer, or `null` without an answer             |
/// | `response_summary` | string                                           |
/// | `sent_at`          | RFC 3339 UTC string                              |
/// | `seq`              | integer ≥ 1                                      |
/// | `v`                | format version, `1`                              |
extension AuditEntry {
    /// The format version written in `v`.
    public static let formatVersion = 1

    /// The entry as a JSON object, with or without its `hash` member.
    public func jsonValue(includingHash: Bool = true) -> JSONValue {
        var members: [String: JSONValue] = [
            "v": .number(String(Self.formatVersion)),
            "seq": .number(String(sequence)),
            "sent_at": .string(sentAt.rfc3339),
            "completed_at": .string(completedAt.rfc3339),
            "destination": .string(destination),
            "batch_id": .string(batchID),
            "event_ids": .array(eventIDs.map(JSONValue.string)),
            "request": request,
            "response_status": responseStatus.map { .number(String($0)) } ?? .null,
            "response_summary": .string(responseSummary),
            "prev_hash": .string(previousHash),
        ]
        if includingHash, let hash { members["hash"] = .string(hash) }
        return .object(members)
    }

    /// Reads an entry back from its JSON object.
    /// - Throws: `AuditEntryError` naming the first missing or malformed key.
    public init(json: JSONValue) throws(AuditEntryError) {
        guard case .object(let members) = json else { throw .notAnObject }
        func string(_ key: String) throws(AuditEntryError) -> String {
            guard let value = members[key]?.stringValue else { throw .badField(key) }
            return value
        }
        func integer(_ key: String) throws(AuditEntryError) -> Int64 {
            guard let text = members[key]?.numberText, let value = Int64(text) else { throw .badField(key) }
            return value
        }
        func timestamp(_ key: String) throws(AuditEntryError) -> Timestamp {
            guard let value = Timestamp(rfc3339: try string(key)) else { throw .badField(key) }
            return value
        }
        guard try integer("v") == Int64(Self.formatVersion) else { throw .unsupportedVersion }
        guard let ids = members["event_ids"]?.arrayValue else { throw .badField("event_ids") }
        var eventIDs: [String] = []
        for id in ids {
            guard let text = id.stringValue else { throw .badField("event_ids") }
            eventIDs.append(text)
        }
        guard let request = members["request"] else { throw .badField("request") }
        var status: Int?
        switch members["response_status"] {
        case .null?: status = nil
        case .number(let text)?:
            guard let value = Int(text) else { throw .badField("response_status") }
            status = value
        default: throw .badField("response_status")
        }
        let known: Set<String> = [
            "v", "seq", "sent_at", "completed_at", "destination", "batch_id", "event_ids", "request",
            "response_status", "response_summary", "prev_hash", "hash",
        ]
        if let extra = members.keys.sorted().first(where: { !known.contains($0) }) { throw .unknownField(extra) }
        var hash: String?
        if members["hash"] != nil { hash = try string("hash") }
        self.init(
            sequence: try integer("seq"), sentAt: try timestamp("sent_at"), completedAt: try timestamp("completed_at"),
            destination: try string("destination"), batchID: try string("batch_id"), eventIDs: eventIDs,
            request: request, responseStatus: status, responseSummary: try string("response_summary"),
            previousHash: try string("prev_hash"), hash: hash)
    }
}

/// Why a JSON value is not an audit entry. Names keys, never values.
public enum AuditEntryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is not JSON (the parser's position and reason, never content).
    case notJSON(String)
    case notAnObject
    case unsupportedVersion
    /// A key is missing or holds the wrong kind of value.
    case badField(String)
    /// A key this format does not define (an added field would escape the
    /// reader's checks).
    case unknownField(String)

    public var description: String {
        switch self {
        case .notJSON(let why): return why
        case .notAnObject: return "not a JSON object"
        case .unsupportedVersion: return "unsupported format version"
        case .badField(let key): return "missing or malformed \"\(key)\""
        case .unknownField(let key): return "unknown key \"\(key)\""
        }
    }
}
