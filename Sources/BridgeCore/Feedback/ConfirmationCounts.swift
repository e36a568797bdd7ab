/// What became of one destination's deliveries after the platform's 200,
/// where the platform confirms asynchronously (Data Manager): sent
/// (acknowledged), still awaiting the status lookup, confirmed, rejected
/// later (rows the status counted as failed), and unconfirmed (no final
/// status before the age bound, or the lookup refused).
public struct ConfirmationCounts: Sendable, Equatable {
    /// Deliveries acknowledged by the platform (HTTP 2xx).
    public var sent = 0
    public var awaiting = 0
    public var confirmed = 0
    /// Rows the platform rejected after accepting the request: the dead
    /// letters of failed requests plus the counted rows of partly rejected ones.
    public var rejectedLater = 0
    /// Deliveries of partly rejected requests (which rows failed is not known).
    public var inPartlyRejectedRequests = 0
    public var unconfirmed = 0

    public init(sent: Int = 0, awaiting: Int = 0, confirmed: Int = 0, rejectedLater: Int = 0, inPartlyRejectedRequests: Int = 0, unconfirmed: Int = 0) {
        self.sent = sent
        self.awaiting = awaiting
        self.confirmed = confirmed
        self.rejectedLater = rejectedLater
        self.inPartlyRejectedRequests = inPartlyRejectedRequests
        self.unconfirmed = unconfirmed
    }

    /// `sent 5  confirmed 3  rejected later 2  awaiting 0  unconfirmed 0`.
    public var line: String {
        var text = "sent \(sent)  confirmed \(confirmed)  rejected later \(rejectedLater)  awaiting \(awaiting)  unconfirmed \(unconfirmed)"
        if inPartlyRejectedRequests > 0 { text += "  (in partly rejected requests \(inPartlyRejectedRequests))" }
        return text
    }
}

/// The state of a delivery after its 200 where the platform confirms later
/// (`deliveries.confirmation`; `nil` on rows of platforms that do not, and
/// on rows written before this column existed).
public enum DeliveryConfirmation: String, Sendable, CaseIterable {
    case awaiting
    case confirmed
    /// The platform rejected this row after accepting the request (a dead letter).
    case rejectedLater = "rejected_later"
    /// The row's request was partly rejected; which rows is not known.
    case partlyRejected = "partly_rejected"
    /// No final status before the age bound, or the lookup was refused.
    case unconfirmed
}

/// What platforms reported back about a report's window: confirmation
/// counts per destination, diagnostics, and the platforms' own scores.
/// Part of `MatchQualityReport` when the store provides it.
public struct PlatformFeedback: Sendable, Equatable {
    /// By destination name (only destinations with confirmations).
    public var confirmations: [String: ConfirmationCounts]
    public var diagnostics: [DiagnosticTally]
    /// The latest score per destination and event name in the window.
    public var scores: [PlatformScore]

    public init(confirmations: [String: ConfirmationCounts] = [:], diagnostics: [DiagnosticTally] = [], scores: [PlatformScore] = []) {
        self.confirmations = confirmations
        self.diagnostics = diagnostics.sorted { ($0.destination, $0.kind, $0.code) < ($1.destination, $1.kind, $1.code) }
        self.scores = PlatformFeedback.latest(scores)
    }

    /// The latest row per destination and event name, sorted.
    static func latest(_ scores: [PlatformScore]) -> [PlatformScore] {
        var byKey: [String: PlatformScore] = [:]
        for score in scores {
            let key = score.destination + "\u{1F}" + score.eventName
            if let existing = byKey[key], (existing.day, existing.fetchedAt) >= (score.day, score.fetchedAt) { continue }
            byKey[key] = score
        }
        return byKey.values.sorted { ($0.destination, $0.eventName) < ($1.destination, $1.eventName) }
    }

    /// The platform's rows for a series: its event name, else the
    /// destination-wide row (`*`) that says why there is no score.
    public func scores(destination: String, eventName: String) -> [PlatformScore] {
        let mine = scores.filter { $0.destination == destination }
        let exact = mine.filter { PlatformFeedback.sameEvent($0.eventName, eventName) }
        if !exact.isEmpty { return exact }
        return mine.filter { $0.eventName == "*" }
    }

    public var isEmpty: Bool { confirmations.isEmpty && diagnostics.isEmpty && scores.isEmpty }
}

extension PlatformFeedback {
    /// Platform event names for the bridge's (Meta-style) names where the
    /// platform uses another (Pinterest: `checkout` for a purchase).
    static let aliases: [String: Set<String>] = [
        "purchase": ["checkout"], "addtocart": ["addtocart"], "completeregistration": ["signup"], "viewcontent": ["pagevisit"],
        "lead": ["lead"], "search": ["search"],
    ]

    /// Whether a platform's event name is the bridge's `eventName`: equal
    /// ignoring case and underscores, or a known alias.
    public static func sameEvent(_ platformName: String, _ eventName: String) -> Bool {
        func folded(_ text: String) -> String { text.lowercased().filter { $0 != "_" } }
        let platform = folded(platformName)
        let bridge = folded(eventName)
        return platform == bridge || aliases[bridge]?.contains(platform) == true
    }
}
