/// Decides when the events waiting for a destination become a request, and
/// how many of them it carries.
///
/// A request carries as many ready events, oldest first, as fit both bounds:
///
///     count ≤ maxEvents
///     envelopeBytes + Σ size(item) + separatorBytes · (count − 1) ≤ maxBytes
///
/// and is sent
/// - at once when it is full: `maxEvents` reached, or the next ready event
///   would not fit;
/// - at once when draining (shutdown: finish what is there);
/// - otherwise when the oldest ready event has waited `maxWait`
///   (default 1 s), so a quiet hour still flushes its single event within a
///   second while a busy minute fills whole requests.
///
/// An event too large for a request on its own (`envelopeBytes + size >
/// maxBytes`) can never be sent: it is dead-lettered (`payload_too_large`).
///
/// Meta: `maxEvents` 1,000 (the platform's cap); `maxBytes` 1 MiB (Meta
/// documents no byte cap; a modest request keeps a rejected batch cheap to
/// bisect and well inside proxies' body limits).
public struct BatchPolicy: Sendable, Hashable {
    /// Most events per request (the platform's cap).
    public var maxEvents: Int
    /// Most bytes per request body.
    public var maxBytes: Int
    /// Longest time the oldest ready event waits for company.
    public var maxWait: Duration
    /// Bytes of the request around the events (`{"data":[…],…}`).
    public var envelopeBytes: Int
    /// Bytes between two events (the `,` of a JSON array).
    public var separatorBytes: Int

    /// - Throws: `DeliveryPolicyError` unless `maxEvents` ≥ 1, `maxWait` ≥ 0,
    ///   the overheads are ≥ 0 and `maxBytes` > `envelopeBytes`.
    public init(
        maxEvents: Int, maxBytes: Int, maxWait: Duration = .seconds(1), envelopeBytes: Int = 256,
        separatorBytes: Int = 1
    ) throws(DeliveryPolicyError) {
        guard maxEvents >= 1 else { throw .notPositive(setting: "batch_max_events") }
        guard maxWait >= .zero else { throw .outOfRange(setting: "batch_max_wait", allowed: "zero or more") }
        guard envelopeBytes >= 0 else { throw .outOfRange(setting: "batch_envelope_bytes", allowed: "zero or more") }
        guard separatorBytes >= 0 else { throw .outOfRange(setting: "batch_separator_bytes", allowed: "zero or more") }
        guard maxBytes > envelopeBytes else {
            throw .outOfRange(setting: "batch_max_bytes", allowed: "larger than batch_envelope_bytes")
        }
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
        self.maxWait = maxWait
        self.envelopeBytes = envelopeBytes
        self.separatorBytes = separatorBytes
    }

    /// Meta Conversions API: 1,000 events, 1 MiB, 1 s.
    public static var meta: BatchPolicy {
        BatchPolicy(uncheckedMaxEvents: 1000, maxBytes: 1 << 20)
    }

    private init(uncheckedMaxEvents maxEvents: Int, maxBytes: Int) {
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
        self.maxWait = .seconds(1)
        self.envelopeBytes = 256
        self.separatorBytes = 1
    }

    /// What the worker should do with the ready events.
    public enum Action: Sendable, Hashable {
        /// Claim and send the first `count` ready events now.
        case send(count: Int)
        /// Nothing to send before this instant (unless more events arrive).
        case wait(until: Timestamp)
        /// No event is ready.
        case idle
        /// The first ready event can never fit a request: dead letter it.
        case deadLetterFirst(DeadLetterReason)
    }

    /// How many of `sizes` (payload bytes of the ready events, oldest first)
    /// fit one request. Zero when the first one alone does not fit.
    public func count(fitting sizes: some Sequence<Int>) -> Int {
        var bytes = envelopeBytes
        var count = 0
        for size in sizes {
            guard count < maxEvents else { break }
            // Compared by subtraction so no size, however absurd, can overflow.
            let separator = count == 0 ? 0 : separatorBytes
            let remaining = maxBytes - bytes
            guard separator <= remaining, max(0, size) <= remaining - separator else { break }
            bytes += separator + max(0, size)
            count += 1
        }
        return count
    }

    /// Decides what to do with the ready events.
    ///
    /// - Parameters:
    ///   - readySizes: Payload bytes of the ready events, oldest first (the
    ///     worker may pass only the first `maxEvents + 1`).
    ///   - oldestReadyAt: When the first of them became ready.
    ///   - now: The current time.
    ///   - draining: Whether the worker is shutting down and should flush.
    public func decide(readySizes: [Int], oldestReadyAt: Timestamp?, now: Timestamp, draining: Bool = false) -> Action {
        guard let first = readySizes.first else { return .idle }
        let count = count(fitting: readySizes)
        if count == 0 {
            return .deadLetterFirst(
                DeadLetterReason(
                    code: .payloadTooLarge,
                    message: "event of \(first) bytes does not fit a request of \(maxBytes) bytes"
                        + " (\(envelopeBytes) bytes of envelope)"))
        }
        let full = count == maxEvents || count < readySizes.count
        if full || draining { return .send(count: count) }
        guard let oldestReadyAt else { return .send(count: count) }
        let due = oldestReadyAt.advanced(by: maxWait)
        return now >= due ? .send(count: count) : .wait(until: due)
    }
}
