import BridgeCore
import BridgeStore

/// The answer to an accepted (or recognised) ingest request.
public struct IngestResponse: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// New events were stored durably: 202.
        case accepted
        /// Nothing new: a known delivery or known events: 200 with `duplicate: true`.
        case duplicate
        /// Authentic, but not a conversion: 200 with `ignored`.
        case ignored
        /// An activation ping: 200.
        case ok
    }

    public let status: Status
    /// Per event, in request order: id and whether it was new.
    public let events: [(id: String, outcome: IngestResult.EventOutcome)]
    public let reason: String?
    /// JSON pointers of the request's properties that the canonical schema
    /// does not declare and were ignored (at most 100).
    public let ignoredProperties: [JSONPointer]
    /// The trace context the events were stored with (not in the body).
    public var traceParent: TraceParent?

    public init(
        status: Status, events: [(id: String, outcome: IngestResult.EventOutcome)] = [], reason: String? = nil, ignoredProperties: [JSONPointer] = []
    ) {
        self.status = status
        self.events = events
        self.reason = reason
        self.ignoredProperties = ignoredProperties
    }

    public static func == (lhs: IngestResponse, rhs: IngestResponse) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.ignoredProperties == rhs.ignoredProperties
            && lhs.events.map(\.id) == rhs.events.map(\.id) && lhs.events.map(\.outcome) == rhs.events.map(\.outcome)
    }

    /// 202 when something new was stored, else 200.
    public var httpStatus: Int { status == .accepted ? 202 : 200 }

    /// The JSON body: `{"status", "duplicate", "accepted", "duplicates", "events": [{"event_id", "status"}], "reason"}`,
    /// and `"ignored": ["/events/0/loyalty_tier", …]` when properties were ignored
    /// (an ignored delivery, which stores nothing, answers `"ignored": true` instead).
    public var json: [UInt8] {
        var object: [String: JSONValue] = [
            "status": .string(status.rawValue),
            "duplicate": .bool(status == .duplicate),
        ]
        if status == .ignored { object["ignored"] = .bool(true) }
        if !events.isEmpty {
            object["accepted"] = .number(String(events.filter { $0.outcome == .accepted }.count))
            object["duplicates"] = .number(String(events.filter { $0.outcome == .duplicate }.count))
            object["events"] = .array(
                events.map {
                    .object(["event_id": .string($0.id), "status": .string($0.outcome == .accepted ? "accepted" : "duplicate")])
                })
        }
        if let reason { object["reason"] = .string(reason) }
        if status != .ignored, !ignoredProperties.isEmpty {
            object["ignored"] = .array(ignoredProperties.map { .string($0.description) })
        }
        return JSONWriter.bytes(.object(object))
    }
}
