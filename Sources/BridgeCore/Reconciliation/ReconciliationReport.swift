/// The answer to "did every paid order of the window reach every
/// destination, and if not, why?" for one source: source orders ↔ bridge
/// events ↔ each destination's outcome (built by `Reconciler`).
///
/// Holds order and event ids, times, values and reason codes: no personal
/// data. Every order is counted in `totals`; `lines` lists those that need
/// attention (every category but `delivered`, and every backfilled order),
/// at most `lineLimit` of them.
public struct ReconciliationReport: Sendable, Equatable {
    /// The configured source name and its kind (`shopify`, `stripe`,
    /// `woocommerce`, `standard-webhooks`, `events-api`).
    public var source: String
    public var sourceKind: String
    public var window: ReconciliationWindow
    public var generatedAt: Timestamp
    /// The destinations each order was expected at (the configuration's).
    public var destinations: [String]
    public var totals: ReconciliationTotals
    /// The orders that need attention, oldest first.
    public var lines: [Line]
    /// Orders that needed attention but were left out of `lines` (over the limit).
    public var linesOmitted: Int
    /// Purchase events of the window that match no source order (test or
    /// deleted orders, orders the source no longer lists as paid).
    public var unmatchedEvents: [UnmatchedEvent]
    public var unmatchedOmitted: Int
    /// What `--backfill` did, when it ran.
    public var backfill: BackfillSummary?
    /// Orders the source listed that could not be read (a malformed amount,
    /// an unknown currency), with why: they are not counted above.
    public var unreadableOrders: [BackfillSummary.Failure]

    /// The most lines (and unmatched events) a report lists.
    public static let lineLimit = 5000

    public init(
        source: String, sourceKind: String, window: ReconciliationWindow, generatedAt: Timestamp, destinations: [String],
        totals: ReconciliationTotals = ReconciliationTotals(), lines: [Line] = [], linesOmitted: Int = 0,
        unmatchedEvents: [UnmatchedEvent] = [], unmatchedOmitted: Int = 0, backfill: BackfillSummary? = nil,
        unreadableOrders: [BackfillSummary.Failure] = []
    ) {
        self.source = source
        self.sourceKind = sourceKind
        self.window = window
        self.generatedAt = generatedAt
        self.destinations = destinations
        self.totals = totals
        self.lines = lines
        self.linesOmitted = linesOmitted
        self.unmatchedEvents = unmatchedEvents
        self.unmatchedOmitted = unmatchedOmitted
        self.backfill = backfill
        self.unreadableOrders = unreadableOrders
    }

    /// One order and where it stands.
    public struct Line: Sendable, Equatable {
        public var orderID: String
        public var eventID: String?
        public var paidAt: Timestamp
        /// The value the source states.
        public var value: Money?
        public var category: ReconciliationCategory
        /// The value the bridge holds, when it differs.
        public var bridgeValue: Money?
        /// Per configured destination (empty for missing and erased orders).
        public var outcomes: [ReconciliationDelivery]
        /// Whether a backfill created its event (in this run or an earlier one).
        public var backfilled: Bool
        public var isTest: Bool

        public init(
            orderID: String, eventID: String?, paidAt: Timestamp, value: Money?, category: ReconciliationCategory, bridgeValue: Money? = nil,
            outcomes: [ReconciliationDelivery] = [], backfilled: Bool = false, isTest: Bool = false
        ) {
            self.orderID = orderID
            self.eventID = eventID
            self.paidAt = paidAt
            self.value = value
            self.category = category
            self.bridgeValue = bridgeValue
            self.outcomes = outcomes
            self.backfilled = backfilled
            self.isTest = isTest
        }
    }

    /// A purchase event with no order at the source.
    public struct UnmatchedEvent: Sendable, Equatable {
        public var eventID: String
        public var orderID: String?
        public var eventTime: Timestamp
        public var value: Money?
        public var isTest: Bool

        public init(eventID: String, orderID: String?, eventTime: Timestamp, value: Money?, isTest: Bool) {
            self.eventID = eventID
            self.orderID = orderID
            self.eventTime = eventTime
            self.value = value
            self.isTest = isTest
        }
    }

    /// Missing orders (their count and value), the figure alerts watch.
    public var missing: ValueTally { totals.categories[.missing] ?? ValueTally() }

    /// Orders dead-lettered at one destination or more.
    public var deadLettered: ValueTally { totals.deadLettered }
}

/// Counts and values per category, per destination and outcome.
public struct ReconciliationTotals: Sendable, Equatable {
    /// Every order of the window.
    public var orders = ValueTally()
    /// Each order in exactly one category.
    public var categories: [ReconciliationCategory: ValueTally] = [:]
    /// Per destination: every order the bridge holds, by outcome there.
    public var destinations: [String: DestinationTotals] = [:]
    /// Orders dead-lettered at one destination or more (each counted once).
    public var deadLettered = ValueTally()
    /// Purchase events with no order at the source.
    public var eventsWithoutOrder = ValueTally()
    /// Orders whose event a backfill created.
    public var backfilled = ValueTally()

    public init() {}

    /// The tally of `category` (empty when none).
    public subscript(category: ReconciliationCategory) -> ValueTally { categories[category] ?? ValueTally() }
}

/// One destination's outcomes: count and value per outcome, and how many
/// orders each reason (consent reason, skip reason, dead-letter code) covers.
public struct DestinationTotals: Sendable, Equatable {
    public var outcomes: [ReconciliationOutcome: ValueTally] = [:]
    public var reasons: [ReconciliationOutcome: [String: Int]] = [:]

    public init() {}

    /// The tally of `outcome` (empty when none).
    public subscript(outcome: ReconciliationOutcome) -> ValueTally { outcomes[outcome] ?? ValueTally() }

    mutating func add(_ delivery: ReconciliationDelivery, value: Money?) {
        outcomes[delivery.outcome, default: ValueTally()].add(value)
        if let reason = delivery.reason { reasons[delivery.outcome, default: [:]][reason, default: 0] += 1 }
    }
}

/// What a backfill did: the events it stored through the normal ingest path,
/// those that had arrived meanwhile (duplicates), orders it could not turn
/// into an event, and per destination how many of the stored events are older
/// than the platform accepts (they are dead-lettered as `event_too_old`,
/// never silently dropped).
public struct BackfillSummary: Sendable, Equatable {
    /// Event ids stored by the backfill.
    public var stored: [String]
    /// Event ids that were already there when the backfill stored them.
    public var duplicates: [String]
    /// Orders that could not be backfilled, with why (no personal data).
    public var failed: [Failure]
    /// Destination → stored events older than it accepts.
    public var tooOld: [String: Int]

    public struct Failure: Sendable, Equatable {
        public var orderID: String
        public var reason: String

        public init(orderID: String, reason: String) {
            self.orderID = orderID
            self.reason = reason
        }
    }

    public init(stored: [String] = [], duplicates: [String] = [], failed: [Failure] = [], tooOld: [String: Int] = [:]) {
        self.stored = stored
        self.duplicates = duplicates
        self.failed = failed
        self.tooOld = tooOld
    }
}
