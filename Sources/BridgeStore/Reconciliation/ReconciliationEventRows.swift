import BridgeCore

/// Folds the rows both stores read for a reconciliation (an event joined
/// with its deliveries, one row per delivery or one without) into
/// `ReconciliationEvent`s, reading the order id and value from the event's
/// clear part. Shared so SQLite and PostgreSQL answer identically.
struct ReconciliationEventRows {
    /// One event's columns.
    struct Event {
        let sequence: Int64
        let eventID: String
        let eventTime: Timestamp
        let isTest: Bool
        let body: [UInt8]
        let prepared: Bool
        let backfillRun: String?
    }

    /// One delivery's columns.
    struct Delivery {
        let destination: String
        let state: String
        let consentReason: String?
        let skipReason: String?
        let deadCode: String?
        let attempts: Int
    }

    private var order: [Int64] = []
    private var events: [Int64: ReconciliationEvent] = [:]
    let source: String

    init(source: String) { self.source = source }

    /// Adds one row; `delivery` is `nil` for an event without deliveries.
    mutating func add(_ event: Event, _ delivery: Delivery?) {
        if events[event.sequence] == nil {
            order.append(event.sequence)
            let restored = try? StoredEventCodec.event(clear: event.body, source: source)
            events[event.sequence] = ReconciliationEvent(
                eventID: event.eventID, orderID: restored?.orderID, eventTime: event.eventTime, value: restored?.value, isTest: event.isTest,
                prepared: event.prepared, backfillRun: event.backfillRun, deliveries: [])
        }
        if let delivery { events[event.sequence]?.deliveries.append(Self.outcome(delivery)) }
    }

    /// Whether the event with outbox `sequence` was added already.
    func contains(_ sequence: Int64) -> Bool { events[sequence] != nil }

    /// The events in the order they were first added.
    var result: [ReconciliationEvent] { order.compactMap { events[$0] } }

    /// A delivery row as the report counts it.
    static func outcome(_ row: Delivery) -> ReconciliationDelivery {
        switch DeliveryState(rawValue: row.state) {
        case .delivered?: return ReconciliationDelivery(destination: row.destination, outcome: .delivered)
        case .suppressed?: return ReconciliationDelivery(destination: row.destination, outcome: .suppressed, reason: row.consentReason)
        case .skipped?: return ReconciliationDelivery(destination: row.destination, outcome: .skipped, reason: row.skipReason)
        case .dead?: return ReconciliationDelivery(destination: row.destination, outcome: .deadLetter, reason: row.deadCode)
        case .pending?, nil:
            return ReconciliationDelivery(destination: row.destination, outcome: .pending, reason: row.attempts > 0 ? "retrying" : nil)
        }
    }
}
