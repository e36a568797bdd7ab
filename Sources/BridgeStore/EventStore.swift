import BridgeCore

/// The durable outbox. Implementations: `SQLiteStore` (embedded default);
/// a PostgreSQL implementation follows the same contract so that several
/// bridge instances can share one database.
///
/// Contract for `ingest`: when it returns, the result is committed durably
/// (on disk, fsync'd); a request is stored entirely or not at all; duplicates
/// (a known delivery key, or a known source and event id) create nothing;
/// concurrent identical requests store one copy.
public protocol EventStore: Sendable {
    /// Stores one delivery's events atomically and durably.
    func ingest(_ request: IngestRequest) async throws(StoreError) -> IngestResult

    /// Succeeds when the database answers a trivial query.
    func checkReachable() async throws(StoreError)

    /// Runs the store's background work (PostgreSQL: its connection pool)
    /// until `close()`; returns at once when there is none. Call it in a task
    /// of its own before the first query: `withRunningStore` does.
    func run() async

    /// Returns once `run()` has started.
    func waitUntilRunning() async

    /// Stops taking work, finishes what was accepted, closes the database
    /// (and ends `run()`). Safe to call twice.
    func close() async

    /// The number of events in the outbox, by source (for tests, CLI and metrics).
    func countEvents() async throws(StoreError) -> [String: Int]

    /// Stored events of a source in arrival order, with their clear part and
    /// sealed identifiers, for inspection, tests and the prepare stage.
    func storedEvents(source: String?, limit: Int) async throws(StoreError) -> [StoredEvent]
}

/// An event as stored in the outbox.
public struct StoredEvent: Sendable, Equatable {
    /// Outbox sequence number.
    public let sequence: Int64
    public let source: String
    public let eventID: String
    public let eventName: String
    public let eventTime: Timestamp
    public let receivedAt: Timestamp
    public let isTest: Bool
    /// The clear part (no identifiers): `StoredEventCodec`'s binary form, or
    /// canonical JSON for rows stored by earlier versions.
    public let body: [UInt8]
    /// Sealed identifiers, `nil` when none or already erased.
    public let sealed: [UInt8]?
    /// The W3C trace context the event was stored with; `nil` for events
    /// stored before trace contexts were.
    public let traceParent: TraceParent?

    public init(
        sequence: Int64, source: String, eventID: String, eventName: String, eventTime: Timestamp,
        receivedAt: Timestamp, isTest: Bool, body: [UInt8], sealed: [UInt8]?, traceParent: TraceParent? = nil
    ) {
        self.traceParent = traceParent
        self.sequence = sequence
        self.source = source
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.receivedAt = receivedAt
        self.isTest = isTest
        self.body = body
        self.sealed = sealed
    }

    /// Rebuilds the event, unsealing its identifiers with `sealer`.
    public func restore(with sealer: IdentifierSealer?) throws(StoreError) -> ConversionEvent {
        var event: ConversionEvent
        do { event = try StoredEventCodec.event(clear: body, source: source) } catch {
            throw StoreError(.corrupt, "event \(sequence): \(error)")
        }
        if let sealed, let sealer {
            do {
                let opened = try sealer.open(sealed, context: OutboxRecord.sealContext(source: source, eventID: eventID))
                (event.customer, event.client) = try StoredEventCodec.identifiers(opened)
            } catch let error as StoredEventCodec.DecodingError {
                throw StoreError(.corrupt, "event \(sequence): \(error)")
            } catch {
                throw StoreError(.corrupt, "event \(sequence): \(error)")
            }
        }
        return event
    }
}
