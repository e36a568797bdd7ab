import BridgeCore
import BridgeStore

/// Each configured destination as an operator sees it: its queue in the
/// store and every running instance's breaker state. Built the same way for
/// `capi-bridge destinations list` and `GET /v1/destinations`.
public struct DestinationOverview: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var pending: Int
    public var dead: Int
    /// Age of the oldest undelivered event, in seconds.
    public var oldestPendingAgeSeconds: Int64?
    /// What each instance reported (`QueueMonitor`, every few seconds).
    public var instances: [DestinationStatus]
    /// For a platform that confirms after its 200 (Data Manager): the last
    /// 7 days' sent, confirmed, rejected-later and awaiting counts.
    public var confirmations: ConfirmationCounts? = nil

    /// The worst state any instance reports: `paused` over `open` over
    /// `half_open` over `closed`; `unknown` when no instance reported.
    public var state: String {
        let order = ["paused", "open", "half_open", "closed"]
        return order.first { state in instances.contains { $0.state == state } } ?? "unknown"
    }

    /// The overview of every destination of `config`.
    public static func all(config: BridgeConfig, store: any StoreBackend, now: Timestamp) async throws(StoreError) -> [DestinationOverview] {
        let stats = try await store.queueStats(now: now)
        let statuses = try await store.destinationStatuses()
        let confirmations = try await store.confirmationCounts(since: now.advanced(by: .seconds(-7 * 86_400)), until: now.advanced(by: .seconds(1)), destination: nil)
        return config.destinations.map { entry in
            let queue = stats[entry.name] ?? QueueStats()
            var overview = DestinationOverview(
                name: entry.name, kind: entry.kind, pending: queue.pending, dead: queue.dead,
                oldestPendingAgeSeconds: queue.oldestPendingReceivedAt.map { max(0, now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch) / 1000 },
                instances: statuses.filter { $0.destination == entry.name })
            overview.confirmations = confirmations[entry.name]
            return overview
        }
    }

    /// The JSON form (`GET /v1/destinations`).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "kind": .string(kind), "state": .string(state),
            "pending": .number(String(pending)), "dead_letters": .number(String(dead)),
            "instances": .array(
                instances.map { status in
                    var item: [String: JSONValue] = [
                        "instance": .string(status.instance), "state": .string(status.state),
                        "reported_at": .string(status.reportedAt.rfc3339),
                    ]
                    if let detail = status.detail { item["detail"] = .string(detail) }
                    return .object(item)
                }),
        ]
        if let age = oldestPendingAgeSeconds { object["oldest_pending_age_seconds"] = .number(String(age)) }
        if let counts = confirmations {
            object["confirmation_7d"] = .object([
                "sent": .number(String(counts.sent)), "confirmed": .number(String(counts.confirmed)),
                "rejected_later": .number(String(counts.rejectedLater)), "awaiting": .number(String(counts.awaiting)),
                "unconfirmed": .number(String(counts.unconfirmed)),
            ])
        }
        return .object(object)
    }
}
