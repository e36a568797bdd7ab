import BridgeCore
import PostgresNIO

extension PostgresStore: SourcePrivacyStore {
    /// Deletes the matched events of `source` with their deliveries and
    /// index entries, in one transaction (the events' rows locked first, as
    /// `erase(keys:)` does).
    public func erase(source: String, matching match: SourceEventMatch) async throws(StoreError) -> ErasureResult {
        guard !match.isEmpty else { return ErasureResult() }
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var result = ErasureResult()
                var sequences: [Int64] = []
                for row in try await connection.query(Self.matchQuery(source: source, match: match, lock: true), logger: logger).collect() {
                    let (sequence, eventID, _) = try row.decode((Int64, String, Bool).self)
                    sequences.append(sequence)
                    result.eventIDs.append(eventID)
                }
                guard !sequences.isEmpty else { return result }
                for row in try await connection.query(
                    "DELETE FROM deliveries WHERE event_sequence = ANY(\(sequences)) RETURNING state", logger: logger
                ).collect() {
                    if try row.decode(String.self) == DeliveryState.delivered.rawValue { result.sentDeliveries += 1 } else { result.unsentDeliveries += 1 }
                }
                try await connection.run("DELETE FROM events WHERE sequence = ANY(\(sequences))", logger: logger)
                return result
            }
        } catch {
            throw storeError(error)
        }
    }

    public func eraseSource(_ source: String) async throws(StoreError) -> SourceHoldings {
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var holdings = SourceHoldings()
                for row in try await connection.query(
                    """
                    SELECT event_id, sealed IS NOT NULL OR client_sealed IS NOT NULL FROM events WHERE source = \(source)
                    ORDER BY sequence FOR UPDATE
                    """, logger: logger
                ).collect() {
                    let (eventID, sealed) = try row.decode((String, Bool).self)
                    holdings.events += 1
                    if sealed { holdings.eventsWithSealedData += 1 }
                    if holdings.eventIDs.count < SourceHoldings.eventIDLimit { holdings.eventIDs.append(eventID) }
                }
                for row in try await connection.query("DELETE FROM deliveries WHERE source = \(source) RETURNING state", logger: logger).collect() {
                    holdings.countDelivery(state: try row.decode(String.self))
                }
                try await connection.run("DELETE FROM events WHERE source = \(source)", logger: logger)
                try await connection.run("DELETE FROM delivery_keys WHERE source = \(source)", logger: logger)
                try await connection.run("DELETE FROM refund_totals WHERE source = \(source)", logger: logger)
                return holdings
            }
        } catch {
            throw storeError(error)
        }
    }

    public func holdings(source: String, matching match: SourceEventMatch) async throws(StoreError) -> SourceHoldings {
        guard !match.isEmpty else { return SourceHoldings() }
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                var holdings = SourceHoldings()
                var sequences: [Int64] = []
                for row in try await connection.query(Self.matchQuery(source: source, match: match, lock: false), logger: logger).collect() {
                    let (sequence, eventID, sealed) = try row.decode((Int64, String, Bool).self)
                    sequences.append(sequence)
                    holdings.events += 1
                    if sealed { holdings.eventsWithSealedData += 1 }
                    if holdings.eventIDs.count < SourceHoldings.eventIDLimit { holdings.eventIDs.append(eventID) }
                }
                guard !sequences.isEmpty else { return holdings }
                for row in try await connection.query(
                    "SELECT state FROM deliveries WHERE event_sequence = ANY(\(sequences))", logger: logger
                ).collect() {
                    holdings.countDelivery(state: try row.decode(String.self))
                }
                return holdings
            }
        } catch {
            throw storeError(error)
        }
    }

    /// `sequence, event_id, has sealed data` of the events of `source` that
    /// `match` finds (keys by `(kind, digest)` whichever seal key made them),
    /// in sequence order; the rows locked when `lock`.
    static func matchQuery(source: String, match: SourceEventMatch, lock: Bool) -> PostgresQuery {
        let kinds = match.keys.map(\.kind)
        let digests = match.keys.map(\.digest)
        let prefixes = match.eventIDPrefixes.filter { !$0.isEmpty }
        return """
            SELECT sequence, event_id, sealed IS NOT NULL OR client_sealed IS NOT NULL FROM events
            WHERE source = \(source) AND (
                sequence IN (
                    SELECT event_sequence FROM identity_index
                    JOIN unnest(\(kinds)::text[], \(digests)::text[]) AS key (kind, digest) USING (kind, digest))
                OR event_id = ANY(\(match.eventIDs)::text[])
                OR EXISTS (SELECT 1 FROM unnest(\(prefixes)::text[]) AS p (prefix) WHERE left(event_id, length(p.prefix)) = p.prefix))
            ORDER BY sequence
            \(unescaped: lock ? "FOR UPDATE" : "")
            """
    }
}
