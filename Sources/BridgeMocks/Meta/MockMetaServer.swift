import BridgeCore
import Foundation

/// An in-process stand-in for Meta's Conversions API endpoint, on loopback,
/// for tests, the demo and the delivery benchmark: `MockPlatformServer`
/// playing `MockMetaAPI`, with Meta's vocabulary for scripts and records.
///
/// It serves `POST /{version}/{pixel}/events`, checks each request as Meta
/// documents it, answers `200 {"events_received": n, "messages": [...],
/// "fbtrace_id": …}` or a Graph error envelope, and records what it
/// received. Tests script failures:
///
/// ```swift
/// let mock = try await MockMetaServer.start()
/// mock.script(.status(429, retryAfter: 2))
/// mock.script(.status(503), times: 3)
/// mock.rejectEvents(where: { $0 == "bad-event" })
/// // point a MetaDestination's base_url at mock.baseURL and send
/// #expect(mock.received.count == 5)
/// await mock.stop()
/// ```
public final class MockMetaServer: Sendable {
    /// How the mock behaves when nothing is scripted.
    public struct Options: Sendable {
        /// Check requests as Meta does; `false` for benchmarks (every request
        /// is accepted and only counted).
        public var validate = true
        /// When set, any other token is refused with code 190.
        public var accessToken: String?
        /// When set, `appsecret_proof` must be the HMAC of the token with it.
        public var appSecret: String?
        /// Refuse website events without `client_user_agent` or
        /// `event_source_url` (Meta says "required"; by default they only
        /// produce a warning in `messages`, as observed in practice).
        public var strictWebsiteEvents = false
        /// Require `external_id` hashed (Meta accepts it in clear; the bridge
        /// always hashes it, so a clear one is a bug).
        public var requireHashedExternalID = true
        /// Oldest accepted `event_time`.
        public var maxEventAge: Duration = .seconds(7 * 86_400)
        /// How far ahead of the mock's clock an `event_time` may be.
        public var maxFutureSkew: Duration = .seconds(600)
        /// Added to every answer (benchmarks use 20 ms).
        public var responseDelay: Duration = .zero
        /// Keep every request in `received`; `false` keeps only counts.
        public var recordRequests = true
        /// The mock's clock.
        public var now: @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
        /// Interface to listen on.
        public var host = "127.0.0.1"
        /// Port; 0 picks a free one.
        public var port = 0
        /// Also serve the Dataset Quality API (`MockMetaDatasetQuality`).
        public var datasetQuality: MockMetaDatasetQuality?

        public init() {}

        /// Meta's checks.
        var api: MockMetaAPI {
            MockMetaAPI(
                appSecret: appSecret, strictWebsiteEvents: strictWebsiteEvents, requireHashedExternalID: requireHashedExternalID,
                maxEventAge: maxEventAge, maxFutureSkew: maxFutureSkew)
        }

        /// What the generic server does with them.
        var server: MockPlatformServer.Options {
            var options = MockPlatformServer.Options(expectedToken: accessToken)
            options.validate = validate
            options.responseDelay = responseDelay
            options.recordRequests = recordRequests
            options.now = now
            options.host = host
            options.port = port
            if let datasetQuality { options.sideEndpoints.append(datasetQuality) }
            return options
        }
    }

    /// The server answering as Meta.
    public let server: MockPlatformServer
    /// `http://127.0.0.1:<port>`: the `base_url` for a Meta destination.
    public var baseURL: String { server.baseURL }
    /// The port it listens on.
    public var port: Int { server.port }

    init(_ server: MockPlatformServer) {
        self.server = server
    }

    /// Starts listening and returns once the port is bound.
    /// - Throws: when the server could not bind.
    public static func start(_ options: Options = Options()) async throws -> MockMetaServer {
        MockMetaServer(try await MockPlatformServer.start(options.api, options: options.server))
    }

    /// Stops listening and waits until the server has shut down.
    public func stop() async {
        await server.stop()
    }

    /// Queues one-shot answers, consumed one per request in order.
    public func script(_ behaviours: MockMetaBehaviour...) {
        server.script(behaviours.map(\.platformBehaviour))
    }

    /// Queues the same answer `times` times (`.status(503)` for a while).
    public func script(_ behaviour: MockMetaBehaviour, times: Int) {
        server.script(behaviour.platformBehaviour, times: times)
    }

    /// From now on, refuses every request holding an event whose `event_id`
    /// matches, with code 100 and `subcode`, as Meta refuses a whole batch for
    /// one bad event. Applies to requests nothing is scripted for.
    public func rejectEvents(subcode: Int = MockMetaSubcode.rejectedByScript, where predicate: @escaping @Sendable (String) -> Bool) {
        let refusal = MockGraphError.invalid(subcode, "Invalid Event", "one event of this batch was refused by the mock's script")
        server.rejectEvents(message: refusal.problemMessage, where: predicate)
    }

    /// Forgets the script, the rules and everything recorded.
    public func reset() {
        server.reset()
    }

    /// Every request answered so far, in order (empty with `recordRequests: false`).
    public var received: [MockMetaRequest] { server.exchanges.map(MockMetaRequest.init) }
    /// How many requests were answered.
    public var requestCount: Int { server.requestCount }
    /// The `event_id`s of every event in an accepted request, in order, with repeats.
    public var acceptedEventIDs: [String] { server.acceptedEventIDs }
    /// How many events were in accepted requests.
    public var acceptedEventCount: Int { server.acceptedEventCount }
    /// Scripted answers not consumed yet.
    public var pendingScript: Int { server.pendingScript }
}
