import BridgeCore

/// One reconciliation as stored: who asked, over which window, where it
/// stands, the headline counts (for lists) and its report (JSON,
/// `ReconciliationReport.json()`; no personal data).
public struct ReconciliationRun: Sendable, Equatable {
    /// Who started it.
    public enum Trigger: String, Sendable, CaseIterable {
        /// `capi-bridge reconcile`.
        case cli
        /// `POST /v1/reconciliations`.
        case api
        /// The daily schedule of `serve`.
        case schedule
    }

    public enum State: String, Sendable, CaseIterable {
        /// Accepted by the API, waiting for the reconciliation service.
        case queued
        case running
        case completed
        case failed
    }

    /// The headline counts of a completed run.
    public struct Summary: Sendable, Equatable {
        public var orders: Int
        public var missing: Int
        public var valueDiffers: Int
        public var undelivered: Int
        public var eventsWithoutOrder: Int
        public var backfilled: Int

        public init(orders: Int, missing: Int, valueDiffers: Int, undelivered: Int, eventsWithoutOrder: Int, backfilled: Int) {
            self.orders = orders
            self.missing = missing
            self.valueDiffers = valueDiffers
            self.undelivered = undelivered
            self.eventsWithoutOrder = eventsWithoutOrder
            self.backfilled = backfilled
        }

        /// The counts of `report`.
        public init(_ report: ReconciliationReport) {
            self.init(
                orders: report.totals.orders.count, missing: report.totals[.missing].count, valueDiffers: report.totals[.valueDiffers].count,
                undelivered: report.totals[.undelivered].count, eventsWithoutOrder: report.totals.eventsWithoutOrder.count,
                backfilled: report.totals.backfilled.count)
        }
    }

    /// `rec_<base 36 time>_<random hex>`: unique, sortable by creation, not guessable.
    public var id: String
    public var source: String
    public var trigger: Trigger
    public var state: State
    public var since: Timestamp
    public var until: Timestamp
    /// Whether missing orders are backfilled.
    public var backfill: Bool
    public var requestedAt: Timestamp
    public var startedAt: Timestamp?
    public var finishedAt: Timestamp?
    /// The schedule slot a scheduled run belongs to.
    public var slot: Timestamp?
    /// The process running it (its lease owner name).
    public var owner: String?
    /// Why it failed (a source API error, a store error): no personal data.
    public var error: String?
    public var summary: Summary?
    /// Scheduled runs: the start of the reconciliation alert active after
    /// this run, `nil` when none.
    public var alertSince: Timestamp?
    /// The report as JSON bytes; `nil` until completed, and in lists.
    public var report: [UInt8]?

    public init(
        id: String, source: String, trigger: Trigger, state: State, since: Timestamp, until: Timestamp, backfill: Bool, requestedAt: Timestamp,
        startedAt: Timestamp? = nil, finishedAt: Timestamp? = nil, slot: Timestamp? = nil, owner: String? = nil, error: String? = nil,
        summary: Summary? = nil, alertSince: Timestamp? = nil, report: [UInt8]? = nil
    ) {
        self.id = id
        self.source = source
        self.trigger = trigger
        self.state = state
        self.since = since
        self.until = until
        self.backfill = backfill
        self.requestedAt = requestedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.slot = slot
        self.owner = owner
        self.error = error
        self.summary = summary
        self.alertSince = alertSince
        self.report = report
    }

    /// A new run id for a run requested at `now`.
    public static func newID(at now: Timestamp) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4).map { _ in String(UInt16.random(in: 0...UInt16.max, using: &generator), radix: 16) }
            .map { String(repeating: "0", count: 4 - $0.count) + $0 }.joined()
        return "rec_" + String(max(0, now.millisecondsSinceEpoch), radix: 36) + "_" + random
    }

    /// Whether `text` has the shape of a run id (for routes: anything else is
    /// answered 404 without reaching the store).
    public static func isValidID(_ text: String) -> Bool {
        text.hasPrefix("rec_") && text.utf8.count <= 64
            && text.utf8.dropFirst(4).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }
}
