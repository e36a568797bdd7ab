import BridgeCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An in-process enrichment API on 127.0.0.1 (port 0) for tests: an OAuth
/// 2.0 client-credentials token endpoint (`POST /oauth/token`) and a lookup
/// endpoint (`POST /lookup`) that answers from a table of profiles keyed by
/// `email_sha256` or `external_id`, or follows a script: slow, failing, 429,
/// malformed JSON. Records every lookup body and the credentials it saw.
final class MockEnrichmentServer: Sendable {
    /// One scripted answer to one lookup.
    enum Behaviour: Sendable {
        /// Wait, then answer normally.
        case delay(Duration)
        case status(Int, retryAfter: Int? = nil)
        /// `200` with a body that is not JSON.
        case malformed
    }

    struct Contents: Sendable {
        var script: [Behaviour] = []
        /// Answered to every lookup while set (after the script).
        var standing: Behaviour?
        var profiles: [String: JSONValue] = [:]
        var lookups: [JSONValue] = []
        var lookupHeaders: [[String: String]] = []
        var tokenRequests = 0
        var tokenForms: [String] = []
        var issued: [String] = []
        /// Tokens the lookup endpoint accepts (all issued ones unless revoked).
        var revoked: Set<String> = []
        /// The `expires_in` value, as JSON text.
        var tokenLifetime = "3600"
    }

    static let clientID = "bridge-client"
    static let clientSecret = "s3cret/with+symbols"
    static let apiKey = "test-api-key"

    /// The mutable part, shared with the route handlers.
    final class State: Sendable {
        let contents = Mutex(Contents())
        func withLock<T>(_ body: (inout Contents) -> T) -> T { contents.withLock { body(&$0) } }
    }

    let baseURL: String
    let state: State
    private let task: Task<Void, Never>

    private init(baseURL: String, state: State, task: Task<Void, Never>) {
        self.baseURL = baseURL
        self.state = state
        self.task = task
    }

    static func start() async throws -> MockEnrichmentServer {
        let state = State()
        let router = Router()
        router.post("/oauth/token") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let form = String(decoding: body.readableBytesView, as: UTF8.self)
            let basic = "Basic " + Data("\(OAuthForm.encode(clientID)):\(OAuthForm.encode(clientSecret))".utf8).base64EncodedString()
            let authorized = request.headers[.authorization] == basic
                || (form.contains("client_id=" + OAuthForm.encode(clientID)) && form.contains("client_secret=" + OAuthForm.encode(clientSecret)))
            let (token, lifetime): (String, String) = state.withLock { contents in
                contents.tokenRequests += 1
                contents.tokenForms.append(form)
                let token = "tok-\(contents.tokenRequests)"
                if authorized && form.contains("grant_type=client_credentials") { contents.issued.append(token) }
                return (token, contents.tokenLifetime)
            }
            guard authorized, form.contains("grant_type=client_credentials") else {
                return json(401, #"{"error":"invalid_client"}"#)
            }
            return json(200, #"{"access_token":"\#(token)","token_type":"Bearer","expires_in":\#(lifetime)}"#)
        }
        router.post("/lookup") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            let parsed = (try? JSONParser.parse(Array(body.readableBytesView))) ?? .null
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let behaviour: Behaviour? = state.withLock { contents in
                contents.lookups.append(parsed)
                contents.lookupHeaders.append(headers)
                return contents.script.isEmpty ? contents.standing : contents.script.removeFirst()
            }
            let bearer = headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            let authorized = state.withLock { contents in
                headers["x-api-key"] == apiKey || bearer.map { contents.issued.contains($0) && !contents.revoked.contains($0) } == true
            }
            guard authorized else { return json(401, #"{"error":"unauthorized"}"#) }
            switch behaviour {
            case .status(let code, let retryAfter)?:
                var response = json(code, #"{"error":"scripted"}"#)
                if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
                return response
            case .malformed?:
                return json(200, #"{"phone": "+1 650"#)
            case .delay(let duration)?:
                try? await Task.sleep(for: duration)
            case nil:
                break
            }
            let profile: JSONValue? = state.withLock { contents in
                for key in ["email_sha256", "external_id", "email"] {
                    if let value = parsed[key]?.stringValue, let profile = contents.profiles[value] { return profile }
                }
                return nil
            }
            guard let profile else { return json(404, #"{"error":"no profile"}"#) }
            return json(200, JSONWriter.string(profile))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "capi-bridge.mock-enrichment")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            try? await app.run()
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            await task.value
            throw CancellationError()
        }
        return MockEnrichmentServer(baseURL: "http://127.0.0.1:\(port)", state: state, task: task)
    }

    func stop() async {
        task.cancel()
        await task.value
    }

    /// Queues one-shot answers.
    func script(_ behaviours: Behaviour...) { state.withLock { $0.script += behaviours } }
    /// Answers every lookup this way from now on (`nil`: normally).
    func always(_ behaviour: Behaviour?) { state.withLock { $0.standing = behaviour } }
    /// Adds a profile found by `key` (an `email_sha256`, `external_id` or raw `email` value).
    func addProfile(_ key: String, _ profile: JSONValue) { state.withLock { $0.profiles[key] = profile } }
    func revokeTokens() { state.withLock { $0.revoked.formUnion($0.issued) } }
    func setTokenLifetime(_ seconds: Int) { state.withLock { $0.tokenLifetime = String(seconds) } }
    /// `expires_in` written as this JSON text (absurd values included).
    func setTokenLifetime(json: String) { state.withLock { $0.tokenLifetime = json } }

    var lookups: [JSONValue] { state.withLock { $0.lookups } }
    var lookupHeaders: [[String: String]] { state.withLock { $0.lookupHeaders } }
    var tokenRequests: Int { state.withLock { $0.tokenRequests } }
    var tokenForms: [String] { state.withLock { $0.tokenForms } }

    private static func json(_ status: Int, _ body: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Form encoding as RFC 6749 wants for Basic credentials (the mock's own copy).
enum OAuthForm {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
