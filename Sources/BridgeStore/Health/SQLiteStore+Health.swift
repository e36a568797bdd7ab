import BridgeCore
import GRDB

extension SQLiteStore: HealthStore {
    public func recordHealth(_ report: HealthReport, instance: String, forgetBefore: Timestamp) async throws(StoreError) {
        do {
            try await pool.write { db in
                let addCount = try db.cachedStatement(
                    sql: """
                        INSERT INTO health_counts (bucket_ms, subject_kind, subject, counter, instance, value) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (bucket_ms, subject_kind, subject, counter, instance) DO UPDATE SET value = value + excluded.value
                        """)
                for count in report.counts where count.value != 0 {
                    let (kind, name) = count.subject.storedParts
                    try addCount.execute(arguments: [count.bucket.millisecondsSinceEpoch, kind, name, count.counter.rawValue, instance, count.value])
                }
                let seen = try db.cachedStatement(
                    sql: """
                        INSERT INTO source_last_seen (source, instance, last_event_at_ms) VALUES (?, ?, ?)
                        ON CONFLICT (source, instance) DO UPDATE SET last_event_at_ms = MAX(last_event_at_ms, excluded.last_event_at_ms)
                        """)
                for (source, at) in report.lastSeen {
                    try seen.execute(arguments: [source, instance, at.millisecondsSinceEpoch])
                }
                let cutoff = forgetBefore.millisecondsSinceEpoch
                try db.execute(sql: "DELETE FROM health_counts WHERE bucket_ms < ?", arguments: [cutoff])
                try db.execute(
                    sql: """
                        DELETE FROM source_last_seen WHERE last_event_at_ms < ?
                          AND EXISTS (SELECT 1 FROM source_last_seen AS newer
                                      WHERE newer.source = source_last_seen.source AND newer.last_event_at_ms > source_last_seen.last_event_at_ms)
                        """, arguments: [cutoff])
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func healthSnapshot(since: Timestamp) async throws(StoreError) -> HealthSnapshot {
        do {
            return try await pool.read { db in
                var snapshot = HealthSnapshot()
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT bucket_ms, subject_kind, subject, counter, SUM(value) AS total FROM health_counts
                        WHERE bucket_ms >= ? GROUP BY bucket_ms, subject_kind, subject, counter
                        """, arguments: [since.millisecondsSinceEpoch])
                {
                    guard let subject = AlertSubject(storedKind: row["subject_kind"], name: row["subject"]),
                        let counter = HealthCounter(rawValue: row["counter"])
                    else { continue }
                    snapshot.counts.append(
                        HealthCount(bucket: Timestamp(millisecondsSinceEpoch: row["bucket_ms"]), subject: subject, counter: counter, value: row["total"]))
                }
                for row in try Row.fetchAll(db, sql: "SELECT source, MAX(last_event_at_ms) AS at FROM source_last_seen GROUP BY source") {
                    snapshot.lastSeen[row["source"]] = Timestamp(millisecondsSinceEpoch: row["at"])
                }
                snapshot.unprepared = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE prepared_at_ms IS NULL") ?? 0
                snapshot.oldestUnpreparedAt = try Int64.fetchOne(
                    db, sql: "SELECT received_at_ms FROM events WHERE prepared_at_ms IS NULL ORDER BY sequence LIMIT 1"
                ).map(Timestamp.init(millisecondsSinceEpoch:))
                return snapshot
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
