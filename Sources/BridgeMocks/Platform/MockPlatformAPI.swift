import BridgeCore

/// One ad platform as `MockPlatformServer` plays it: which requests are its
/// API calls, how it checks them (as the platform documents), and how it
/// words each kind of answer. One file per platform conforms to it.
public protocol MockPlatformAPI: Sendable {
    /// `tiktok`, `snapchat`, …: for messages.
    var name: String { get }
    /// True when the platform reports failures per event in a successful
    /// answer (Pinterest, Snap, Google Ads partial failure); false when one
    /// bad event refuses the whole request (TikTok, LinkedIn, Reddit).
    var reportsPerEventFailures: Bool { get }
    /// True for the requests this API answers (method, path); others get 404.
    func handles(_ request: MockHTTPRequest) -> Bool
    /// The event ids of the request's events, in order (`""` when absent).
    func eventIDs(in request: MockHTTPRequest) -> [String]
    /// The platform's checks: credentials, path, headers, required fields,
    /// formats, batch size. Empty when the request is valid.
    func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem]
    /// The platform's answer for `outcome`, in its own wording.
    func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse
}

/// What a platform's checks can rely on besides the request.
public struct MockCheckContext: Sendable {
    /// The mock's clock.
    public var now: Timestamp
    /// Tokens the mock's OAuth endpoint issued (and not revoked).
    public var issuedTokens: Set<String>
    /// The static credential the platform expects, when configured.
    public var expectedToken: String?

    public init(now: Timestamp, issuedTokens: Set<String>, expectedToken: String?) {
        self.now = now
        self.issuedTokens = issuedTokens
        self.expectedToken = expectedToken
    }
}

/// One thing the platform would refuse.
public struct MockProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Missing or wrong credentials.
        case auth
        /// The request itself (path, headers, envelope, batch size).
        case request
        /// One event (with `index`).
        case event
    }

    public var kind: Kind
    /// The event's index in the request, for `.event`.
    public var index: Int?
    /// Where (`data[3].user.email`) and what, as the platform would say it.
    public var message: String

    public init(_ kind: Kind, index: Int? = nil, _ message: String) {
        self.kind = kind
        self.index = index
        self.message = message
    }

    public static func event(_ index: Int, _ message: String) -> MockProblem { MockProblem(.event, index: index, message) }
    public static func request(_ message: String) -> MockProblem { MockProblem(.request, message) }
    public static func auth(_ message: String) -> MockProblem { MockProblem(.auth, message) }

    public var description: String { index.map { "[\($0)] \(message)" } ?? message }
}

/// What the mock decided to answer; the platform words it.
public enum MockOutcome: Sendable, Equatable {
    /// Every event accepted.
    case accepted(count: Int)
    /// Some events failed, reported per event (platforms with
    /// `reportsPerEventFailures`): index → message.
    case partial(failed: [Int: String], count: Int)
    /// The whole request refused; `index` names the bad event when there is one.
    case rejected(index: Int?, message: String)
    /// Credentials refused.
    case unauthorized(message: String)
    /// The platform's own throttling signal (TikTok: 40100 inside a 200).
    case throttled
    /// The platform's own transient server error.
    case serverError
}

/// A request as the mock received it.
public struct MockHTTPRequest: Sendable {
    public var method: String
    /// The path without the query.
    public var path: String
    /// Query parameters, percent-decoded.
    public var query: [String: String]
    /// Header fields, names lower-cased (the last value wins).
    public var headers: [String: String]
    public var body: [UInt8]
    /// The body as JSON, or `nil`.
    public var json: JSONValue?

    public init(method: String, path: String, query: [String: String], headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.json = try? JSONParser.parse(body)
    }

    /// The bearer token of the `Authorization` header.
    public var bearerToken: String? {
        guard let authorization = headers["authorization"], authorization.lowercased().hasPrefix("bearer ") else { return nil }
        return String(authorization.dropFirst(7))
    }

    /// The body as `application/x-www-form-urlencoded` fields.
    public var formFields: [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = MockPercent.decode(String(parts[0]))
            fields[key] = parts.count > 1 ? MockPercent.decode(String(parts[1])) : ""
        }
        return fields
    }
}

/// An answer.
public struct MockHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [("content-type", "application/json")], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer.
    public static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> MockHTTPResponse {
        MockHTTPResponse(status: status, headers: [("content-type", "application/json")] + headers, body: JSONWriter.bytes(value))
    }

    public static func == (lhs: MockHTTPResponse, rhs: MockHTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.map { [$0.0, $0.1] } == rhs.headers.map { [$0.0, $0.1] }
    }
}

/// A request the mock answered, with its answer, for assertions.
public struct MockExchange: Sendable {
    public var request: MockHTTPRequest
    public var status: Int
    public var responseBody: [UInt8]
    /// The outcome the mock chose (`nil` for scripted bare statuses and token calls).
    public var outcome: MockOutcome?
    /// The problems the checks found.
    public var problems: [MockProblem]

    /// The answer as JSON.
    public var responseJSON: JSONValue? { try? JSONParser.parse(responseBody) }
}

enum MockPercent {
    /// `+` as space, `%XX` decoded; malformed escapes kept.
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
