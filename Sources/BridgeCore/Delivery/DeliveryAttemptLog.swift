/// The attempt history a delivery row keeps (`deliveries.attempt_log`), so
/// one sale's journey can show every attempt: when, what came back, why it
/// was retried or given up.
///
/// Text, one line per attempt, appended by the store when it records the
/// outcome: `@<at ms> <outcome> <status or -> <next attempt ms or -> <detail>`
/// (`@1767268830000 retry 503 1767268832000 HTTP 503`). The detail is the
/// retry reason or the dead-letter code and message, on one line, at most
/// `maxDetailCharacters`. The store keeps the last `maxStoredCharacters` of
/// the text (a delivery retried for days keeps its most recent attempts),
/// so the first line may be cut: `entries(_:)` skips a line that does not
/// start with `@` and a time.
/// Details are the platform's words as the delivery row already keeps them
/// (`last_error`); readers redact them before showing them.
public enum DeliveryAttemptLog {
    /// How an attempt ended.
    public enum Outcome: String, Sendable, Hashable {
        case delivered
        case retry
        case deadLetter = "dead_letter"
    }

    /// One attempt.
    public struct Entry: Sendable, Hashable {
        public var at: Timestamp
        public var outcome: Outcome
        /// The HTTP status, `nil` without an answer.
        public var status: Int?
        /// For a retry: when the next attempt is due.
        public var nextAttemptAt: Timestamp?
        /// The retry reason, the dead-letter code and message, or the batch id.
        public var detail: String

        public init(at: Timestamp, outcome: Outcome, status: Int?, nextAttemptAt: Timestamp? = nil, detail: String) {
            self.at = at
            self.outcome = outcome
            self.status = status
            self.nextAttemptAt = nextAttemptAt
            self.detail = detail
        }
    }

    /// The longest detail kept per line.
    public static let maxDetailCharacters = 240
    /// How much of the log a store keeps (its last characters).
    public static let maxStoredCharacters = 4000

    /// The line (with its newline) to append for `entry`.
    public static func line(_ entry: Entry) -> String {
        var detail = ""
        for character in entry.detail.prefix(maxDetailCharacters) {
            detail.append(character.isNewline || character == "\t" || character == "\u{0}" ? " " : character)
        }
        let status = entry.status.map(String.init) ?? "-"
        let next = entry.nextAttemptAt.map { String($0.millisecondsSinceEpoch) } ?? "-"
        return "@\(entry.at.millisecondsSinceEpoch) \(entry.outcome.rawValue) \(status) \(next) \(detail)\n"
    }

    /// The entries of a stored log, oldest first; unreadable lines (a first
    /// line cut by the store's limit) are skipped.
    public static func entries(_ text: String?) -> [Entry] {
        guard let text else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count >= 4, parts[0].hasPrefix("@"), let at = Int64(parts[0].dropFirst()), at >= 1_000_000_000_000,
                let outcome = Outcome(rawValue: String(parts[1])) else { return nil }
            let status: Int? = parts[2] == "-" ? nil : Int(parts[2])
            guard parts[2] == "-" || status != nil else { return nil }
            let next: Int64? = parts[3] == "-" ? nil : Int64(parts[3])
            guard parts[3] == "-" || next != nil else { return nil }
            return Entry(
                at: Timestamp(millisecondsSinceEpoch: at), outcome: outcome, status: status,
                nextAttemptAt: next.map(Timestamp.init(millisecondsSinceEpoch:)), detail: parts.count > 4 ? String(parts[4]) : "")
        }
    }
}
