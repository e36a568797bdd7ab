import BridgeCore
import BridgeStore

extension IngestService {
    /// What a backfill stored.
    public struct BackfillResult: Sendable {
        /// Event ids stored now.
        public var stored: [String] = []
        /// Event ids already in the bridge (a webhook arrived meanwhile).
        public var duplicates: [String] = []
        /// Events the canonical schema refuses, with why (no values).
        public var invalid: [(eventID: String, reason: String)] = []
    }

    /// Stores events a reconciliation rebuilt from the source's records
    /// through the same path as a webhook's: the canonical schema check,
    /// sealing, the durable group commit, deduplication on source and event
    /// id (so a late webhook for the same sale is a duplicate, and a backfill
    /// of an event that arrived meanwhile stores nothing). No delivery key:
    /// there was no delivery. Events go in requests of at most `chunk`.
    /// - Throws: `IngestError` when the store fails or is overloaded (what
    ///   was committed before stays committed, and is reported by the next run).
    public func backfill(_ events: [ConversionEvent], source: String, chunk: Int = 200) async throws(IngestError) -> BackfillResult {
        var result = BackfillResult()
        var valid: [IngestEvent] = []
        for event in events {
            let item = IngestEvent(event: event)
            do { try validateMapped(IngestBatch(events: [item], deliveryKeys: [])) } catch {
                result.invalid.append((event.eventID, error.description))
                continue
            }
            valid.append(item)
        }
        var start = 0
        while start < valid.count {
            let part = Array(valid[start..<min(start + max(chunk, 1), valid.count)])
            start += part.count
            let response = try await store(IngestBatch(events: part, deliveryKeys: []), source: source, trace: nil)
            for (id, outcome) in response.events {
                if outcome == .accepted { result.stored.append(id) } else { result.duplicates.append(id) }
            }
        }
        return result
    }
}
