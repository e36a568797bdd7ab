import BridgeCore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An in-process stand-in for the three kinds of alert sink, on loopback,
/// for tests and the demo, answering as the real ones do:
///
/// - `POST /slack/…`: a Slack incoming webhook. A JSON body with `text` or
///   `blocks` gets `200` and `ok` (text/plain); anything else `400`
///   `invalid_payload`, or `no_text` when both are missing.
/// - `POST /teams/…`: a Teams Workflows webhook. A `message` whose
///   attachments include an Adaptive Card (`contentType`
///   `application/vnd.microsoft.card.adaptive`, `content.type` `AdaptiveCard`,
///   a `version`, a `body` array) gets `202 Accepted` and no body; anything
///   else `400` with `{"error": {"code": "InvalidRequestContent", …}}`.
/// - `POST /webhook/…`: a generic receiver: `200` to anything (tests verify
///   the Standard Webhooks signature on what it recorded).
///
/// `fail(times:status:retryAfter:)` makes the next requests fail first.
public final class MockAlertSink: Sendable {
    /// One request as received.
    public struct Received: Sendable {
        public let path: String
        public let headers: [String: String]
        public let body: [UInt8]
        /// The body parsed, when it is JSON.
        public var json: JSONValue? { try? JSONParser.parse(body) }
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct State {
        var received: [Received] = []
        var failures: [(status: Int, retryAfter: Int?)] = []
    }

    public let port: Int
    private let shared: Shared
    private let task: Task<Void, Never>

    private init(port: Int, shared: Shared, task: Task<Void, Never>) {
        self.port = port
        self.shared = shared
        self.task = task
    }

    /// `http://127.0.0.1:<port>/slack/hook`: a Slack sink URL.
    public var slackURL: String { "http://127.0.0.1:\(port)/slack/hook" }
    /// `http://127.0.0.1:<port>/teams/workflow`: a Teams sink URL.
    public var teamsURL: String { "http://127.0.0.1:\(port)/teams/workflow" }
    /// `http://127.0.0.1:<port>/webhook/alerts`: a generic webhook sink URL.
    public var webhookURL: String { "http://127.0.0.1:\(port)/webhook/alerts" }

    /// Starts listening on a free loopback port.
    public static func start() async throws -> MockAlertSink {
        let shared = Shared()
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            return shared.answer(path: request.uri.path, headers: headers, body: body)
        }
        let (port, task) = try await MockListener.start(router, label: "alert-sink", host: "127.0.0.1", port: 0)
        return MockAlertSink(port: port, shared: shared, task: task)
    }

    /// The shared state as the request handler sees it.
    private final class Shared: Sendable {
        let state = Mutex(State())

        func answer(path: String, headers: [String: String], body: [UInt8]) -> Response {
            let failure = state.withLock { state -> (status: Int, retryAfter: Int?)? in
                state.received.append(Received(path: path, headers: headers, body: body))
                return state.failures.isEmpty ? nil : state.failures.removeFirst()
            }
            if let failure {
                var fields: HTTPFields = [.contentType: "text/plain"]
                if let after = failure.retryAfter { fields[.retryAfter] = String(after) }
                return Response(status: .init(code: failure.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: "unavailable")))
            }
            let json = try? JSONParser.parse(body)
            if path.hasPrefix("/slack/") {
                guard let json, case .object = json else { return Self.text(.badRequest, "invalid_payload") }
                guard json["text"]?.stringValue != nil || json["blocks"]?.arrayValue != nil else { return Self.text(.badRequest, "no_text") }
                return Self.text(.ok, "ok")
            }
            if path.hasPrefix("/teams/") {
                if let problem = Self.teamsProblem(json) {
                    let error = JSONWriter.bytes(.object(["error": .object(["code": .string("InvalidRequestContent"), "message": .string(problem)])]))
                    return Response(status: .badRequest, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: error)))
                }
                return Response(status: .accepted)
            }
            return Self.text(.ok, "")
        }

        static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
            Response(status: status, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }

        /// What a Teams workflow would refuse in `json`, or `nil`.
        static func teamsProblem(_ json: JSONValue?) -> String? {
            guard let json, json["type"]?.stringValue == "message" else { return "type must be message" }
            guard let attachments = json["attachments"]?.arrayValue, !attachments.isEmpty else {
                return "the result of 'foreach' expression 'attachments' is of type 'Null'"
            }
            for attachment in attachments {
                guard attachment["contentType"]?.stringValue == "application/vnd.microsoft.card.adaptive" else {
                    return "attachments must be Adaptive Cards (contentType application/vnd.microsoft.card.adaptive)"
                }
                guard let card = attachment["content"], card["type"]?.stringValue == "AdaptiveCard", card["version"]?.stringValue != nil,
                    card["body"]?.arrayValue != nil
                else { return "content must be an AdaptiveCard with a version and a body" }
            }
            return nil
        }
    }

    /// Makes the next `times` requests answer `status` (with `Retry-After` when given).
    public func fail(times: Int, status: Int = 503, retryAfter: Int? = nil) {
        shared.state.withLock { $0.failures += Array(repeating: (status, retryAfter), count: max(0, times)) }
    }

    /// Every request so far, in order.
    public var received: [Received] { shared.state.withLock { $0.received } }

    /// The requests to paths starting with `prefix` (`/slack/`, `/teams/`, `/webhook/`).
    public func received(at prefix: String) -> [Received] { received.filter { $0.path.hasPrefix(prefix) } }

    /// Stops listening.
    public func stop() async {
        task.cancel()
        await task.value
    }
}
