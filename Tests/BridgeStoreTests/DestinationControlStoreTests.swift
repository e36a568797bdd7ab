import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Resume requests and instance reports (`DestinationControlStore`), against every available store.
@Suite("Destination control store")
struct DestinationControlStoreTests {
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    @Test("the latest resume request wins; instance reports replace their own and old ones are forgotten", arguments: StoreKind.available)
    func requestsAndReports(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.requestResume(destination: "meta", at: t0.advanced(by: .seconds(10)))
            try await store.requestResume(destination: "meta", at: t0)
            try await store.requestResume(destination: "tiktok", at: t0)
            #expect(try await store.resumeRequests() == ["meta": t0.advanced(by: .seconds(10)), "tiktok": t0])
            // Instance A reported long ago; B reports twice
            try await store.publishDestinationStatus(
                [DestinationStatus(instance: "a/1", destination: "meta", state: "paused", detail: "token expired", reportedAt: t0)],
                instance: "a/1", forgetBefore: t0.advanced(by: .seconds(-86_400)))
            let later = t0.advanced(by: .seconds(90_000))
            for state in ["open", "closed"] {
                try await store.publishDestinationStatus(
                    [DestinationStatus(instance: "b/2", destination: "meta", state: state, detail: nil, reportedAt: later)],
                    instance: "b/2", forgetBefore: later.advanced(by: .seconds(-86_400)))
            }
            #expect(
                try await store.destinationStatuses()
                    == [DestinationStatus(instance: "b/2", destination: "meta", state: "closed", detail: nil, reportedAt: later)])
        }
    }
}
