import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An HTTP server on loopback that answers every request with the same
/// redirect (or, with no location, `200 {}`) and records every request that
/// reaches it: a redirecting endpoint and the capture server it points at,
/// to prove the bridge never follows a redirect.
///
/// ```swift
/// let capture = try await MockRedirectServer.start()
/// let redirect = try await MockRedirectServer.start(redirectingTo: capture.baseURL + "/stolen")
/// // point a destination, a token endpoint or an enrichment provider at redirect.baseURL
/// #expect(capture.requests.isEmpty)
/// ```
public final class MockRedirectServer: Sendable {
    /// One request as received.
    public struct Request: Sendable, Equatable {
        public let method: String
        public let path: String
        /// Header names lowercased.
        public let headers: [String: String]
        public let body: [UInt8]
    }

    /// `http://127.0.0.1:<port>`.
    public let baseURL: String
    private let log: Log
    private let task: Task<Void, Never>

    private init(baseURL: String, log: Log, task: Task<Void, Never>) {
        self.baseURL = baseURL
        self.log = log
        self.task = task
    }

    /// Starts listening on a free loopback port.
    /// - Parameters:
    ///   - location: where every answer redirects to; `nil` answers `200 {}`.
    ///   - status: the redirect's status (307 keeps the method and body).
    public static func start(redirectingTo location: String? = nil, status: Int = 307) async throws -> MockRedirectServer {
        let log = Log()
        let router = Router()
        for method in [HTTPRequest.Method.post, .get, .put] {
            router.on("**", method: method) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                log.append(Request(method: request.method.rawValue, path: request.uri.path, headers: headers, body: Array(body.readableBytesView)))
                guard let location else {
                    return Response(
                        status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
                }
                return Response(status: HTTPResponse.Status(code: status), headers: [.location: location])
            }
        }
        let (port, task) = try await MockListener.start(router, label: "redirect", host: "127.0.0.1", port: 0)
        return MockRedirectServer(baseURL: "http://127.0.0.1:\(port)", log: log, task: task)
    }

    /// Every request received so far, in order.
    public var requests: [Request] { log.requests.withLock { $0 } }

    /// Stops listening and waits until the server has shut down.
    public func stop() async {
        task.cancel()
        await task.value
    }

    /// The request log shared with the route handler.
    private final class Log: Sendable {
        let requests = Mutex<[Request]>([])
        func append(_ request: Request) { requests.withLock { $0.append(request) } }
    }
}
