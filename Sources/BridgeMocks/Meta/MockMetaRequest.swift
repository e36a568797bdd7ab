import BridgeCore

/// One request `MockMetaServer` received, with the answer it gave, for
/// assertions.
public struct MockMetaRequest: Sendable {
    /// The `{version}` path segment (`v26.0`).
    public let apiVersion: String
    /// The `{pixel}` path segment.
    public let pixelID: String
    /// Query parameters, percent-decoded.
    public let query: [String: String]
    /// Header fields, names lower-cased (the last value wins).
    public let headers: [String: String]
    /// The raw body.
    public let body: [UInt8]
    /// The body parsed as JSON, or `nil` when it is not JSON.
    public let json: JSONValue?
    /// The HTTP status the mock answered with.
    public let answerStatus: Int
    /// The Graph error code of the answer, when it was an error envelope.
    public let answerErrorCode: Int?
    /// The Graph error subcode of the answer, when there was one.
    public let answerErrorSubcode: Int?

    /// The `data` array's events.
    public var events: [JSONValue] { json?["data"]?.arrayValue ?? [] }

    /// The `event_id` of every event, in order (`""` when absent).
    public var eventIDs: [String] { events.map { $0["event_id"]?.stringValue ?? "" } }

    /// The access token, from the query, the body or an `Authorization: Bearer` header.
    public var accessToken: String? { MockMetaAPI.accessToken(query: query, json: json, headers: headers) }

    /// True when the mock answered 2xx.
    public var wasAccepted: Bool { (200..<300).contains(answerStatus) }

    /// One exchange of the `MockPlatformServer` playing `MockMetaAPI`.
    init(_ exchange: MockExchange) {
        let request = exchange.request
        let segments = request.path.split(separator: "/")
        apiVersion = segments.count > 0 ? String(segments[0]) : ""
        pixelID = segments.count > 1 ? String(segments[1]) : ""
        query = request.query
        headers = request.headers
        body = request.body
        json = request.json
        answerStatus = exchange.status
        let error = exchange.responseJSON?["error"]
        answerErrorCode = error?["code"]?.numberText.flatMap { Int($0) }
        answerErrorSubcode = error?["error_subcode"]?.numberText.flatMap { Int($0) }
    }
}
