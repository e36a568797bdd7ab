import Synchronization

/// What a route learned about its request that the access log should say
/// (source, outcome, event ids, body size, trace id), handed from the
/// route to `AccessLogMiddleware` through a task-local value: the
/// middleware sets `current` around the request, the route writes into it.
public final class AccessLogNote: Sendable {
    struct Fields: Sendable {
        var source: String?
        var outcome: AccessLogEntry.Outcome?
        var eventIDs: [String] = []
        var bytesIn: Int?
        var traceID: String?
    }

    private let fields = Mutex(Fields())

    public init() {}

    /// The note of the request being handled, when the access log is on the route's way.
    @TaskLocal public static var current: AccessLogNote?

    /// The configured source the request is for.
    public func record(source: String) { fields.withLock { $0.source = source } }

    /// The size of the body the route read.
    public func record(bytesIn: Int) { fields.withLock { $0.bytesIn = bytesIn } }

    /// The W3C trace id the request's events were stored with.
    public func record(traceID: String) { fields.withLock { $0.traceID = traceID } }

    /// How ingest answered, with the ids of the events concerned.
    public func record(outcome: AccessLogEntry.Outcome, eventIDs: [String]) {
        fields.withLock {
            $0.outcome = outcome
            $0.eventIDs = eventIDs
        }
    }

    var snapshot: Fields { fields.withLock { $0 } }
}
