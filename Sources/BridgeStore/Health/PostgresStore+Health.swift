import BridgeCore
import PostgresNIO

extension PostgresStore: HealthStore {
    /// One transaction: counts added with one `INSERT … SELECT FROM unnest`
    /// (an upsert summing into the instance's own rows), last-seen times
    /// with another, then the old buckets and superseded last-seen rows deleted.
    public func recordHealth(_ report: HealthReport, instance: String, forgetBefore: Timestamp) async throws(StoreError) {
        let logger = self.logger
        let counts = report.counts.filter { $0.value != 0 }
        let buckets = counts.map { $0.bucket.millisecondsSinceEpoch }
        let kinds = counts.map { $0.subject.storedParts.kind }
        let subjects = counts.map { $0.subject.storedParts.name }
        let counters = counts.map(\.counter.rawValue)
        let values = counts.map { Int64($0.value) }
        let seen = report.lastSeen.sorted { $0.key < $1.key }
        let sources = seen.map(\.key)
        let seenAt = seen.map { $0.value.millisecondsSinceEpoch }
        let cutoff = forgetBefore.millisecondsSinceEpoch
        do {
            try await client.withTransaction(logger: logger) { connection in
                if !counts.isEmpty {
                    try await connection.run(
                        """
                        INSERT INTO health_counts (bucket_ms, subject_kind, subject, counter, instance, value)
                        SELECT b, k, s, c, \(instance), v
                        FROM unnest(\(buckets)::bigint[], \(kinds)::text[], \(subjects)::text[], \(counters)::text[], \(values)::bigint[]) AS r (b, k, s, c, v)
                        ON CONFLICT (bucket_ms, subject_kind, subject, counter, instance) DO UPDATE SET value = health_counts.value + excluded.value
                        """, logger: logger)
                }
                if !sources.isEmpty {
                    try await connection.run(
                        """
                        INSERT INTO source_last_seen (source, instance, last_event_at_ms)
                        SELECT s, \(instance), at FROM unnest(\(sources)::text[], \(seenAt)::bigint[]) AS r (s, at)
                        ON CONFLICT (source, instance) DO UPDATE
                        SET last_event_at_ms = GREATEST(source_last_seen.last_event_at_ms, excluded.last_event_at_ms)
                        """, logger: logger)
                }
                try await connection.run("DELETE FROM health_counts WHERE bucket_ms < \(cutoff)", logger: logger)
                try await connection.run(
                    """
                    DELETE FROM source_last_seen AS old WHERE old.last_event_at_ms < \(cutoff)
                      AND EXISTS (SELECT 1 FROM source_last_seen AS newer
                                  WHERE newer.source = old.source AND newer.last_event_at_ms > old.last_event_at_ms)
                    """, logger: logger)
            }
        } catch {
            throw storeError(error)
        }
    }

    public func healthSnapshot(since: Timestamp) async throws(StoreError) -> HealthSnapshot {
        do {
            var snapshot = HealthSnapshot()
            let rows = try await client.query(
                """
                SELECT bucket_ms, subject_kind, subject, counter, SUM(value)::bigint FROM health_counts
                WHERE bucket_ms >= \(since.millisecondsSinceEpoch) GROUP BY bucket_ms, subject_kind, subject, counter
                """, logger: logger)
            for try await (bucket, kind, name, counterName, total) in rows.decode((Int64, String, String, String, Int64).self) {
                guard let subject = AlertSubject(storedKind: kind, name: name), let counter = HealthCounter(rawValue: counterName) else { continue }
                snapshot.counts.append(
                    HealthCount(bucket: Timestamp(millisecondsSinceEpoch: bucket), subject: subject, counter: counter, value: Int(total)))
            }
            for try await (source, at) in try await client.query(
                "SELECT source, MAX(last_event_at_ms) FROM source_last_seen GROUP BY source", logger: logger
            ).decode((String, Int64).self) {
                snapshot.lastSeen[source] = Timestamp(millisecondsSinceEpoch: at)
            }
            for try await count in try await client.query("SELECT COUNT(*) FROM events WHERE prepared_at_ms IS NULL", logger: logger).decode(Int.self) {
                snapshot.unprepared = count
            }
            for try await at in try await client.query(
                "SELECT received_at_ms FROM events WHERE prepared_at_ms IS NULL ORDER BY sequence LIMIT 1", logger: logger
            ).decode(Int64.self) {
                snapshot.oldestUnpreparedAt = Timestamp(millisecondsSinceEpoch: at)
            }
            return snapshot
        } catch {
            throw storeError(error)
        }
    }
}
