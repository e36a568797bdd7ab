import BridgeCore

/// A Graph API error as Meta sends it:
/// `{"error": {"message", "type", "code", "error_subcode", "is_transient",
/// "error_user_title", "error_user_msg", "fbtrace_id"}}`.
///
/// Inside `MockPlatformServer` a Graph error travels as the text of a
/// `MockProblem` or `MockOutcome` (`problemMessage`), which `MockMetaAPI`
/// reads back (`init(problemMessage:)`) to word the answer:
///
/// | text | error |
/// |---|---|
/// | `190: Invalid OAuth access token…` | code 190, that message |
/// | `100/2804003 Event Timestamp Too Old: data[1].event_time: …` | code 100, subcode 2804003, "Invalid parameter", that title and user message |
/// | anything else (a script's own words) | code 100, subcode 2804050 (`rejectedByScript`), "Invalid Event", the text as user message |
public struct MockGraphError: Sendable, Equatable, Error {
    public var status: Int
    public var code: Int
    public var subcode: Int?
    public var type: String
    public var message: String
    public var userTitle: String?
    public var userMessage: String?
    public var isTransient: Bool

    public init(
        status: Int = 400, code: Int, subcode: Int? = nil, type: String = "OAuthException", message: String, userTitle: String? = nil,
        userMessage: String? = nil, isTransient: Bool = false
    ) {
        self.status = status
        self.code = code
        self.subcode = subcode
        self.type = type
        self.message = message
        self.userTitle = userTitle
        self.userMessage = userMessage
        self.isTransient = isTransient
    }

    /// An invalid-parameter error (code 100) with a subcode and a message
    /// naming the field, never its value.
    static func invalid(_ subcode: Int, _ title: String, _ detail: String) -> MockGraphError {
        MockGraphError(code: 100, subcode: subcode, message: "Invalid parameter", userTitle: title, userMessage: detail)
    }

    /// The error as the text of a problem or outcome (see the table above).
    var problemMessage: String {
        guard let subcode else { return "\(code): \(message)" }
        return "\(code)/\(subcode) \(userTitle ?? message): \(userMessage ?? message)"
    }

    /// Reads `problemMessage` back; text of another form is a script's
    /// refusal of an event.
    init(problemMessage text: String) {
        let scripted = MockGraphError.invalid(MockMetaSubcode.rejectedByScript, "Invalid Event", text)
        guard let colon = text.firstRange(of: ": ") else {
            self = scripted
            return
        }
        let head = text[..<colon.lowerBound]
        let rest = String(text[colon.upperBound...])
        let codes = head.prefix { $0 != " " }.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(codes.count), let code = Int(codes[0]) else {
            self = scripted
            return
        }
        guard codes.count == 2 else {
            self = MockGraphError(code: code, message: rest)
            return
        }
        guard let subcode = Int(codes[1]) else {
            self = scripted
            return
        }
        let title = head.drop { $0 != " " }.dropFirst()
        self = MockGraphError(
            code: code, subcode: subcode, message: "Invalid parameter", userTitle: title.isEmpty ? "Invalid parameter" : String(title),
            userMessage: rest)
    }

    /// The envelope, with `fbtrace_id`.
    func body(traceID: String) -> JSONValue {
        var error: [String: JSONValue] = [
            "message": .string(message),
            "type": .string(type),
            "code": .number(String(code)),
            "is_transient": .bool(isTransient),
            "fbtrace_id": .string(traceID),
        ]
        if let subcode { error["error_subcode"] = .number(String(subcode)) }
        if let userTitle { error["error_user_title"] = .string(userTitle) }
        if let userMessage { error["error_user_msg"] = .string(userMessage) }
        return .object(["error": .object(error)])
    }

    /// The answer carrying this error, with `headers` added (usage headers).
    func response(traceID: String, headers: [(String, String)] = []) -> MockHTTPResponse {
        .json(status, body(traceID: traceID), headers: headers)
    }

    /// A canned error for a code, with Meta's usual message for it.
    static func canned(code: Int, subcode: Int?, status: Int, isTransient: Bool) -> MockGraphError {
        let message: String
        switch code {
        case 1: message = "An unknown error occurred"
        case 2: message = "Service temporarily unavailable"
        case 4: message = "Application request limit reached"
        case 10: message = "Application does not have permission for this action"
        case 17: message = "User request limit reached"
        case 100: message = "Invalid parameter"
        case 190: message = "Invalid OAuth access token"
        case 200: message = "Permissions error"
        case 613: message = "Calls to this api have exceeded the rate limit"
        default: message = "An error occurred"
        }
        return MockGraphError(status: status, code: code, subcode: subcode, message: message, isTransient: isTransient)
    }
}
