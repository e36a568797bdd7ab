import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Requests awaiting confirmation, diagnostics and platform scores
/// (`PlatformFeedbackStore`), against every available store.
@Suite("Platform feedback store")
struct PlatformFeedbackStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    var t0: Timestamp { receivedAt.advanced(by: .seconds(60)) }
    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }
    var window: (Timestamp, Timestamp) { (receivedAt.advanced(by: .seconds(-60)), at(86_400)) }

    /// Seeds `count` google deliveries, delivers them in one batch and
    /// registers the request; returns the delivery ids.
    func deliveredRequest(_ store: any StoreBackend, count: Int, requestID: String, prefix: String) async throws -> [Int64] {
        try await seedPending(store, count: count, destinations: ["google"], prefix: prefix, at: t0)
        let claimed = try await store.claimDeliveries(destination: "google", limit: 100, maxBytes: 100_000, owner: "w", leaseUntil: at(30), now: t0)
        let ids = claimed.map(\.id)
        try await store.awaitConfirmation(
            NewConfirmation(
                destination: "google", requestID: requestID, batchID: "b-\(requestID)", deliveryIDs: ids, sentAt: at(1), firstPollAt: at(10),
                deadline: at(3600)))
        try await store.complete(claimed.map { .delivered(id: $0.id, batchID: "b-\(requestID)", status: 200) }, owner: "w", now: at(1))
        return ids
    }

    @Test("a request is claimed by one instance at a time, only once due, and polled again when not final", arguments: StoreKind.available)
    func claimUnderLease(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await deliveredRequest(store, count: 2, requestID: "r-1", prefix: "lease")
            #expect(try await store.claimConfirmations(limit: 10, owner: "A", leaseUntil: at(100), now: at(5)).isEmpty, "not due yet")
            let byA = try await store.claimConfirmations(limit: 10, owner: "A", leaseUntil: at(100), now: at(10))
            #expect(byA.map(\.requestID) == ["r-1"])
            #expect(byA.first?.deliveryIDs.count == 2)
            #expect(try await store.claimConfirmations(limit: 10, owner: "B", leaseUntil: at(100), now: at(11)).isEmpty, "leased to A")
            #expect(try await store.resolveConfirmation(id: byA[0].id, .confirmed, owner: "B", now: at(12)) == false, "B holds no lease")
            #expect(try await store.resolveConfirmation(id: byA[0].id, .pollAgain(at: at(50), note: "processing"), owner: "A", now: at(12)))
            let again = try await store.claimConfirmations(limit: 10, owner: "B", leaseUntil: at(200), now: at(50))
            #expect(again.first?.polls == 1)
            #expect(try await store.resolveConfirmation(id: again[0].id, .confirmed, owner: "B", now: at(51)))
            #expect(try await store.claimConfirmations(limit: 10, owner: "A", leaseUntil: at(10_000), now: at(9_000)).isEmpty, "final: never again")
            let counts = try await store.confirmationCounts(since: window.0, until: window.1, destination: nil)
            #expect(counts == ["google": ConfirmationCounts(sent: 2, confirmed: 2)])
        }
    }

    @Test("a failed request dead-letters its deliveries; a partly rejected one is listed and can be replayed", arguments: StoreKind.available)
    func rejectedAndPartlyRejected(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await deliveredRequest(store, count: 2, requestID: "failed", prefix: "f")
            let failed = try await store.claimConfirmations(limit: 1, owner: "A", leaseUntil: at(100), now: at(10))
            let reasons = RejectionCounts(byReason: ["PROCESSING_ERROR_REASON_INVALID_GCLID": 2])
            try await store.resolveConfirmation(id: failed[0].id, .rejected(reasons, message: "request failed: INVALID_GCLID 2"), owner: "A", now: at(11))
            let letters = try await store.deadLetters(DeadLetterFilter(destination: "google"), limit: 10)
            #expect(letters.count == 2)
            #expect(letters.allSatisfy { $0.code == "rejected_later" && $0.message == "request failed: INVALID_GCLID 2" })

            let ids = try await deliveredRequest(store, count: 4, requestID: "partial", prefix: "p")
            let partial = try await store.claimConfirmations(limit: 1, owner: "A", leaseUntil: at(100), now: at(10))
            let counts = RejectionCounts(byReason: ["PROCESSING_ERROR_REASON_NO_CONSENT": 1], recordCount: 4)
            try await store.resolveConfirmation(id: partial[0].id, .partlyRejected(counts, message: "1 of 4 rejected"), owner: "A", now: at(12))
            let listed = try await store.rejectedRequests(destination: nil, limit: 10)
            #expect(listed.map(\.requestID) == ["partial"])
            #expect(listed.first?.rejectedCount == 1)
            #expect(listed.first?.reasons == "PROCESSING_ERROR_REASON_NO_CONSENT 1")
            #expect(Set(listed.first?.deliveryIDs ?? []) == Set(ids))
            let tally = try await store.confirmationCounts(since: window.0, until: window.1, destination: "google")["google"]
            #expect(tally == ConfirmationCounts(sent: 6, confirmed: 3, rejectedLater: 3, inPartlyRejectedRequests: 4))

            #expect(try await store.replayRejectedRequests(ids: [listed[0].id], destination: nil, now: at(20)) == 4)
            #expect(try await store.rejectedRequests(destination: nil, limit: 10).isEmpty)
            let again = try await store.claimDeliveries(destination: "google", limit: 10, maxBytes: 100_000, owner: "w2", leaseUntil: at(100), now: at(21))
            #expect(Set(again.map(\.id)) == Set(ids))
        }
    }

    @Test("diagnostics add up per day, destination, kind and code", arguments: StoreKind.available)
    func diagnostics(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let mismatch = DeliveryDiagnostic(kind: .eventsReceivedMismatch, code: "events_received", detail: "Meta acknowledged 1 of 2 events sent")
            try await store.recordDiagnostics([DiagnosticEntry(destination: "meta", diagnostic: mismatch, at: at(0))])
            let later = DeliveryDiagnostic(kind: .eventsReceivedMismatch, code: "events_received", detail: "Meta acknowledged 3 of 4 events sent")
            try await store.recordDiagnostics([
                DiagnosticEntry(destination: "meta", diagnostic: later, at: at(5)),
                DiagnosticEntry(destination: "ga4", diagnostic: DeliveryDiagnostic(kind: .validationMessage, code: "VALUE_INVALID", detail: "x"), at: at(6)),
            ])
            let tallies = try await store.diagnosticTallies(since: at(-60), until: at(60), destination: "meta")
            #expect(tallies.count == 1)
            #expect(tallies.first?.count == 2)
            #expect(tallies.first?.lastDetail == "Meta acknowledged 3 of 4 events sent")
            #expect(try await store.diagnosticTallies(since: at(-60), until: at(60), destination: nil).count == 2)
        }
    }

    @Test("scores are stored per day and event name; a missing permission reads back without a score", arguments: StoreKind.available)
    func scores(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let day = PlatformScore.day(of: at(0))
            let purchase = PlatformScore(
                day: day, destination: "meta", eventName: "Purchase", availability: .available, score: 7.9,
                matchKeys: [.init(identifier: "email", coveragePercent: 91.5, note: "potential +12.1 %")], recommendations: ["Send IPv6"],
                fetchedAt: at(0))
            let denied = PlatformScore(
                day: day, destination: "pinterest", eventName: "*", availability: .permissionMissing, detail: "HTTP 403: scope ads:read", fetchedAt: at(0))
            try await store.recordPlatformScores([purchase, denied])
            var updated = purchase
            updated.score = 8.4
            try await store.recordPlatformScores([updated])
            let read = try await store.platformScores(sinceDay: day, untilDay: day, destination: nil)
            #expect(read.count == 2)
            #expect(read.first { $0.destination == "meta" } == updated)
            let pinterest = try #require(read.first { $0.destination == "pinterest" })
            #expect(pinterest.score == nil)
            #expect(pinterest.shownScore == "not available: permission missing")
        }
    }
}
