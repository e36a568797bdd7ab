import BridgeCore
import Foundation
import GRDB

extension SQLiteStore {
    public func claimForPreparation(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [StoredEvent] {
        do {
            return try await pool.write { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        UPDATE events SET lease_owner = ?, lease_until_ms = ?
                        WHERE sequence IN (
                            SELECT sequence FROM events
                            WHERE prepared_at_ms IS NULL AND (lease_until_ms IS NULL OR lease_until_ms < ?)
                            ORDER BY sequence LIMIT ?)
                        RETURNING *
                        """,
                    arguments: [owner, leaseUntil.millisecondsSinceEpoch, now.millisecondsSinceEpoch, limit])
                return rows.map(SQLiteStore.storedEvent(from:)).sorted { $0.sequence < $1.sequence }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func recordPreparation(_ prepared: [PreparedEvent], owner: String, now: Timestamp) async throws(StoreError) {
        guard !prepared.isEmpty else { return }
        do {
            try await pool.write { db in
                let finish = try db.cachedStatement(
                    sql: """
                        UPDATE events SET prepared_at_ms = ?, sealed = NULL, client_sealed = ?, lease_owner = NULL, lease_until_ms = NULL
                        WHERE sequence = ? AND lease_owner = ? AND prepared_at_ms IS NULL
                        RETURNING source, event_id, event_name, event_time_ms, received_at_ms, is_test
                        """)
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO deliveries (
                            event_sequence, destination, source, event_id, event_name, event_time_ms, received_at_ms,
                            prepared_at_ms, is_test, state, payload, payload_bytes, consent_action, consent_reason,
                            skip_reason, identifiers_mask, enriched_mask, dropped_mask, next_attempt_ms, enriched_by, campaign)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (event_sequence, destination) DO NOTHING
                        """)
                for event in prepared {
                    // Only the worker still holding the lease may finish the event.
                    let clientSealed = event.deliveries.contains { $0.state == .pending } ? event.clientSealed.map { Data($0) } : nil
                    guard let row = try Row.fetchOne(finish, arguments: [now.millisecondsSinceEpoch, clientSealed, event.eventSequence, owner])
                    else {
                        continue
                    }
                    for delivery in event.deliveries {
                        try insert.execute(arguments: [
                            event.eventSequence, delivery.destination, row["source"] as String, row["event_id"] as String,
                            row["event_name"] as String, row["event_time_ms"] as Int64, row["received_at_ms"] as Int64,
                            now.millisecondsSinceEpoch, row["is_test"] as Bool, delivery.state.rawValue,
                            delivery.payload.map { Data($0) }, delivery.payload?.count ?? 0,
                            delivery.consentAction, delivery.consentReason, delivery.skipReason, delivery.identifiers.mask,
                            delivery.enriched.mask, delivery.dropped.mask, now.millisecondsSinceEpoch,
                            EnrichmentAttribution.encode(delivery.enrichedBy), event.campaign,
                        ])
                    }
                    if let observation = event.identityObservation { try SQLiteStore.learn(observation, in: db) }
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
