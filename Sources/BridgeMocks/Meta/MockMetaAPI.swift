import BridgeCore
import Crypto

/// Meta's Conversions API, `POST /{version}/{pixel}/events`, as
/// `MockPlatformServer` plays it (`MockMetaServer` wraps the two for the
/// Meta-shaped API tests use). Checks each request as Meta documents it
/// (`MockMetaAPI+Checks`) and answers `200 {"events_received": n,
/// "messages": [...], "fbtrace_id": …}` or a Graph error envelope
/// (`MockGraphError`): one bad event refuses the whole request
/// (`reportsPerEventFailures` is false).
///
/// Outcomes: accepted → 200; rejected and unauthorized → the Graph error
/// their message carries (`MockGraphError.problemMessage`), HTTP 400;
/// throttled → code 4 ("Application request limit reached"), transient;
/// server error → HTTP 500, code 2, transient.
public struct MockMetaAPI: MockPlatformAPI {
    /// When set, `appsecret_proof` must be the HMAC-SHA256 of the expected
    /// token (`MockPlatformServer.Options.expectedToken`) with it.
    public var appSecret: String?
    /// Refuse website events without `client_user_agent` or
    /// `event_source_url` (Meta says "required"; by default they only
    /// produce a warning in `messages`, as observed in practice).
    public var strictWebsiteEvents: Bool
    /// Require `external_id` hashed (Meta accepts it in clear; the bridge
    /// always hashes it, so a clear one is a bug).
    public var requireHashedExternalID: Bool
    /// Oldest accepted `event_time`.
    public var maxEventAge: Duration
    /// How far ahead of the mock's clock an `event_time` may be.
    public var maxFutureSkew: Duration

    public init(
        appSecret: String? = nil, strictWebsiteEvents: Bool = false, requireHashedExternalID: Bool = true,
        maxEventAge: Duration = .seconds(7 * 86_400), maxFutureSkew: Duration = .seconds(600)
    ) {
        self.appSecret = appSecret
        self.strictWebsiteEvents = strictWebsiteEvents
        self.requireHashedExternalID = requireHashedExternalID
        self.maxEventAge = maxEventAge
        self.maxFutureSkew = maxFutureSkew
    }

    public var name: String { "meta" }
    public var reportsPerEventFailures: Bool { false }

    public func handles(_ request: MockHTTPRequest) -> Bool {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false)
        return request.method == "POST" && segments.count == 4 && segments[0].isEmpty && segments[3] == "events"
    }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["data"]?.arrayValue ?? []).map { $0["event_id"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        let token = Self.accessToken(query: request.query, json: request.json, headers: request.headers)
        if let failure = checkCredentials(token: token, proof: request.query["appsecret_proof"], expectedToken: context.expectedToken) {
            return [.auth(failure.problemMessage)]
        }
        return check(body: request.json, now: context.now)
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        let traceID = Self.traceID(request.body)
        switch outcome {
        case .accepted(let count):
            return .json(
                200,
                .object([
                    "events_received": .number(String(count)), "messages": .array(warnings(in: request.json).map(JSONValue.string)),
                    "fbtrace_id": .string(traceID),
                ]))
        case .partial(let failed, _):
            let first = failed.keys.min() ?? 0
            return MockGraphError(problemMessage: failed[first] ?? "").response(traceID: traceID)
        case .rejected(_, let message), .unauthorized(let message):
            return MockGraphError(problemMessage: message).response(traceID: traceID)
        case .throttled:
            return MockGraphError.canned(code: 4, subcode: nil, status: 400, isTransient: true).response(traceID: traceID)
        case .serverError:
            return MockGraphError.canned(code: 2, subcode: nil, status: 500, isTransient: true).response(traceID: traceID)
        }
    }

    /// The access token, from the query, the body or an `Authorization: Bearer` header.
    static func accessToken(query: [String: String], json: JSONValue?, headers: [String: String]) -> String? {
        if let token = query["access_token"], !token.isEmpty { return token }
        if let token = json?["access_token"]?.stringValue, !token.isEmpty { return token }
        if let authorization = headers["authorization"], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst(7))
        }
        return nil
    }

    /// An `fbtrace_id` for an answer to `body`.
    static func traceID(_ body: [UInt8]) -> String {
        "AMock" + SignatureSupport.hex(Array(SHA256.hash(data: body).prefix(8)))
    }
}
