import BridgeCore

/// What the platforms report back, kept in the store so every instance and
/// every report sees it: diagnostics per day, requests awaiting their
/// asynchronous status (claimed under a lease, like deliveries, so several
/// instances on PostgreSQL poll each request once), and the platforms' own
/// quality scores per day and event name.
public protocol PlatformFeedbackStore: Sendable {
    /// Adds each diagnostic to its day's count (`delivery_diagnostics`).
    func recordDiagnostics(_ entries: [DiagnosticEntry]) async throws(StoreError)

    /// Diagnostics of the days from `since` to `until`, summed per
    /// destination, kind and code.
    func diagnosticTallies(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [DiagnosticTally]

    /// Records a request whose status is to be looked up, and marks its
    /// deliveries `awaiting`.
    func awaitConfirmation(_ request: NewConfirmation) async throws(StoreError)

    /// Leases up to `limit` awaiting requests whose next lookup is due (and
    /// whose lease, if any, ran out) to `owner` until `leaseUntil`.
    func claimConfirmations(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [PendingConfirmation]

    /// Applies a lookup's result to a request still leased by `owner`, and
    /// to its deliveries that are still delivered. Returns false when the
    /// lease was lost (nothing changed).
    @discardableResult
    func resolveConfirmation(id: Int64, _ resolution: ConfirmationResolution, owner: String, now: Timestamp) async throws(StoreError) -> Bool

    /// Partly rejected requests (the platform counted failed rows without
    /// naming them), newest first: the dead-letter list shows them.
    func rejectedRequests(destination: String?, limit: Int) async throws(StoreError) -> [RejectedRequest]

    /// Sends partly rejected requests again: their deliveries (those still
    /// holding a payload) go back to the queue with the same event ids, and
    /// the request is marked `replayed`. Returns how many deliveries.
    func replayRejectedRequests(ids: [Int64]?, destination: String?, now: Timestamp) async throws(StoreError) -> Int

    /// Confirmation counts per destination of the deliveries received from
    /// `since` to `until` (only destinations whose platform confirms).
    func confirmationCounts(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [String: ConfirmationCounts]

    /// Stores scores, replacing the row of the same day, destination and event name.
    func recordPlatformScores(_ scores: [PlatformScore]) async throws(StoreError)

    /// Scores of the days `since` to `until` (`YYYY-MM-DD`, inclusive).
    func platformScores(sinceDay: String, untilDay: String, destination: String?) async throws(StoreError) -> [PlatformScore]
}

/// One diagnostic of one request, to count.
public struct DiagnosticEntry: Sendable, Equatable {
    public var destination: String
    public var diagnostic: DeliveryDiagnostic
    public var at: Timestamp

    public init(destination: String, diagnostic: DeliveryDiagnostic, at: Timestamp) {
        self.destination = destination
        self.diagnostic = diagnostic
        self.at = at
    }
}

/// A request accepted by a platform that confirms later.
public struct NewConfirmation: Sendable, Equatable {
    public var destination: String
    /// The platform's id (`requestId`).
    public var requestID: String
    /// The bridge's batch id of the request (deliveries record it).
    public var batchID: String
    public var deliveryIDs: [Int64]
    public var sentAt: Timestamp
    public var firstPollAt: Timestamp
    public var deadline: Timestamp

    public init(destination: String, requestID: String, batchID: String, deliveryIDs: [Int64], sentAt: Timestamp, firstPollAt: Timestamp, deadline: Timestamp) {
        self.destination = destination
        self.requestID = requestID
        self.batchID = batchID
        self.deliveryIDs = deliveryIDs
        self.sentAt = sentAt
        self.firstPollAt = firstPollAt
        self.deadline = deadline
    }
}

/// A request claimed for a status lookup.
public struct PendingConfirmation: Sendable, Equatable {
    public var id: Int64
    public var destination: String
    public var requestID: String
    public var batchID: String
    public var deliveryIDs: [Int64]
    public var sentAt: Timestamp
    public var deadline: Timestamp
    /// Lookups so far that were not final.
    public var polls: Int

    public init(id: Int64, destination: String, requestID: String, batchID: String, deliveryIDs: [Int64], sentAt: Timestamp, deadline: Timestamp, polls: Int) {
        self.id = id
        self.destination = destination
        self.requestID = requestID
        self.batchID = batchID
        self.deliveryIDs = deliveryIDs
        self.sentAt = sentAt
        self.deadline = deadline
        self.polls = polls
    }

    /// The delivery ids as stored (space-separated).
    public static func encode(_ ids: [Int64]) -> String { ids.map(String.init).joined(separator: " ") }
    public static func decode(_ text: String) -> [Int64] { text.split(separator: " ").compactMap { Int64($0) } }
}

/// What a status lookup decided for one request.
public enum ConfirmationResolution: Sendable, Equatable {
    /// Not final yet: look again at `at`.
    case pollAgain(at: Timestamp, note: String?)
    /// Every row processed: deliveries `confirmed`.
    case confirmed
    /// Every row failed: deliveries become dead letters `rejected_later`
    /// with `message` (the platform's reasons and counts).
    case rejected(RejectionCounts, message: String)
    /// Some rows failed, not named: deliveries `partly_rejected`, the
    /// request listed with its counts among the dead letters.
    case partlyRejected(RejectionCounts, message: String)
    /// No final status by the deadline, or the lookup was refused.
    case unconfirmed(message: String)

    /// The request's stored state.
    public var state: String {
        switch self {
        case .pollAgain: "awaiting"
        case .confirmed: "confirmed"
        case .rejected: "rejected"
        case .partlyRejected: "partly_rejected"
        case .unconfirmed: "unconfirmed"
        }
    }

    /// What a final resolution records on a request carrying
    /// `deliveryCount` deliveries: how many were rejected, the reasons
    /// (`REASON n, …`) and the message (at most 1,000 characters).
    public func record(deliveryCount: Int) -> (rejected: Int, reasons: String?, message: String?) {
        switch self {
        case .rejected(let counts, let text): (deliveryCount, counts.summary, String(text.prefix(1000)))
        case .partlyRejected(let counts, let text): (min(counts.total, deliveryCount), counts.summary, String(text.prefix(1000)))
        case .unconfirmed(let text): (0, nil, String(text.prefix(1000)))
        case .pollAgain, .confirmed: (0, nil, nil)
        }
    }
}

/// A partly rejected request, as the dead-letter list shows it.
public struct RejectedRequest: Sendable, Equatable {
    public var id: Int64
    public var destination: String
    public var requestID: String
    public var batchID: String
    public var deliveryIDs: [Int64]
    /// Deliveries the request carried.
    public var eventCount: Int
    /// Rows the platform counted as failed.
    public var rejectedCount: Int
    /// `REASON n, …`.
    public var reasons: String
    public var message: String
    public var sentAt: Timestamp
    public var resolvedAt: Timestamp

    public init(
        id: Int64, destination: String, requestID: String, batchID: String, deliveryIDs: [Int64], eventCount: Int, rejectedCount: Int, reasons: String,
        message: String, sentAt: Timestamp, resolvedAt: Timestamp
    ) {
        self.id = id
        self.destination = destination
        self.requestID = requestID
        self.batchID = batchID
        self.deliveryIDs = deliveryIDs
        self.eventCount = eventCount
        self.rejectedCount = rejectedCount
        self.reasons = reasons
        self.message = message
        self.sentAt = sentAt
        self.resolvedAt = resolvedAt
    }
}

extension PlatformScore {
    /// The match keys as stored (a JSON array).
    var matchKeysJSON: String {
        JSONWriter.string(
            .array(
                matchKeys.map { key in
                    .object([
                        "identifier": .string(key.identifier),
                        "coverage": key.coveragePercent.map { .number(ReportRecommendation.fixed($0, places: 2)) } ?? .null,
                        "note": key.note.map(JSONValue.string) ?? .null,
                    ])
                }))
    }

    var recommendationsJSON: String { JSONWriter.string(.array(recommendations.map(JSONValue.string))) }

    /// A stored row read back.
    static func stored(
        day: String, destination: String, eventName: String, availability: String, score: Double?, status: String?, matchKeys: String,
        recommendations: String, detail: String?, fetchedAtMS: Int64
    ) -> PlatformScore {
        let keys = ((try? JSONParser.parse(Array(matchKeys.utf8)))?.arrayValue ?? []).compactMap { key -> MatchKey? in
            guard let identifier = key["identifier"]?.stringValue else { return nil }
            return MatchKey(identifier: identifier, coveragePercent: key["coverage"]?.scalarText.flatMap(Double.init), note: key["note"]?.stringValue)
        }
        let notes = ((try? JSONParser.parse(Array(recommendations.utf8)))?.arrayValue ?? []).compactMap(\.stringValue)
        return PlatformScore(
            day: day, destination: destination, eventName: eventName, availability: Availability(rawValue: availability) ?? .unavailable, score: score,
            status: status, matchKeys: keys, recommendations: notes, detail: detail, fetchedAt: Timestamp(millisecondsSinceEpoch: fetchedAtMS))
    }
}
