import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Claims unprepared events in one statement: `FOR UPDATE SKIP LOCKED`
    /// passes over rows another instance is claiming right now, and the lease
    /// (owner, until) keeps them from being claimed again until it runs out.
    public func claimForPreparation(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [StoredEvent] {
        do {
            let rows = try await client.query(
                """
                UPDATE events SET lease_owner = \(owner), lease_until_ms = \(leaseUntil.millisecondsSinceEpoch)
                WHERE sequence IN (
                    SELECT sequence FROM events
                    WHERE prepared_at_ms IS NULL AND (lease_until_ms IS NULL OR lease_until_ms < \(now.millisecondsSinceEpoch))
                    ORDER BY sequence LIMIT \(Self.sqlLimit(limit))
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.eventColumns)
                """, logger: logger
            ).collect()
            return try rows.map(Self.storedEvent(from:)).sorted { $0.sequence < $1.sequence }
        } catch {
            throw storeError(error)
        }
    }

    /// Stores the deliveries of each prepared event and erases its sealed
    /// identifiers, in one transaction; events whose lease `owner` lost are
    /// left alone. The identity graph learns the observations of the events
    /// finished here in the same transaction, last, under the graph's lock
    /// (`learn(_:on:logger:)`), so the lock is held only for the graph's own
    /// statements and the commit.
    public func recordPreparation(_ prepared: [PreparedEvent], owner: String, now: Timestamp) async throws(StoreError) {
        guard !prepared.isEmpty else { return }
        let logger = self.logger
        let nowMS = now.millisecondsSinceEpoch
        do {
            try await client.withTransaction(logger: logger) { connection in
                var observations: [IdentityObservation] = []
                for event in prepared {
                    // Only the worker still holding the lease may finish the event.
                    let finished = try await connection.query(
                        """
                        UPDATE events SET prepared_at_ms = \(nowMS), sealed = NULL,
                            client_sealed = \(event.deliveries.contains { $0.state == .pending } ? event.clientSealed.map { Data($0) } : nil),
                            lease_owner = NULL, lease_until_ms = NULL
                        WHERE sequence = \(event.eventSequence) AND lease_owner = \(owner) AND prepared_at_ms IS NULL
                        RETURNING source, event_id, event_name, event_time_ms, received_at_ms, is_test
                        """, logger: logger
                    ).collect()
                    guard let row = finished.first else { continue }
                    let (source, eventID, eventName, eventTime, receivedAt, isTest) = try row.decode(
                        (String, String, String, Int64, Int64, Bool).self)
                    for delivery in event.deliveries {
                        try await connection.run(
                            """
                            INSERT INTO deliveries (
                                event_sequence, destination, source, event_id, event_name, event_time_ms, received_at_ms,
                                prepared_at_ms, is_test, state, payload, payload_bytes, consent_action, consent_reason,
                                skip_reason, identifiers_mask, enriched_mask, dropped_mask, next_attempt_ms, enriched_by, campaign)
                            VALUES (
                                \(event.eventSequence), \(delivery.destination), \(source), \(eventID), \(eventName), \(eventTime),
                                \(receivedAt), \(nowMS), \(isTest), \(delivery.state.rawValue), \(delivery.payload.map { Data($0) }),
                                \(Int64(delivery.payload?.count ?? 0)), \(delivery.consentAction),
                                \(delivery.consentReason), \(delivery.skipReason), \(delivery.identifiers.mask), \(delivery.enriched.mask),
                                \(delivery.dropped.mask), \(nowMS), \(EnrichmentAttribution.encode(delivery.enrichedBy)), \(event.campaign))
                            ON CONFLICT (event_sequence, destination) DO NOTHING
                            """, logger: logger
                        )
                    }
                    if let observation = event.identityObservation { observations.append(observation) }
                }
                try await PostgresStore.learn(observations, on: connection, logger: logger)
            }
        } catch {
            throw storeError(error)
        }
    }
}
