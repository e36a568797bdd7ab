import BridgeCore
import Synchronization

/// Failed console sign-ins per client address: after `attempts` failures
/// within `window`, the address is refused until the oldest failure leaves
/// the window. Bounded: at most `maxAddresses` addresses are tracked (the
/// stalest are dropped first).
public final class SignInLimiter: Sendable {
    let attempts: Int
    let windowMilliseconds: Int64
    let maxAddresses: Int
    // Address → failure times (milliseconds), oldest first.
    private let failures = Mutex<[String: [Int64]]>([:])

    public init(attempts: Int, window: Duration, maxAddresses: Int = 10_000) {
        self.attempts = attempts
        self.windowMilliseconds = window.components.seconds * 1000
        self.maxAddresses = maxAddresses
    }

    /// Seconds until `address` may try again; `nil` when it may now.
    public func retryAfter(_ address: String, now: Timestamp) -> Int64? {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { $0 > now.millisecondsSinceEpoch - windowMilliseconds }
            table[address] = recent.isEmpty ? nil : recent
            guard recent.count >= attempts, let oldest = recent.first else { return nil }
            return max(1, (oldest + windowMilliseconds - now.millisecondsSinceEpoch + 999) / 1000)
        }
    }

    /// Counts one failure of `address`.
    public func recordFailure(_ address: String, now: Timestamp) {
        failures.withLock { table in
            if table[address] == nil, table.count >= maxAddresses {
                let cutoff = now.millisecondsSinceEpoch - windowMilliseconds
                table = table.filter { $0.value.last.map { $0 > cutoff } ?? false }
                if table.count >= maxAddresses, let stalest = table.min(by: { ($0.value.last ?? 0) < ($1.value.last ?? 0) })?.key {
                    table[stalest] = nil
                }
            }
            table[address, default: []].append(now.millisecondsSinceEpoch)
            if let count = table[address]?.count, count > attempts { table[address]?.removeFirst(count - attempts) }
        }
    }

    /// Forgets `address`'s failures (after a successful sign-in).
    public func reset(_ address: String) {
        failures.withLock { table in table[address] = nil }
    }
}
