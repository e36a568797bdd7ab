import BridgeCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An in-process stand-in for Meta's Conversions API endpoint, on loopback,
/// for tests, `capi-bridge demo` and the delivery benchmark.
///
/// It serves `POST /{version}/{pixel}/events`, checks each request as Meta
/// documents it (`MockMetaValidator`), answers `200 {"events_received": n,
/// "messages": [...], "fbtrace_id": …}` or a Graph error envelope, and
/// records what it received. Tests script failures:
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

        public init() {}
    }

    /// `http://127.0.0.1:<port>`: the `base_url` for a Meta destination.
    public let baseURL: String
    /// The port it listens on.
    public let port: Int
    let state: MockMetaState
    private let task: Task<Void, Never>

    private init(port: Int, host: String, state: MockMetaState, task: Task<Void, Never>) {
        self.port = port
        self.baseURL = "http://\(host):\(port)"
        self.state = state
        self.task = task
    }

    /// Starts listening and returns once the port is bound.
    /// - Throws: when the server could not bind.
    public static func start(_ options: Options = Options()) async throws -> MockMetaServer {
        let state = MockMetaState()
        let handler = MockMetaHandler(options: options, state: state)
        let router = Router()
        router.post("/:version/:pixel/events") { request, context in
            try await handler.respond(to: request, context: context)
        }
        let (port, task) = try await MockListener.start(router, label: "meta", host: options.host, port: options.port)
        return MockMetaServer(port: port, host: options.host, state: state, task: task)
    }

    /// Stops listening and waits until the server has shut down.
    public func stop() async {
        task.cancel()
        await task.value
    }

    /// Queues one-shot answers, consumed one per request in order.
    public func script(_ behaviours: MockMetaBehaviour...) {
        state.contents.withLock { $0.script += behaviours }
    }

    /// Queues the same answer `times` times (`.status(503)` for a while).
    public func script(_ behaviour: MockMetaBehaviour, times: Int) {
        state.contents.withLock { $0.script += Array(repeating: behaviour, count: max(times, 0)) }
    }

    /// From now on, refuses every request holding an event whose `event_id`
    /// matches, with code 100 and `subcode`, as Meta refuses a whole batch for
    /// one bad event. Applies after validation, to requests nothing is scripted for.
    public func rejectEvents(subcode: Int = MockMetaSubcode.rejectedByScript, where predicate: @escaping @Sendable (String) -> Bool) {
        state.contents.withLock { $0.rules.append(MockMetaState.Rule(subcode: subcode, rejects: predicate)) }
    }

    /// Forgets the script, the rules and everything recorded.
    public func reset() {
        state.contents.withLock { $0 = MockMetaState.Contents() }
    }

    /// Every request answered so far, in order (empty with `recordRequests: false`).
    public var received: [MockMetaRequest] { state.contents.withLock { $0.received } }
    /// How many requests were answered.
    public var requestCount: Int { state.contents.withLock { $0.requestCount } }
    /// The `event_id`s of every event in an accepted request, in order, with repeats.
    public var acceptedEventIDs: [String] { state.contents.withLock { $0.acceptedEventIDs } }
    /// How many events were in accepted requests.
    public var acceptedEventCount: Int { state.contents.withLock { $0.acceptedEventCount } }
    /// Scripted answers not consumed yet.
    public var pendingScript: Int { state.contents.withLock { $0.script.count } }
}
