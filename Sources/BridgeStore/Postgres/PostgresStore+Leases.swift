import BridgeCore
import PostgresNIO

extension PostgresStore: LeaseStore {
    public func renewLeases(_ kind: LeaseKind, ids: [Int64], owner: String, until: Timestamp) async throws(StoreError) -> Int {
        guard !ids.isEmpty else { return 0 }
        let untilMS = until.millisecondsSinceEpoch
        do {
            let rows: [PostgresRow]
            switch kind {
            case .preparation:
                rows = try await client.query(
                    """
                    UPDATE events SET lease_until_ms = \(untilMS)
                    WHERE lease_owner = \(owner) AND sequence = ANY(\(ids)) RETURNING sequence
                    """, logger: logger
                ).collect()
            case .delivery:
                rows = try await client.query(
                    """
                    UPDATE deliveries SET lease_until_ms = \(untilMS)
                    WHERE lease_owner = \(owner) AND id = ANY(\(ids)) RETURNING id
                    """, logger: logger
                ).collect()
            }
            return rows.count
        } catch {
            throw storeError(error)
        }
    }

    public func releaseLeases(ownedBy match: LeaseOwnerMatch) async throws(StoreError) -> ReleasedLeases {
        // `all` is for a store one process owns; on a shared database only
        // an instance's own prefix is ever released.
        let prefix: String
        switch match {
        case .all: prefix = ""
        case .prefix(let value): prefix = value
        }
        do {
            let events = try await client.query(
                """
                UPDATE events SET lease_owner = NULL, lease_until_ms = NULL
                WHERE lease_owner IS NOT NULL AND left(lease_owner, length(\(prefix))) = \(prefix) RETURNING sequence
                """, logger: logger
            ).collect()
            let deliveries = try await client.query(
                """
                UPDATE deliveries SET lease_owner = NULL, lease_until_ms = NULL
                WHERE lease_owner IS NOT NULL AND left(lease_owner, length(\(prefix))) = \(prefix) RETURNING id
                """, logger: logger
            ).collect()
            return ReleasedLeases(preparation: events.count, delivery: deliveries.count)
        } catch {
            throw storeError(error)
        }
    }
}
