/// Finds the events that made a platform reject a whole batch, by splitting
/// it in halves.
///
/// Meta, TikTok, LinkedIn and Reddit refuse an entire request for one bad
/// event and do not say which. When such a batch of n > 1 events is refused
/// for good (`DeliveryVerdict.deadLetter`), the worker runs a bisection
/// instead of dead-lettering all n:
///
/// 1. The refused range is split into two halves (the left one gets the
///    smaller half when n is odd), pushed so the left half is sent first.
/// 2. Each half is sent as its own request. Accepted: its events are
///    delivered. Refused for good: a half of one event is dead-lettered with
///    the platform's reason; a larger half is split again.
/// 3. A transient answer (retry, throttling, timeout) interrupts the search:
///    `abandon()` returns the ranges still unresolved, which go back to the
///    queue with the normal backoff and are searched again when next refused.
///
/// When the platform named the bad event (`DeadLetterReason.suspectIndex`),
/// the search starts from that hint instead of halves: the events before it,
/// the events after it, then the suspect alone — three requests when the
/// hint is right, and a wrong hint costs nothing but those requests, since
/// each part is still bisected if refused. The suspect is only dead-lettered
/// once refused on its own.
///
/// Cost: one bad event among n costs 2·⌈log₂ n⌉ requests (1,000 events: 20);
/// k bad events at most 2·k·⌈log₂ n⌉. No backoff between steps: a permanent
/// refusal says nothing about the destination's health. Ranges are indices
/// into the original batch, so the worker keeps the batch's order.
public struct BatchBisection: Sendable, Hashable {
    /// The next request to make.
    public enum Step: Sendable, Hashable {
        /// Send the events at these indices of the original batch as one request.
        case send(Range<Int>)
        /// Nothing left to send: every event is delivered or isolated.
        case finished
    }

    /// Ranges still to send, the next one last.
    private var pending: [Range<Int>]
    /// Events found bad, with the platform's reason, in the order found.
    public private(set) var isolated: [IsolatedEvent] = []
    /// Indices of events the platform accepted during the search.
    public private(set) var delivered: [Range<Int>] = []

    /// Starts a search over a refused batch of `itemCount` events.
    /// - Parameter reason: Why the whole batch was refused; a batch of one
    ///   event is isolated at once with it.
    public init(refusedBatchOf itemCount: Int, reason: DeadLetterReason) {
        pending = []
        if itemCount == 1 {
            isolated = [IsolatedEvent(index: 0, reason: reason)]
        } else if itemCount > 1 {
            pending = Self.parts(of: 0..<itemCount, suspect: reason.suspectIndex).reversed()
        }
    }

    /// Splits `range` into two halves; `nil` for fewer than two items.
    public static func bisect(_ range: Range<Int>) -> (left: Range<Int>, right: Range<Int>)? {
        guard range.count >= 2 else { return nil }
        let middle = range.lowerBound + range.count / 2
        return (range.lowerBound..<middle, middle..<range.upperBound)
    }

    /// The ranges to try after `range` was refused, in sending order: around
    /// the suspect (an index relative to `range`) when the platform named
    /// one, else the two halves.
    static func parts(of range: Range<Int>, suspect: Int?) -> [Range<Int>] {
        if let suspect, (0..<range.count).contains(suspect) {
            let at = range.lowerBound + suspect
            return [range.lowerBound..<at, (at + 1)..<range.upperBound, at..<(at + 1)].filter { !$0.isEmpty }
        }
        guard let (left, right) = bisect(range) else { return [range] }
        return [left, right]
    }

    /// The next request, without consuming it.
    public var next: Step {
        pending.last.map(Step.send) ?? .finished
    }

    /// Reports that the platform accepted `range` (the range `next` named).
    public mutating func accepted(_ range: Range<Int>) {
        guard pending.last == range else { return }
        pending.removeLast()
        delivered.append(range)
    }

    /// Reports that the platform refused `range` for good.
    public mutating func refused(_ range: Range<Int>, reason: DeadLetterReason) {
        guard pending.last == range else { return }
        pending.removeLast()
        if range.count == 1 {
            isolated.append(IsolatedEvent(index: range.lowerBound, reason: reason))
        } else {
            pending.append(contentsOf: Self.parts(of: range, suspect: reason.suspectIndex).reversed())
        }
    }

    /// Stops the search (a transient failure) and returns the unresolved
    /// ranges, in batch order, for the queue.
    public mutating func abandon() -> [Range<Int>] {
        defer { pending.removeAll() }
        return pending.reversed()
    }
}

/// An event a bisection found the platform refuses on its own.
public struct IsolatedEvent: Sendable, Hashable {
    /// Its index in the original batch.
    public var index: Int
    /// The platform's reason, to dead-letter it with.
    public var reason: DeadLetterReason

    public init(index: Int, reason: DeadLetterReason) {
        self.index = index
        self.reason = reason
    }
}
