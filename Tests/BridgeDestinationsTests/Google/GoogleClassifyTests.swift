import BridgeCore
import BridgeDestinations
import Testing

@Suite("Google Data Manager answers")
struct GoogleClassifyTests {
    let now = DestinationFixtures.sentAt

    func classify(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 5) throws -> DeliveryVerdict {
        try GoogleFixtures.dataManager().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    static func envelope(_ code: Int, _ status: String, _ message: String, details: String = "") -> String {
        #"{"error": {"code": \#(code), "status": "\#(status)", "message": "\#(message)"\#(details.isEmpty ? "" : ", \"details\": [\(details)]")}}"#
    }

    @Test("200 with a requestId, with or without field warnings: delivered")
    func delivered() throws {
        #expect(try classify(200, #"{"requestId": "126365e1-16d0-4c81-9de9-f362711e250a"}"#) == .delivered)
        let warnings = #"{"requestId": "r", "fieldWarnings": [{"reason": "WARNING_REASON_INVALID_REGION_CODE", "field": "events[1].userData", "description": "…"}]}"#
        #expect(try classify(200, warnings) == .delivered)
        #expect(try classify(200, "{}") == .delivered, "validateOnly answers")
    }

    @Test("200 that is not Google's JSON: retried")
    func notJSON() throws {
        #expect(try classify(200, "<html>proxy</html>").label == "retry")
    }

    @Test("400 INVALID_ARGUMENT naming events[3]: dead letter with the suspect index and the reason")
    func invalidArgumentNamesEvent() throws {
        let details = #"{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_HEX_ENCODING", "domain": "datamanager.googleapis.com"}, {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "events[3].userData.userIdentifiers[0].emailAddress", "description": "Invalid hex for noah.schmidt@example.de"}]}"#
        let verdict = try classify(400, Self.envelope(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", details: details))
        let reason = try #require(verdict.deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.suspectIndex == 3)
        #expect(reason.platformCode == "INVALID_HEX_ENCODING")
        #expect(reason.message.contains("INVALID_ARGUMENT"))
        #expect(!reason.message.contains("noah.schmidt@example.de"), "personal data is redacted")
        guard case .deadLetter = verdict else { Issue.record("expected a dead letter"); return }
    }

    @Test("400 without a field violation: dead letter, no suspect (the pipeline halves the batch)")
    func invalidArgumentNoIndex() throws {
        let verdict = try classify(400, Self.envelope(400, "INVALID_ARGUMENT", "Request contains an invalid argument."))
        #expect(verdict.deadLetterReason?.suspectIndex == nil)
        #expect(verdict.deadLetterReason?.platformCode == "INVALID_ARGUMENT")
    }

    @Test("TOO_MANY_EVENTS: payload too large")
    func tooManyEvents() throws {
        let details = #"{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "TOO_MANY_EVENTS"}"#
        #expect(try classify(400, Self.envelope(400, "INVALID_ARGUMENT", "Too many events.", details: details)).deadLetterReason?.code == .payloadTooLarge)
    }

    @Test("configuration errors pause the destination instead of bisecting", arguments: [
        #"{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "INVALID_CONVERSION_ACTION_ID"}"#,
        #"{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "TERMS_AND_CONDITIONS_NOT_SIGNED"}"#,
        #"{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [{"field": "destinations[0].operatingAccount.accountId"}]}"#,
    ])
    func configuration(details: String) throws {
        guard case .authFailure = try classify(400, Self.envelope(400, "INVALID_ARGUMENT", "Invalid.", details: details)) else {
            Issue.record("expected an auth failure")
            return
        }
    }

    @Test("a conversion action created too recently: retry no earlier than 6 h")
    func tooRecentAction() throws {
        let details = #"{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "CONVERSION_ACTION_TOO_RECENTLY_CREATED"}"#
        guard case .retry(let after, _) = try classify(400, Self.envelope(400, "INVALID_ARGUMENT", "Too recent.", details: details)) else {
            Issue.record("expected a retry")
            return
        }
        #expect(after == now.advanced(by: .seconds(6 * 3600)))
    }

    @Test("401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND: auth failure", arguments: [
        (401, "UNAUTHENTICATED"), (403, "PERMISSION_DENIED"), (404, "NOT_FOUND"),
    ])
    func authFailure(status: Int, name: String) throws {
        guard case .authFailure(let message) = try classify(status, Self.envelope(status, name, "Request had invalid authentication credentials.")) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message.contains(name))
    }

    @Test("429 RESOURCE_EXHAUSTED: throttled until the later of Retry-After and RetryInfo")
    func throttled() throws {
        let body = Self.envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded.")
        #expect(try classify(429, body) == .throttled(after: nil))
        #expect(try classify(429, body, headers: ["retry-after": "7"]) == .throttled(after: now.advanced(by: .seconds(7))))
        let withDelay = Self.envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", details: #"{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30.5s"}"#)
        #expect(try classify(429, withDelay, headers: ["retry-after": "7"]) == .throttled(after: now.advanced(by: .milliseconds(30_500))))
    }

    @Test("5xx statuses: retried", arguments: [(500, "INTERNAL"), (503, "UNAVAILABLE"), (504, "DEADLINE_EXCEEDED")])
    func serverErrors(status: Int, name: String) throws {
        guard case .retry(_, let reason) = try classify(status, Self.envelope(status, name, "Try again.")) else {
            Issue.record("expected a retry")
            return
        }
        #expect(reason.label == "platform")
    }

    @Test("bare statuses without Google's envelope follow the generic table")
    func bare() throws {
        #expect(try classify(503, "upstream connect error", headers: ["retry-after": "3"]) == .retry(after: now.advanced(by: .seconds(3)), reason: .httpStatus(503)))
        #expect(try classify(429, "") == .throttled(after: nil))
        #expect(try classify(413, "too large").deadLetterReason?.code == .payloadTooLarge)
        guard case .authFailure = try classify(401, "") else { Issue.record("expected an auth failure"); return }
    }
}
