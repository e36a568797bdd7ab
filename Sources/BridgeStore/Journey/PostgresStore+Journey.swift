import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore: JourneyStore {
    /// The columns of `events` a journey reads (never the sealed ones), in
    /// the order `arrival(_:)` decodes them.
    static let journeyEventColumns = """
        sequence, source, event_id, event_name, event_time_ms, received_at_ms, is_test, body, sealed IS NOT NULL,
        prepared_at_ms, order_id, delivery_keys, duplicates_seen, last_duplicate_at_ms, duplicate_keys
        """

    public func journeyRecords(eventID: String, source: String?) async throws(StoreError) -> [JourneyRecord] {
        do {
            let rows: [PostgresRow]
            if let source {
                rows = try await client.query(
                    "SELECT \(unescaped: Self.journeyEventColumns) FROM events WHERE source = \(source) AND event_id = \(eventID)", logger: logger
                ).collect()
            } else {
                rows = try await client.query(
                    "SELECT \(unescaped: Self.journeyEventColumns) FROM events WHERE event_id = \(eventID) ORDER BY sequence", logger: logger
                ).collect()
            }
            var records: [JourneyRecord] = []
            for row in rows { records.append(try await journeyRecord(Self.arrival(row))) }
            return records
        } catch {
            throw storeError(error)
        }
    }

    public func journeyRecords(order lookup: OrderLookup) async throws(StoreError) -> [JourneyRecord] {
        do {
            var arrivals: [Int64: JourneyRecord.Arrival] = [:]
            if !lookup.saleEventIDs.isEmpty {
                for row in try await client.query(
                    """
                    SELECT \(unescaped: Self.journeyEventColumns) FROM events
                    WHERE (source, event_id) IN (SELECT * FROM unnest(\(lookup.saleEventIDs.map(\.source))::text[], \(lookup.saleEventIDs.map(\.eventID))::text[]))
                    """, logger: logger
                ).collect() {
                    let arrival = try Self.arrival(row)
                    arrivals[arrival.sequence] = arrival
                }
            }
            // By receipt time (events_received), then the order id: bounded by the window.
            for row in try await client.query(
                """
                SELECT \(unescaped: Self.journeyEventColumns) FROM events
                WHERE received_at_ms >= \(lookup.receivedSince.millisecondsSinceEpoch) AND order_id = \(lookup.orderID)
                ORDER BY received_at_ms LIMIT \(Int64(max(1, lookup.limit)))
                """, logger: logger
            ).collect() {
                let arrival = try Self.arrival(row)
                arrivals[arrival.sequence] = arrival
            }
            var records: [JourneyRecord] = []
            for sequence in arrivals.keys.sorted().prefix(lookup.limit) {
                if let arrival = arrivals[sequence] { records.append(try await journeyRecord(arrival)) }
            }
            return records
        } catch {
            throw storeError(error)
        }
    }

    /// An event row (`journeyEventColumns`) read back.
    static func arrival(_ row: PostgresRow) throws -> JourneyRecord.Arrival {
        let columns = row.makeRandomAccess()
        return JourneyRecord.Arrival(
            sequence: try columns[0].decode(Int64.self), source: try columns[1].decode(String.self), eventID: try columns[2].decode(String.self),
            eventName: try columns[3].decode(String.self), eventTime: Timestamp(millisecondsSinceEpoch: try columns[4].decode(Int64.self)),
            receivedAt: Timestamp(millisecondsSinceEpoch: try columns[5].decode(Int64.self)), isTest: try columns[6].decode(Bool.self),
            body: Array(try columns[7].decode(Data.self)), orderID: try columns[10].decode(String?.self),
            deliveryKeys: JourneyRecord.Arrival.keys(try columns[11].decode(String?.self)), duplicatesSeen: Int(try columns[12].decode(Int64.self)),
            lastDuplicateAt: try columns[13].decode(Int64?.self).map(Timestamp.init(millisecondsSinceEpoch:)),
            duplicateKeys: JourneyRecord.Arrival.duplicateKeys(try columns[14].decode(String?.self)),
            preparedAt: try columns[9].decode(Int64?.self).map(Timestamp.init(millisecondsSinceEpoch:)),
            identifiersSealed: try columns[8].decode(Bool.self))
    }

    /// `arrival` with its deliveries.
    func journeyRecord(_ arrival: JourneyRecord.Arrival) async throws -> JourneyRecord {
        var deliveries: [JourneyRecord.Delivery] = []
        for row in try await client.query(
            """
            SELECT destination, state, prepared_at_ms, consent_action, consent_reason, skip_reason, identifiers_mask, enriched_mask,
                dropped_mask, enriched_by, attempts, next_attempt_ms, last_status, last_error, delivered_at_ms, batch_id, dead_code,
                dead_at_ms, attempt_log
            FROM deliveries WHERE event_sequence = \(arrival.sequence) ORDER BY destination COLLATE "C"
            """, logger: logger
        ).collect() {
            let c = row.makeRandomAccess()
            let state = try c[1].decode(String.self)
            deliveries.append(
                JourneyRecord.Delivery(
                    destination: try c[0].decode(String.self), state: state,
                    preparedAt: Timestamp(millisecondsSinceEpoch: try c[2].decode(Int64.self)), consentAction: try c[3].decode(String.self),
                    consentReason: try c[4].decode(String.self), skipReason: try c[5].decode(String?.self),
                    identifiers: IdentifierSet(mask: try c[6].decode(Int64.self)), enriched: IdentifierSet(mask: try c[7].decode(Int64.self)),
                    dropped: IdentifierSet(mask: try c[8].decode(Int64.self)),
                    enrichedBy: try c[9].decode(String?.self).map(EnrichmentAttribution.decode) ?? [:], attempts: Int(try c[10].decode(Int64.self)),
                    nextAttemptAt: state == "pending" ? Timestamp(millisecondsSinceEpoch: try c[11].decode(Int64.self)) : nil,
                    lastStatus: try c[12].decode(Int64?.self).map { Int($0) }, lastError: try c[13].decode(String?.self),
                    deliveredAt: try c[14].decode(Int64?.self).map(Timestamp.init(millisecondsSinceEpoch:)), batchID: try c[15].decode(String?.self),
                    deadCode: try c[16].decode(String?.self), deadAt: try c[17].decode(Int64?.self).map(Timestamp.init(millisecondsSinceEpoch:)),
                    attemptLog: DeliveryAttemptLog.entries(try c[18].decode(String?.self))))
        }
        return JourneyRecord(event: arrival, deliveries: deliveries)
    }
}
