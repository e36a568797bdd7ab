import BridgeCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An in-process stand-in for one ad platform's conversions endpoint (and,
/// when asked, its OAuth token endpoint), on loopback, for tests, the demo
/// and benchmarks. The platform's own checks and wording come from a
/// `MockPlatformAPI` (`MockTikTokAPI`, `MockSnapAPI`, …); the server adds
/// scripting, standing rules and recording:
///
/// ```swift
/// let mock = try await MockPlatformServer.start(MockTikTokAPI(), options: .init(expectedToken: "t"))
/// mock.script(.outcome(.throttled))
/// mock.rejectEvents { $0 == "bad-event" }
/// // point the destination's base_url at mock.baseURL and send
/// #expect(mock.acceptedEventIDs.count == 9)
/// await mock.stop()
/// ```
public final class MockPlatformServer: Sendable {
    public struct Options: Sendable {
        /// Check requests as the platform does; `false` for benchmarks.
        public var validate = true
        /// The static credential the platform expects (access token, API secret).
        public var expectedToken: String?
        /// Also play an OAuth token endpoint; API calls must then carry a token it issued.
        public var oauth: MockOAuthOptions?
        /// Added to every answer (benchmarks use 20 ms).
        public var responseDelay: Duration = .zero
        /// Keep every exchange; `false` keeps only counts.
        public var recordRequests = true
        /// Called after every API request with the ids of the events it
        /// accepted (the reliability harness logs them to count losses and
        /// duplicates without keeping whole exchanges).
        public var onAccepted: (@Sendable (_ request: MockHTTPRequest, _ acceptedIDs: [String]) -> Void)?
        /// The mock's clock.
        public var now: @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 0
        /// Read endpoints the platform serves beside its API (Data Manager
        /// request status, Meta dataset quality, Pinterest EQS).
        public var sideEndpoints: [any MockSideEndpoint] = []

        public init(expectedToken: String? = nil, oauth: MockOAuthOptions? = nil) {
            self.expectedToken = expectedToken
            self.oauth = oauth
        }
    }

    /// `http://127.0.0.1:<port>`: the destination's `base_url`.
    public let baseURL: String
    public let port: Int
    let state: MockPlatformState
    private let task: Task<Void, Never>

    private init(port: Int, host: String, state: MockPlatformState, task: Task<Void, Never>) {
        self.port = port
        self.baseURL = "http://\(host):\(port)"
        self.state = state
        self.task = task
    }

    /// Starts listening and returns once the port is bound.
    public static func start(_ api: any MockPlatformAPI, options: Options = Options()) async throws -> MockPlatformServer {
        let state = MockPlatformState()
        let handler = MockPlatformHandler(api: api, options: options, state: state)
        let router = Router()
        for method in [HTTPRequest.Method.post, .get, .put] {
            router.on("**", method: method) { request, _ in try await handler.respond(to: request) }
        }
        let (port, task) = try await MockListener.start(router, label: api.name, host: options.host, port: options.port)
        return MockPlatformServer(port: port, host: options.host, state: state, task: task)
    }

    /// Stops listening and waits until the server has shut down.
    public func stop() async {
        task.cancel()
        await task.value
    }

    /// Queues one-shot answers, one per API request, in order.
    public func script(_ behaviours: MockPlatformBehaviour...) {
        script(behaviours)
    }

    /// Queues one-shot answers, one per API request, in order.
    public func script(_ behaviours: [MockPlatformBehaviour]) {
        state.contents.withLock { $0.script += behaviours }
    }

    /// Queues the same answer `times` times.
    public func script(_ behaviour: MockPlatformBehaviour, times: Int) {
        state.contents.withLock { $0.script += Array(repeating: behaviour, count: max(times, 0)) }
    }

    /// What a `rejectEvents` rule tells the platform's API about an event
    /// it refuses, unless the rule says otherwise.
    public static let scriptRejection = "event refused by the mock's script"

    /// From now on, refuses every event whose id matches, as the platform
    /// refuses a bad event: per event where it reports so, else the whole
    /// request naming the event.
    /// - Parameter message: The problem the platform's API words (its own
    ///   form where it has one, e.g. Meta's `100/2804050 Invalid Event: …`).
    public func rejectEvents(message: String = scriptRejection, where predicate: @escaping @Sendable (String) -> Bool) {
        state.contents.withLock { $0.rejects.append(MockPlatformState.Rule(message: message, rejects: predicate)) }
    }

    /// Drops the answers still queued by `script`; rules and tokens stay.
    public func clearScript() {
        state.contents.withLock { $0.script.removeAll() }
    }

    /// Forgets the script, the rules, the issued tokens and everything recorded.
    public func reset() {
        state.contents.withLock { $0 = MockPlatformState.Contents() }
    }

    /// Makes every token issued so far invalid (a revoked grant).
    public func revokeTokens() {
        state.contents.withLock { $0.issuedTokens.removeAll() }
    }

    /// Every API request answered so far, in order (token calls excluded).
    public var exchanges: [MockExchange] { state.contents.withLock { $0.exchanges } }
    /// How many API requests were answered.
    public var requestCount: Int { state.contents.withLock { $0.requestCount } }
    /// Ids of accepted events, in order, with repeats.
    public var acceptedEventIDs: [String] { state.contents.withLock { $0.acceptedEventIDs } }
    public var acceptedEventCount: Int { state.contents.withLock { $0.acceptedEventCount } }
    /// How many tokens the OAuth endpoint issued.
    public var tokenRequests: Int { state.contents.withLock { $0.tokenRequests } }
    public var pendingScript: Int { state.contents.withLock { $0.script.count } }
}
