import BridgeCore
import PostgresNIO

extension PostgresStore: PrivacyStore {
    /// Deletes every event linked to any of `keys`, with its deliveries and
    /// index entries, in one transaction (the events' rows are locked first,
    /// so a worker preparing or delivering them waits and then finds nothing).
    public func erase(keys: [ErasureKeys.Key]) async throws(StoreError) -> ErasureResult {
        guard !keys.isEmpty else { return ErasureResult() }
        let logger = self.logger
        let kinds = keys.map(\.kind)
        let digests = keys.map(\.digest)
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let events = try await connection.query(
                    """
                    SELECT sequence, event_id FROM events
                    WHERE sequence IN (
                        SELECT event_sequence FROM identity_index
                        JOIN unnest(\(kinds)::text[], \(digests)::text[]) AS key (kind, digest) USING (kind, digest))
                    ORDER BY sequence
                    FOR UPDATE
                    """, logger: logger
                ).collect()
                var result = ErasureResult()
                var sequences: [Int64] = []
                for row in events {
                    let (sequence, eventID) = try row.decode((Int64, String).self)
                    sequences.append(sequence)
                    result.eventIDs.append(eventID)
                }
                guard !sequences.isEmpty else { return result }
                var sent = 0
                var unsent = 0
                for row in try await connection.query(
                    "DELETE FROM deliveries WHERE event_sequence = ANY(\(sequences)) RETURNING state", logger: logger
                ).collect() {
                    if try row.decode(String.self) == DeliveryState.delivered.rawValue { sent += 1 } else { unsent += 1 }
                }
                result.sentDeliveries = sent
                result.unsentDeliveries = unsent
                try await connection.run("DELETE FROM events WHERE sequence = ANY(\(sequences))", logger: logger)
                return result
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Enforces the retention limits once, in one transaction; returns what it changed.
    public func applyRetention(_ policy: RetentionPolicy, now: Timestamp) async throws(StoreError) -> RetentionResult {
        let sealedCutoff = now.advanced(by: .zero - policy.sealedIdentifiers).millisecondsSinceEpoch
        let payloadCutoff = now.advanced(by: .zero - policy.deliveredPayloads).millisecondsSinceEpoch
        let nowMS = now.millisecondsSinceEpoch
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                func count(_ query: PostgresQuery) async throws -> Int {
                    try await connection.query(query, logger: logger).collect().count
                }
                var result = RetentionResult()
                result.eventsErased = try await count(
                    """
                    UPDATE events SET sealed = NULL, client_sealed = NULL
                    WHERE (sealed IS NOT NULL OR client_sealed IS NOT NULL) AND received_at_ms < \(sealedCutoff) RETURNING sequence
                    """)
                result.deliveriesExpired = try await count(
                    """
                    UPDATE deliveries SET state = 'dead', dead_code = 'expired', dead_at_ms = \(nowMS), sealed = NULL,
                        last_error = 'the raw identifiers passed their retention limit before delivery',
                        lease_owner = NULL, lease_until_ms = NULL
                    WHERE state = 'pending' AND received_at_ms < \(sealedCutoff)
                    RETURNING id
                    """)
                result.deadLettersErased = try await count(
                    """
                    UPDATE deliveries SET sealed = NULL WHERE sealed IS NOT NULL AND state <> 'pending' AND received_at_ms < \(sealedCutoff)
                    RETURNING id
                    """)
                result.payloadsDropped = try await count(
                    """
                    UPDATE deliveries SET payload = NULL
                    WHERE state = 'delivered' AND payload IS NOT NULL AND delivered_at_ms < \(payloadCutoff)
                    RETURNING id
                    """)
                return result
            }
        } catch {
            throw storeError(error)
        }
    }

    public func auditHead() async throws(StoreError) -> AuditChainHead? {
        do {
            let rows = try await client.query("SELECT sequence, hash FROM audit_head WHERE id = 1", logger: logger).collect()
            guard let row = rows.first else { return nil }
            let (sequence, hash) = try row.decode((Int64, String).self)
            return AuditChainHead(sequence: sequence, hash: hash)
        } catch {
            throw storeError(error)
        }
    }

    /// Records `head` unless a later one is already recorded (another
    /// instance may have appended meanwhile).
    public func recordAuditHead(_ head: AuditChainHead) async throws(StoreError) {
        do {
            _ = try await client.query(
                """
                INSERT INTO audit_head (id, sequence, hash) VALUES (1, \(head.sequence), \(head.hash))
                ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
                WHERE excluded.sequence > audit_head.sequence
                """, logger: logger
            ).collect()
        } catch {
            throw storeError(error)
        }
    }
}
