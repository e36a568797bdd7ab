import Logging

/// One access-log line: what a request was and how it ended, never what it
/// carried. Built from the method, the route *template* (never the raw path,
/// which may hold ids), the status and sizes, and what ingest recorded
/// (`AccessLogNote`): no query string, header value, body or personal data
/// can reach it.
public struct AccessLogEntry: Sendable, Equatable {
    /// How a request ended, as the access log names it.
    public enum Outcome: String, Sendable {
        /// New events stored (202).
        case accepted
        /// Nothing new: a redelivery or known events.
        case duplicate
        /// Authentic but not a conversion (ingest), stored nothing.
        case ignored
        /// Any other successful request (health, admin, a source's ping).
        case ok
        /// Refused with a 4xx answer.
        case rejected
        /// Failed with a 5xx answer.
        case failed

        /// The outcome a status implies when the route recorded none.
        public init(status: Int) {
            switch status {
            case ..<400: self = .ok
            case 400..<500: self = .rejected
            default: self = .failed
            }
        }
    }

    public var requestID: RequestID
    public var method: String
    /// The matched route's template (`/v1/webhooks/{name}`); `nil` when no route matched.
    public var route: String?
    /// The configured source an ingest request was for.
    public var source: String?
    public var status: Int
    public var durationSeconds: Double
    public var bytesIn: Int
    public var bytesOut: Int?
    /// The ids of the events the request carried, in request order.
    public var eventIDs: [String]
    public var outcome: Outcome
    /// The problem `type` slug of an error answer.
    public var problem: String?
    /// The W3C trace id ingest stored with the events.
    public var traceID: String?

    /// At most this many event ids are written; a bigger batch logs only its count.
    public static let maxListedEventIDs = 20

    public init(
        requestID: RequestID, method: String, route: String?, source: String? = nil, status: Int, durationSeconds: Double, bytesIn: Int,
        bytesOut: Int?, eventIDs: [String] = [], outcome: Outcome? = nil, problem: String? = nil, traceID: String? = nil
    ) {
        self.requestID = requestID
        self.method = method
        self.route = route
        self.source = source
        self.status = status
        self.durationSeconds = durationSeconds
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.eventIDs = eventIDs
        self.outcome = outcome ?? Outcome(status: status)
        self.problem = problem
        self.traceID = traceID
    }

    /// The message of every access-log line.
    public static let message: Logger.Message = "request"

    /// The line's fields (OpenTelemetry semantic-convention names where one exists).
    public var metadata: Logger.Metadata {
        var fields: Logger.Metadata = [
            "request.id": .string(requestID.value),
            "http.request.method": .string(method),
            "http.response.status_code": .stringConvertible(status),
            "http.server.request.duration": .string(Self.seconds(durationSeconds)),
            "http.request.body.size": .stringConvertible(bytesIn),
            "outcome": .string(outcome.rawValue),
        ]
        if let route { fields["http.route"] = .string(route) }
        if let source { fields["source.name"] = .string(source) }
        if let bytesOut { fields["http.response.body.size"] = .stringConvertible(bytesOut) }
        if !eventIDs.isEmpty {
            fields["event.count"] = .stringConvertible(eventIDs.count)
            if eventIDs.count <= Self.maxListedEventIDs { fields["event.ids"] = .array(eventIDs.map { .string($0) }) }
        }
        if let problem { fields["problem.type"] = .string(problem) }
        if let traceID { fields["trace_id"] = .string(traceID) }
        return fields
    }

    /// Seconds with microsecond resolution (`0.001234`).
    static func seconds(_ value: Double) -> String {
        let micros = Int64((max(0, value) * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
