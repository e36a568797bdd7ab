/// The three-way comparison: source orders ↔ bridge events ↔ each
/// destination's outcome. Pure: the caller fetches both sides.
///
/// For each order paid inside the window (`ReconciliationWindow.contains`):
///
/// | found in the bridge? | then | category |
/// |---|---|---|
/// | no, and its event id was erased | | `erased` |
/// | no | | `missing` |
/// | yes, value or currency differ | | `valueDiffers` |
/// | yes, every destination delivered, suppressed or skipped | | `delivered` |
/// | yes, otherwise (pending, dead letter, not routed) | | `undelivered` |
///
/// Platform orders are joined on the event id their webhook would have
/// produced; custom backends' on the event's `order_id`. Orders and events
/// up to `ReconciliationWindow.edgeSlack` outside the window are used for
/// matching only. A purchase event inside the window that no order matches
/// is listed under events without an order.
public enum Reconciler {
    /// Both sides of one reconciliation.
    public struct Input: Sendable {
        public var source: String
        public var sourceKind: String
        public var window: ReconciliationWindow
        /// The configured destinations, in order.
        public var destinations: [String]
        /// What the source lists over the matching window.
        public var orders: [SourceOrder]
        /// The bridge's purchase events over the matching window and those with
        /// the orders' event ids.
        public var events: [ReconciliationEvent]
        /// Event ids the bridge erased at a buyer's request.
        public var erasedEventIDs: Set<String>
        /// Join on the events' `order_id` (custom backends) rather than event ids.
        public var joinOnOrderID: Bool

        public init(
            source: String, sourceKind: String, window: ReconciliationWindow, destinations: [String], orders: [SourceOrder],
            events: [ReconciliationEvent], erasedEventIDs: Set<String> = [], joinOnOrderID: Bool = false
        ) {
            self.source = source
            self.sourceKind = sourceKind
            self.window = window
            self.destinations = destinations
            self.orders = orders
            self.events = events
            self.erasedEventIDs = erasedEventIDs
            self.joinOnOrderID = joinOnOrderID
        }
    }

    /// Compares both sides.
    /// - Parameter lineLimit: the most lines and unmatched events listed
    ///   (everything is counted in the totals regardless).
    public static func reconcile(_ input: Input, generatedAt: Timestamp, lineLimit: Int = ReconciliationReport.lineLimit) -> ReconciliationReport {
        var report = ReconciliationReport(
            source: input.source, sourceKind: input.sourceKind, window: input.window, generatedAt: generatedAt, destinations: input.destinations)
        let events = input.events.sorted { ($0.eventTime, $0.eventID) < ($1.eventTime, $1.eventID) }
        var eventsByKey: [String: ReconciliationEvent] = [:]
        for event in events {
            guard let key = input.joinOnOrderID ? event.orderID : event.eventID, eventsByKey[key] == nil else { continue }
            eventsByKey[key] = event
        }
        var matched = Set<String>()
        var seen = Set<String>()
        var lines: [ReconciliationReport.Line] = []
        let orders = input.orders.sorted { ($0.paidAt, $0.orderID) < ($1.paidAt, $1.orderID) }
        for order in orders where seen.insert(order.joinKey).inserted {
            let event = eventsByKey[input.joinOnOrderID ? order.orderID : order.joinKey]
            if let event { matched.insert(event.eventID) }
            guard input.window.contains(order.paidAt) else { continue }
            let line = classify(order, event: event, input: input, totals: &report.totals)
            if line.category != .delivered || line.backfilled { lines.append(line) }
        }
        report.lines = Array(lines.prefix(lineLimit))
        report.linesOmitted = max(0, lines.count - lineLimit)
        var unmatched: [ReconciliationReport.UnmatchedEvent] = []
        for event in events where input.window.contains(event.eventTime) && !matched.contains(event.eventID) {
            report.totals.eventsWithoutOrder.add(event.value)
            unmatched.append(
                ReconciliationReport.UnmatchedEvent(
                    eventID: event.eventID, orderID: event.orderID, eventTime: event.eventTime, value: event.value, isTest: event.isTest))
        }
        report.unmatchedEvents = Array(unmatched.prefix(lineLimit))
        report.unmatchedOmitted = max(0, unmatched.count - lineLimit)
        return report
    }

    /// The line of one order of the window, counted into `totals`.
    static func classify(
        _ order: SourceOrder, event: ReconciliationEvent?, input: Input, totals: inout ReconciliationTotals
    ) -> ReconciliationReport.Line {
        totals.orders.add(order.value)
        var line = ReconciliationReport.Line(
            orderID: order.orderID, eventID: order.eventID ?? event?.eventID, paidAt: order.paidAt, value: order.value, category: .missing,
            isTest: order.isTest)
        guard let event else {
            if let id = order.eventID, input.erasedEventIDs.contains(id) { line.category = .erased }
            totals.categories[line.category, default: ValueTally()].add(order.value)
            return line
        }
        line.backfilled = event.backfillRun != nil
        if line.backfilled { totals.backfilled.add(order.value) }
        line.outcomes = input.destinations.map { outcome(of: event, at: $0) }
        for delivery in line.outcomes {
            totals.destinations[delivery.destination, default: DestinationTotals()].add(delivery, value: order.value)
        }
        if line.outcomes.contains(where: { $0.outcome == .deadLetter }) { totals.deadLettered.add(order.value) }
        if let stated = order.value, stated != event.value {
            line.category = .valueDiffers
            line.bridgeValue = event.value
        } else {
            line.category = line.outcomes.allSatisfy(\.outcome.isSettled) ? .delivered : .undelivered
        }
        totals.categories[line.category, default: ValueTally()].add(order.value)
        return line
    }

    /// The event's outcome at `destination`: its delivery, else pending
    /// (not prepared yet) or not routed (prepared before the destination existed).
    static func outcome(of event: ReconciliationEvent, at destination: String) -> ReconciliationDelivery {
        if let delivery = event.deliveries.first(where: { $0.destination == destination }) { return delivery }
        guard event.prepared else {
            return ReconciliationDelivery(destination: destination, outcome: .pending, reason: ReconciliationOutcome.awaitingPreparation)
        }
        return ReconciliationDelivery(destination: destination, outcome: .notRouted)
    }
}

extension ReconciliationReport {
    /// Marks the orders whose events a backfill stored in this run (their
    /// lines stay in their category, `missing`) and records the summary.
    public mutating func recordBackfill(_ summary: BackfillSummary) {
        let stored = Set(summary.stored)
        for index in lines.indices where !lines[index].backfilled {
            guard let id = lines[index].eventID, stored.contains(id) else { continue }
            lines[index].backfilled = true
            totals.backfilled.add(lines[index].value)
        }
        backfill = summary
    }
}
