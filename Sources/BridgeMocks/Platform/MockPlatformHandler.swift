import BridgeCore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Answers one request of `MockPlatformServer`.
struct MockPlatformHandler: Sendable {
    let api: any MockPlatformAPI
    let options: MockPlatformServer.Options
    let state: MockPlatformState

    static let maxBodyBytes = 32 << 20

    func respond(to request: Request) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let received = MockHTTPRequest(
            method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: Array(buffer.readableBytesView))
        if let oauth = options.oauth, received.path == oauth.path {
            return Self.response(tokenAnswer(received, oauth))
        }
        if let side = options.sideEndpoints.first(where: { $0.handles(received) }) {
            let answer = side.answer(received, context: context())
            state.record(
                MockExchange(request: received, status: answer.status, responseBody: answer.body, outcome: nil, problems: []),
                keep: options.recordRequests, acceptedIDs: [])
            return Self.response(answer)
        }
        guard api.handles(received) else {
            return Self.response(.json(404, .object(["error": .string("no such endpoint on the \(api.name) mock: \(received.path)")])))
        }
        if options.responseDelay > .zero { try? await Task.sleep(for: options.responseDelay) }
        var behaviour = state.nextBehaviour()
        if case .delay(let milliseconds) = behaviour {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            behaviour = .accept
        }
        let ids = api.eventIDs(in: received)
        var problems: [MockProblem] = []
        let outcome: MockOutcome?
        let answer: MockHTTPResponse
        switch behaviour {
        case .status(let status, let retryAfter):
            outcome = nil
            var headers = [("content-type", "text/plain")]
            if let retryAfter { headers.append(("retry-after", String(retryAfter))) }
            answer = MockHTTPResponse(status: status, headers: headers, body: Array("HTTP \(status) from the mock".utf8))
        case .outcome(let scripted):
            outcome = scripted
            answer = api.answer(scripted, to: received)
        case .respond(let scripted):
            outcome = nil
            answer = scripted
        case .accept, .delay:
            if options.validate { problems = api.problems(in: received, context: context()) }
            let decided = decide(problems: problems, ids: ids)
            outcome = decided
            answer = api.answer(decided, to: received)
        }
        var acceptedIDs: [String] = []
        if (200..<300).contains(answer.status) {
            switch outcome {
            case .accepted?: acceptedIDs = ids
            case .partial(let failed, _)?: acceptedIDs = ids.indices.filter { failed[$0] == nil }.map { ids[$0] }
            default: break
            }
        }
        let exchange = MockExchange(request: received, status: answer.status, responseBody: answer.body, outcome: outcome, problems: problems)
        state.record(exchange, keep: options.recordRequests, acceptedIDs: acceptedIDs)
        if !acceptedIDs.isEmpty { options.onAccepted?(received, acceptedIDs) }
        return Self.response(answer)
    }

    func context() -> MockCheckContext {
        MockCheckContext(
            now: options.now(), issuedTokens: state.contents.withLock { $0.issuedTokens }, expectedToken: options.expectedToken)
    }

    /// Auth problems refuse the request; request problems reject it whole;
    /// event problems and rule rejections are per event where the platform
    /// reports so, else they reject the request naming the first bad event.
    func decide(problems: [MockProblem], ids: [String]) -> MockOutcome {
        if let auth = problems.first(where: { $0.kind == .auth }) { return .unauthorized(message: auth.message) }
        if let request = problems.first(where: { $0.kind == .request }) { return .rejected(index: nil, message: request.message) }
        var failed: [Int: String] = [:]
        for problem in problems where problem.kind == .event {
            if let index = problem.index, failed[index] == nil { failed[index] = problem.message }
        }
        for (index, message) in state.rejections(ids) where failed[index] == nil {
            failed[index] = message
        }
        if failed.isEmpty { return .accepted(count: ids.count) }
        if api.reportsPerEventFailures { return .partial(failed: failed, count: ids.count) }
        guard let (first, message) = failed.min(by: { $0.key < $1.key }) else { return .accepted(count: ids.count) }
        return .rejected(index: first, message: message)
    }

    /// RFC 6749 token answers: the refresh-token grant and, when configured,
    /// the JWT-bearer grant (RFC 7523) of service accounts.
    func tokenAnswer(_ request: MockHTTPRequest, _ oauth: MockOAuthOptions) -> MockHTTPResponse {
        let form = request.formFields
        func refuse(_ error: String, _ description: String) -> MockHTTPResponse {
            .json(400, .object(["error": .string(error), "error_description": .string(description)]))
        }
        guard request.method == "POST", request.headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return refuse("invalid_request", "POST a form-encoded body")
        }
        switch form["grant_type"] {
        case "refresh_token":
            guard form["client_id"] == oauth.clientID, form["client_secret"] == oauth.clientSecret else {
                return .json(401, .object(["error": .string("invalid_client"), "error_description": .string("Unauthorized")]))
            }
            guard form["refresh_token"] == oauth.refreshToken else { return refuse("invalid_grant", "Bad Request") }
        case "urn:ietf:params:oauth:grant-type:jwt-bearer":
            guard let check = oauth.acceptsAssertion, let assertion = form["assertion"], check(assertion) else {
                return refuse("invalid_grant", "Invalid JWT Signature.")
            }
        default:
            return refuse("unsupported_grant_type", "Invalid grant_type")
        }
        let token = state.issueToken()
        return .json(
            200,
            .object([
                "access_token": .string(token), "expires_in": .number(String(oauth.lifetimeSeconds)), "token_type": .string("Bearer"),
            ]))
    }

    static func response(_ answer: MockHTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
