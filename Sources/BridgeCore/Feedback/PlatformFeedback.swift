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
