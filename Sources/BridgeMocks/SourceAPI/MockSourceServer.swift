import BridgeCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An in-process stand-in for a source's own API (the source of truth a
/// reconciliation reads), on loopback, for tests and the CLI tests against
/// the real process. The API's behaviour comes from a `MockSourceAPI`; the
/// server records every exchange with its arrival time:
///
/// ```swift
/// let shop = MockShopifyAdminAPI(accessToken: "shpat_test", orders: orders)
/// let mock = try await MockSourceServer.start(shop)
/// // point the reconciliation source's api_url at mock.baseURL
/// #expect(mock.exchanges.count == 3)
/// await mock.stop()
/// ```
public final class MockSourceServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let baseURL: String
    public let port: Int
    private let recorder: Recorder
    private let task: Task<Void, Never>

    private init(baseURL: String, port: Int, recorder: Recorder, task: Task<Void, Never>) {
        self.baseURL = baseURL
        self.port = port
        self.recorder = recorder
        self.task = task
    }

    /// Starts listening on `host` (a free port when `port` is 0) and returns once bound.
    public static func start(_ api: any MockSourceAPI, host: String = "127.0.0.1", port: Int = 0) async throws -> MockSourceServer {
        let log = Recorder()
        let router = Router()
        for method in [HTTPRequest.Method.get, .post] {
            router.on("**", method: method) { request, _ in
                var request = request
                let now = ContinuousClock.now
                let buffer = try await request.collectBody(upTo: 4 << 20)
                var query: [String: String] = [:]
                // Keys arrive as sent (`created%5Bgte%5D`); the APIs read them decoded (`created[gte]`).
                for (key, value) in request.uri.queryParameters {
                    query[String(key).removingPercentEncoding ?? String(key)] = String(value)
                }
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let received = MockHTTPRequest(
                    method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: Array(buffer.readableBytesView))
                let answer = api.respond(to: received, now: now)
                log.entries.withLock {
                    $0.append(MockSourceExchange(request: received, status: answer.status, responseBody: answer.body, receivedAt: now))
                }
                return MockPlatformHandler.response(answer)
            }
        }
        let (bound, task) = try await MockListener.start(router, label: api.name, host: host, port: port)
        return MockSourceServer(baseURL: "http://\(host):\(bound)", port: bound, recorder: log, task: task)
    }

    /// Stops listening and waits until the server has shut down.
    public func stop() async {
        task.cancel()
        await task.value
    }

    /// Every request answered so far, in order of arrival.
    public var exchanges: [MockSourceExchange] { recorder.entries.withLock { $0 } }

    /// Forgets what was recorded.
    public func clearRecording() { recorder.entries.withLock { $0.removeAll() } }
}

/// The exchange log shared by the router's handlers and the server.
private final class Recorder: Sendable {
    let entries = Mutex<[MockSourceExchange]>([])
}
