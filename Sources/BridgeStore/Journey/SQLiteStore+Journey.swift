import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: JourneyStore {
    /// The columns of `events` a journey reads (never the sealed ones).
    static let journeyEventColumns = """
        sequence, source, event_id, event_name, event_time_ms, received_at_ms, is_test, body, sealed IS NOT NULL AS identifiers_sealed,
        prepared_at_ms, order_id, delivery_keys, duplicates_seen, last_duplicate_at_ms, duplicate_keys
        """

    public func journeyRecords(eventID: String, source: String?) async throws(StoreError) -> [JourneyRecord] {
        do {
            return try await pool.read { db in
                let rows: [Row]
                if let source {
                    rows = try Row.fetchAll(
                        db, sql: "SELECT \(Self.journeyEventColumns) FROM events WHERE source = ? AND event_id = ?", arguments: [source, eventID])
                } else {
                    rows = try Row.fetchAll(
                        db, sql: "SELECT \(Self.journeyEventColumns) FROM events WHERE event_id = ? ORDER BY sequence", arguments: [eventID])
                }
                return try rows.map { try Self.journeyRecord($0, in: db) }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func journeyRecords(order lookup: OrderLookup) async throws(StoreError) -> [JourneyRecord] {
        do {
            return try await pool.read { db in
                var rows: [Int64: Row] = [:]
                for sale in lookup.saleEventIDs {
                    if let row = try Row.fetchOne(
                        db, sql: "SELECT \(Self.journeyEventColumns) FROM events WHERE source = ? AND event_id = ?",
                        arguments: [sale.source, sale.eventID])
                    {
                        rows[row["sequence"]] = row
                    }
                }
                // By receipt time (events_received), then the order id: bounded by the window.
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.journeyEventColumns) FROM events
                        WHERE received_at_ms >= ? AND order_id = ? ORDER BY received_at_ms LIMIT ?
                        """,
                    arguments: [lookup.receivedSince.millisecondsSinceEpoch, lookup.orderID, lookup.limit])
                {
                    rows[row["sequence"]] = row
                }
                return try rows.keys.sorted().prefix(lookup.limit).compactMap { sequence in
                    try rows[sequence].map { try Self.journeyRecord($0, in: db) }
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// An event row and its deliveries, read in the caller's transaction.
    static func journeyRecord(_ row: Row, in db: Database) throws -> JourneyRecord {
        let body: Data = row["body"]
        let sequence: Int64 = row["sequence"]
        let event = JourneyRecord.Arrival(
            sequence: sequence, source: row["source"], eventID: row["event_id"], eventName: row["event_name"],
            eventTime: Timestamp(millisecondsSinceEpoch: row["event_time_ms"]),
            receivedAt: Timestamp(millisecondsSinceEpoch: row["received_at_ms"]), isTest: row["is_test"], body: Array(body),
            orderID: row["order_id"], deliveryKeys: JourneyRecord.Arrival.keys(row["delivery_keys"]), duplicatesSeen: row["duplicates_seen"],
            lastDuplicateAt: (row["last_duplicate_at_ms"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
            duplicateKeys: JourneyRecord.Arrival.duplicateKeys(row["duplicate_keys"]),
            preparedAt: (row["prepared_at_ms"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)), identifiersSealed: row["identifiers_sealed"])
        let deliveries = try Row.fetchAll(
            db,
            sql: """
                SELECT destination, state, prepared_at_ms, consent_action, consent_reason, skip_reason, identifiers_mask, enriched_mask,
                    dropped_mask, enriched_by, attempts, next_attempt_ms, last_status, last_error, delivered_at_ms, batch_id, dead_code,
                    dead_at_ms, attempt_log
                FROM deliveries WHERE event_sequence = ? ORDER BY destination
                """, arguments: [sequence]
        ).map { row in
            let state: String = row["state"]
            return JourneyRecord.Delivery(
                destination: row["destination"], state: state, preparedAt: Timestamp(millisecondsSinceEpoch: row["prepared_at_ms"]),
                consentAction: row["consent_action"], consentReason: row["consent_reason"], skipReason: row["skip_reason"],
                identifiers: IdentifierSet(mask: row["identifiers_mask"]), enriched: IdentifierSet(mask: row["enriched_mask"]),
                dropped: IdentifierSet(mask: row["dropped_mask"]),
                enrichedBy: (row["enriched_by"] as String?).map(EnrichmentAttribution.decode) ?? [:], attempts: row["attempts"],
                nextAttemptAt: state == "pending" ? Timestamp(millisecondsSinceEpoch: row["next_attempt_ms"]) : nil,
                lastStatus: row["last_status"], lastError: row["last_error"],
                deliveredAt: (row["delivered_at_ms"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)), batchID: row["batch_id"],
                deadCode: row["dead_code"], deadAt: (row["dead_at_ms"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
                attemptLog: DeliveryAttemptLog.entries(row["attempt_log"]))
        }
        return JourneyRecord(event: event, deliveries: deliveries)
    }
}
