import BridgeCore
import BridgeStore
import Foundation
import Synchronization

/// Counts, in memory and where they happen, what the health alerts judge:
/// verified requests and signature failures per source (ingest), delivery
/// outcomes per destination (delivery workers), per 10-second bucket. The
/// queue monitor drains the tally into the store every round
/// (`HealthStore.recordHealth`), where every instance's counts meet; a
/// crash loses at most the counts of one round.
///
/// Fed through `BridgeMetrics` (`ingestRequest`, `deliveryOutcome`), so a
/// count is taken at the same place as the matching Prometheus counter.
public final class HealthTally: Sendable {
    private struct Key: Hashable {
        let bucket: Int64
        let subject: AlertSubject
        let counter: HealthCounter
    }

    private struct State {
        var counts: [Key: Int] = [:]
        var lastSeen: [String: Timestamp] = [:]
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Timestamp

    /// - Parameter now: the clock buckets are taken from (the monitor's).
    public init(now: @escaping @Sendable () -> Timestamp = HealthTally.wallClock) {
        self.now = now
    }

    /// The current wall-clock time, in whole milliseconds.
    public static let wallClock: @Sendable () -> Timestamp = {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Adds `amount` to `counter` of `subject` in the current bucket.
    public func count(_ counter: HealthCounter, for subject: AlertSubject, by amount: Int = 1) {
        guard amount > 0 else { return }
        let key = Key(bucket: HealthCount.bucket(of: now()).millisecondsSinceEpoch, subject: subject, counter: counter)
        state.withLock { $0.counts[key, default: 0] += amount }
    }

    /// A request to `source` whose signature (or token) verified: counted, and
    /// remembered as the source's latest sign of life.
    public func verifiedRequest(source: String) {
        let at = now()
        let key = Key(bucket: HealthCount.bucket(of: at).millisecondsSinceEpoch, subject: .source(source), counter: .verified)
        state.withLock { state in
            state.counts[key, default: 0] += 1
            if state.lastSeen[source].map({ $0 < at }) ?? true { state.lastSeen[source] = at }
        }
    }

    /// Everything counted since the last drain, and forgets it.
    public func drain() -> HealthReport {
        let taken = state.withLock { state -> State in
            defer { state = State() }
            return state
        }
        return HealthReport(
            counts: taken.counts.map { HealthCount(bucket: Timestamp(millisecondsSinceEpoch: $0.key.bucket), subject: $0.key.subject, counter: $0.key.counter, value: $0.value) }
                .sorted { ($0.bucket, $0.subject, $0.counter.rawValue) < ($1.bucket, $1.subject, $1.counter.rawValue) },
            lastSeen: taken.lastSeen)
    }

    /// Puts back a drained report that could not be stored, except buckets
    /// before `after` (the store would delete them anyway).
    public func restore(_ report: HealthReport, keepingAfter after: Timestamp) {
        state.withLock { state in
            for count in report.counts where count.bucket >= after {
                state.counts[Key(bucket: count.bucket.millisecondsSinceEpoch, subject: count.subject, counter: count.counter), default: 0] += count.value
            }
            for (source, at) in report.lastSeen where state.lastSeen[source].map({ $0 < at }) ?? true {
                state.lastSeen[source] = at
            }
        }
    }
}
