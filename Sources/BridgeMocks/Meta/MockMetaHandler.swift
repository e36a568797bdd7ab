import BridgeCore
import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// Answers one `POST /{version}/{pixel}/events`: the next scripted
/// behaviour if any, else Meta's checks and a 200 or a Graph error.
struct MockMetaHandler: Sendable {
    let options: MockMetaServer.Options
    let state: MockMetaState
    let validator: MockMetaValidator
    /// `appsecret_proof` expected from `options.appSecret` and `options.accessToken`.
    let expectedProof: String?

    /// The largest body read (the real endpoint takes ~1,000 events).
    static let maxBodyBytes = 32 << 20

    init(options: MockMetaServer.Options, state: MockMetaState) {
        self.options = options
        self.state = state
        self.validator = MockMetaValidator(options: options)
        if let secret = options.appSecret, let token = options.accessToken {
            let code = HMAC<SHA256>.authenticationCode(for: Array(token.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            expectedProof = code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        } else {
            expectedProof = nil
        }
    }

    /// What the mock answers.
    struct Answer {
        var status: Int
        var headers: [(String, String)] = [("content-type", "application/json")]
        var body: [UInt8]
        var errorCode: Int?
        var errorSubcode: Int?
        var acceptedEvents = 0
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
        let body = Array(buffer.readableBytesView)
        var behaviour = state.nextBehaviour()
        if options.responseDelay > .zero { try? await Task.sleep(for: options.responseDelay) }
        if case .delay(let milliseconds) = behaviour {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            behaviour = .accept
        }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let json = try? JSONParser.parse(body)
        var recorded = MockMetaRequest(
            apiVersion: context.parameters.get("version") ?? "", pixelID: context.parameters.get("pixel") ?? "", query: query,
            headers: headers, body: options.recordRequests ? body : [], json: json, answerStatus: 0, answerErrorCode: nil,
            answerErrorSubcode: nil)

        let answer: Answer
        switch behaviour {
        case .status(let status, let retryAfter):
            var plain = Answer(status: status, headers: [("content-type", "text/plain")], body: Array("HTTP \(status) from mock".utf8))
            if let retryAfter { plain.headers.append(("retry-after", String(retryAfter))) }
            answer = plain
        case .graphError(let code, let subcode, let status, let isTransient, let extraHeaders):
            var error = error(.canned(code: code, subcode: subcode, status: status, isTransient: isTransient))
            error.headers += extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            answer = error
        case .eventsReceived(let count):
            answer = success(received: count, warnings: [])
        case .accept, .delay:
            answer = evaluate(recorded)
        }

        recorded = MockMetaRequest(
            apiVersion: recorded.apiVersion, pixelID: recorded.pixelID, query: query, headers: headers, body: recorded.body,
            json: options.recordRequests ? json : nil, answerStatus: answer.status, answerErrorCode: answer.errorCode,
            answerErrorSubcode: answer.errorSubcode)
        state.record(recorded, keep: options.recordRequests, acceptedEvents: answer.acceptedEvents, eventIDs: json.map(Self.eventIDs) ?? [])
        return response(answer)
    }

    /// Meta's checks (when `validate`), then the standing rules, then a 200.
    func evaluate(_ request: MockMetaRequest) -> Answer {
        let events = request.events
        if options.validate {
            if let failure = validator.checkCredentials(token: request.accessToken, proof: request.query["appsecret_proof"], expectedProof: expectedProof) {
                return error(failure)
            }
            switch validator.check(body: request.json, now: options.now()) {
            case .failure(let failure): return error(failure)
            case .success(let warnings):
                if let refused = refusedByRule(events) { return refused }
                return success(received: events.count, warnings: warnings)
            }
        }
        if let refused = refusedByRule(events) { return refused }
        return success(received: events.count, warnings: [])
    }

    private func refusedByRule(_ events: [JSONValue]) -> Answer? {
        let ids = events.map { $0["event_id"]?.stringValue ?? "" }
        guard let subcode = state.ruleRejecting(ids) else { return nil }
        return error(.invalid(subcode, "Invalid Event", "one event of this batch was refused by the mock's script"))
    }

    static func eventIDs(_ json: JSONValue) -> [String] {
        (json["data"]?.arrayValue ?? []).map { $0["event_id"]?.stringValue ?? "" }
    }

    private func success(received: Int, warnings: [String]) -> Answer {
        let body = JSONValue.object([
            "events_received": .number(String(received)),
            "messages": .array(warnings.map(JSONValue.string)),
            "fbtrace_id": .string(state.nextTraceID()),
        ])
        return Answer(status: 200, body: JSONWriter.bytes(body), acceptedEvents: received)
    }

    private func error(_ failure: MockGraphError) -> Answer {
        Answer(
            status: failure.status, body: JSONWriter.bytes(failure.body(traceID: state.nextTraceID())), errorCode: failure.code,
            errorSubcode: failure.subcode)
    }

    private func response(_ answer: Answer) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
