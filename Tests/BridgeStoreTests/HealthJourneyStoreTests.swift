import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Health counters shared by instances (`HealthStore`) and one sale's
/// journey (`JourneyStore`), against every available store.
@Suite("Health and journey store")
struct HealthJourneyStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    @Test("counts of several instances add up per bucket; last-seen is the latest of any instance; old buckets are forgotten", arguments: StoreKind.available)
    func healthCountsAcrossInstances(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let bucket = HealthCount.bucket(of: at(0))
            // Given two instances counting signature failures on the same source and bucket
            try await store.recordHealth(
                HealthReport(counts: [HealthCount(bucket: bucket, subject: .source("shop"), counter: .signatureFailures, value: 4)],
                    lastSeen: ["shop": at(1)]), instance: "a/1", forgetBefore: at(-3600))
            try await store.recordHealth(
                HealthReport(counts: [HealthCount(bucket: bucket, subject: .source("shop"), counter: .signatureFailures, value: 3)],
                    lastSeen: ["shop": at(5)]), instance: "b/2", forgetBefore: at(-3600))
            // And instance a reporting again, with an older last-seen
            try await store.recordHealth(
                HealthReport(counts: [HealthCount(bucket: bucket, subject: .source("shop"), counter: .signatureFailures, value: 2),
                    HealthCount(bucket: bucket, subject: .destination("meta"), counter: .delivered, value: 9)],
                    lastSeen: ["shop": at(0)]), instance: "a/1", forgetBefore: at(-3600))
            // Then the snapshot sums them and keeps the latest sign of life
            let snapshot = try await store.healthSnapshot(since: at(-60))
            #expect(snapshot.total(.signatureFailures, for: .source("shop"), since: at(-60)) == 9)
            #expect(snapshot.total(.delivered, for: .destination("meta"), since: at(-60)) == 9)
            #expect(snapshot.lastSeen == ["shop": at(5)])
            // And buckets before a later cut-off are gone
            try await store.recordHealth(HealthReport(lastSeen: ["shop": at(700)]), instance: "a/1", forgetBefore: at(600))
            let later = try await store.healthSnapshot(since: at(-60))
            #expect(later.counts.isEmpty)
            #expect(later.lastSeen == ["shop": at(700)])
        }
    }

    @Test("the snapshot reports events waiting to be prepared and the oldest one's arrival", arguments: StoreKind.available)
    func unpreparedBacklog(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.healthSnapshot(since: t0).unprepared == 0)
            _ = try await store.ingest(request([purchase("sale:1")], receivedAt: at(10)))
            _ = try await store.ingest(request([purchase("sale:2")], receivedAt: at(20)))
            let snapshot = try await store.healthSnapshot(since: t0)
            #expect(snapshot.unprepared == 2)
            #expect(snapshot.oldestUnpreparedAt == at(10))
        }
    }

    @Test("a journey holds arrival keys, duplicates seen, the order id, consent and every attempt", arguments: StoreKind.available)
    func journeyRecords(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given a sale stored from one webhook and seen again twice (a redelivery and a second webhook)
            _ = try await store.ingest(request([purchase("sale:shop:1001")], keys: ["webhook-1"], receivedAt: at(0)))
            _ = try await store.ingest(request([purchase("sale:shop:1001")], keys: ["webhook-1"], receivedAt: at(5)))
            _ = try await store.ingest(request([purchase("sale:shop:1001")], keys: ["order-paid-7"], receivedAt: at(9)))
            // And prepared into a pending Meta delivery and a suppressed Google one
            let claimed = try await store.claimForPreparation(limit: 10, owner: "p", leaseUntil: at(60), now: at(10))
            let suppressed = NewDelivery(
                destination: "google", state: .suppressed, payload: nil, consentAction: "suppress", consentReason: "denied_consent_mode")
            try await store.recordPreparation(
                [PreparedEvent(eventSequence: try #require(claimed.first).sequence, deliveries: [pending("meta"), suppressed], clientSealed: sealedContext)],
                owner: "p", now: at(10))
            // And Meta answering 503 once, then accepting
            let first = try #require(
                try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 1 << 20, owner: "w", leaseUntil: at(80), now: at(20)).first)
            try await store.complete([.retry(id: first.id, at: at(40), status: 503, error: "HTTP 503")], owner: "w", now: at(20))
            let second = try #require(
                try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 1 << 20, owner: "w", leaseUntil: at(100), now: at(40)).first)
            try await store.complete([.delivered(id: second.id, batchID: "b-1", status: 200)], owner: "w", now: at(41))
            // When its journey is read by id
            let records = try await store.journeyRecords(eventID: "sale:shop:1001", source: nil)
            let record = try #require(records.first)
            #expect(records.count == 1)
            #expect(record.event.deliveryKeys == ["webhook-1"])
            #expect(record.event.duplicatesSeen == 2)
            #expect(record.event.duplicateKeys == ["webhook-1", "order-paid-7"])
            #expect(record.event.lastDuplicateAt == at(9))
            #expect(record.event.orderID == "1001")
            #expect(record.event.receivedAt == at(0))
            #expect(record.event.preparedAt == at(10))
            #expect(!record.event.identifiersSealed)
            let meta = try #require(record.deliveries.first { $0.destination == "meta" })
            #expect(meta.state == "delivered")
            #expect(meta.deliveredAt == at(41))
            #expect(meta.attemptLog.map(\.outcome) == [.retry, .delivered])
            #expect(meta.attemptLog.map(\.status) == [503, 200])
            #expect(meta.attemptLog.first?.nextAttemptAt == at(40))
            let google = try #require(record.deliveries.first { $0.destination == "google" })
            #expect(google.state == "suppressed")
            #expect(google.consentReason == "denied_consent_mode")
            // And by order: the exact sale id, or its order id within the window
            let byID = try await store.journeyRecords(
                order: OrderLookup(orderID: "nothing", saleEventIDs: [SourceEventID(source: "backend", eventID: "sale:shop:1001")], receivedSince: at(3600)))
            #expect(byID.map(\.event.eventID) == ["sale:shop:1001"])
            let byOrder = try await store.journeyRecords(order: OrderLookup(orderID: "1001", saleEventIDs: [], receivedSince: at(-60)))
            #expect(byOrder.map(\.event.eventID) == ["sale:shop:1001"])
            #expect(try await store.journeyRecords(order: OrderLookup(orderID: "1001", saleEventIDs: [], receivedSince: at(60))).isEmpty)
            // And an unknown id or another source finds nothing
            #expect(try await store.journeyRecords(eventID: "sale:shop:9", source: nil).isEmpty)
            #expect(try await store.journeyRecords(eventID: "sale:shop:1001", source: "other").isEmpty)
        }
    }

    @Test("a dead letter's journey keeps its code and attempt", arguments: StoreKind.available)
    func deadLetterJourney(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 1, prefix: "dl", at: at(0))
            let claimed = try #require(
                try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 1 << 20, owner: "w", leaseUntil: at(60), now: at(1)).first)
            try await store.complete([.dead(id: claimed.id, code: "invalid_parameter", message: "Invalid parameter", status: 400)], owner: "w", now: at(2))
            let delivery = try #require(try await store.journeyRecords(eventID: "dl:0", source: "backend").first?.deliveries.first)
            #expect(delivery.state == "dead")
            #expect(delivery.deadCode == "invalid_parameter")
            #expect(delivery.deadAt == at(2))
            #expect(delivery.attemptLog.map(\.outcome) == [.deadLetter])
            #expect(delivery.attemptLog.first?.detail.hasPrefix("invalid_parameter") == true)
        }
    }
}
