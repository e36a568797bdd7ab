import AsyncHTTPClient
import BridgeCore
@testable import BridgePipeline
import Foundation
import Logging
import Synchronization

/// A wall clock the test moves by hand (breaker cool-downs, cache TTLs, token expiry).
final class ManualTime: Sendable {
    private let millis: Mutex<Int64>

    init(_ start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_780_000_000_000)) { millis = Mutex(start.millisecondsSinceEpoch) }

    var now: Timestamp { Timestamp(millisecondsSinceEpoch: millis.withLock { $0 }) }
    func advance(_ duration: Duration) { millis.withLock { $0 += duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000 } }
    func set(_ instant: Timestamp) { millis.withLock { $0 = instant.millisecondsSinceEpoch } }
    var closure: @Sendable () -> Timestamp { { [self] in self.now } }
}

enum EnrichmentFixtures {
    static let eventTime = Timestamp(millisecondsSinceEpoch: 1_780_000_000_000)

    /// A purchase with the given raw identifiers.
    static func event(
        _ id: String = "sale:e:1", customer: [CustomerField: String] = [:], client: ClientContext = ClientContext()
    ) -> ConversionEvent {
        ConversionEvent(
            eventID: id, eventName: .purchase, eventTime: eventTime, source: "backend",
            customer: CustomerIdentifiers(customer.mapValues { PersonalData($0) }), client: client)
    }

    static func settings(
        url: String, auth: HTTPLookupSettings.Auth = .apiKey(header: "X-Api-Key", value: MockEnrichmentServer.apiKey),
        lookupKeys: [HTTPLookupSettings.LookupKey] = [.emailSHA256, .externalID], timeout: Duration = .seconds(10),
        breaker: CircuitBreaker.Configuration = .standard
    ) -> HTTPLookupSettings {
        HTTPLookupSettings(
            url: url + "/lookup", auth: auth, lookupKeys: lookupKeys,
            map: [(.phone, JSONPointer(["phone"])), (.firstName, JSONPointer(["name", "first"])), (.lastName, JSONPointer(["name", "last"]))],
            timeout: timeout, breaker: breaker, defaultRegion: "US")
    }

    static let logger: Logger = {
        var logger = Logger(label: "enrichment-test")
        logger.logLevel = .critical
        return logger
    }()

    /// A digest of a Meta-normalized e-mail, as a lookup body carries it.
    static func emailDigest(_ email: String) -> String { IdentityDigests.linkDigest(.email, raw: email, region: nil) ?? "" }
}

/// Runs `body` with a fresh HTTP client and mock enrichment API, then shuts both down.
func withEnrichmentAPI(_ body: (MockEnrichmentServer, HTTPClient) async throws -> Void) async throws {
    let mock = try await MockEnrichmentServer.start()
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        try await body(mock, client)
    } catch {
        try? await client.shutdown()
        await mock.stop()
        throw error
    }
    try? await client.shutdown()
    await mock.stop()
}

/// A provider answering from a closure, optionally after a delay (cancellable).
struct StubProvider: EnrichmentProvider {
    let name: String
    var delay: Duration = .zero
    let answer: @Sendable (EnrichmentDraft) -> EnrichmentContribution

    func contribution(to draft: EnrichmentDraft, deadline: ContinuousClock.Instant) async -> EnrichmentContribution {
        if delay > .zero {
            do { try await Task.sleep(for: delay) } catch { return .none }
        }
        return answer(draft)
    }
}
