import BridgeCore
import BridgeDestinations
import Testing

@Suite("Google Ads answers")
struct GoogleAdsClassifyTests {
    let now = DestinationFixtures.sentAt

    func classify(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 4) throws -> DeliveryVerdict {
        try GoogleFixtures.ads().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    /// One `GoogleAdsError` located at `conversions[index]`.
    static func rowError(_ index: Int?, _ category: String, _ code: String, _ message: String = "row refused") -> String {
        let location = index.map { #", "location": {"fieldPathElements": [{"fieldName": "conversions", "index": \#($0)}, {"fieldName": "gclid"}]}"# } ?? ""
        return #"{"errorCode": {"\#(category)": "\#(code)"}, "message": "\#(message)"\#(location)}"#
    }

    static func failure(_ errors: [String]) -> String {
        #"{"@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure", "errors": [\#(errors.joined(separator: ", "))], "requestId": "r1"}"#
    }

    static func partial(_ errors: [String]) -> String {
        #"{"results": [{}, {"gclid": "a"}, {}, {"gclid": "b"}], "partialFailureError": {"code": 3, "message": "Multiple errors in ‘details’.", "details": [\#(failure(errors))]}}"#
    }

    static func envelope(_ code: Int, _ status: String, _ errors: [String]) -> String {
        #"{"error": {"code": \#(code), "status": "\#(status)", "message": "Request failed.", "details": [\#(failure(errors))]}}"#
    }

    @Test("200 without partialFailureError: delivered; validateOnly's empty answer too")
    func delivered() throws {
        #expect(try classify(200, #"{"results": [{"gclid": "a"}, {"gclid": "b"}, {"gclid": "c"}, {"gclid": "d"}], "jobId": "1"}"#) == .delivered)
        #expect(try classify(200, "{}") == .delivered)
        #expect(try classify(200, #"{"results": [], "partialFailureError": {"code": 0, "message": ""}}"#) == .delivered)
    }

    @Test("partial failure: each located row gets its verdict, the others are delivered")
    func partial() throws {
        let verdict = try classify(
            200,
            Self.partial([
                Self.rowError(0, "conversionUploadError", "UNPARSEABLE_GCLID"),
                Self.rowError(2, "conversionUploadError", "TOO_RECENT_EVENT", "The click is too recent."),
            ]))
        guard case .partial(let items) = verdict else {
            Issue.record("expected a partial verdict, got \(verdict)")
            return
        }
        #expect(items.count == 4)
        guard case .deadLetter(let reason) = items[0] else { Issue.record("row 0 should be dead"); return }
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "conversionUploadError.UNPARSEABLE_GCLID")
        #expect(items[1] == .delivered && items[3] == .delivered)
        guard case .retry(let retry, let after) = items[2] else { Issue.record("row 2 should be retried"); return }
        #expect(retry.label == "platform")
        // A click too recent to attribute waits at least 6 h (google-ads.md §B4).
        #expect(after == now.advanced(by: .seconds(6 * 3600)))
    }

    @Test("row error codes map to the documented actions", arguments: [
        ("TOO_RECENT_CONVERSION_ACTION", "retry"), ("TOO_RECENT_CALL", "retry"), ("CLICK_NOT_FOUND", "click_not_found"),
        ("EXPIRED_EVENT", "event_too_old"), ("ORDER_ID_ALREADY_IN_USE", "duplicate_conversion"), ("DUPLICATE_ORDER_ID", "duplicate_conversion"),
        ("CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS", "account_configuration"), ("INVALID_USER_IDENTIFIER", "invalid_parameters"),
        ("GBRAID_WBRAID_BOTH_SET", "invalid_parameters"), ("CONVERSION_PRECEDES_EVENT", "invalid_parameters"),
    ])
    func rowCodes(code: String, expected: String) throws {
        let verdict = try classify(200, Self.partial([Self.rowError(1, "conversionUploadError", code)]))
        guard case .partial(let items) = verdict else {
            Issue.record("expected a partial verdict, got \(verdict)")
            return
        }
        switch items[1] {
        case .retry: #expect(expected == "retry")
        case .deadLetter(let reason): #expect(reason.code.rawValue == expected)
        case .delivered: Issue.record("row 1 should have failed")
        }
        #expect(items[0] == .delivered)
    }

    @Test("an internal row error is retried with the normal backoff")
    func transientRow() throws {
        guard case .partial(let items) = try classify(200, Self.partial([Self.rowError(3, "internalError", "TRANSIENT_ERROR")])),
            case .retry(_, nil) = items[3]
        else {
            Issue.record("expected row 3 retried")
            return
        }
    }

    @Test("every row refused for account configuration pauses the destination")
    func allConfiguration() throws {
        let errors = (0..<4).map { Self.rowError($0, "conversionUploadError", "CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS") }
        guard case .authFailure(let message) = try classify(200, Self.partial(errors)) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message.contains("CUSTOMER_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS"))
    }

    @Test("401 with authenticationError and 403 with authorizationError: auth failure")
    func auth() throws {
        let unauthenticated = Self.envelope(401, "UNAUTHENTICATED", [Self.rowError(nil, "authenticationError", "OAUTH_TOKEN_INVALID")])
        guard case .authFailure = try classify(401, unauthenticated) else { Issue.record("expected an auth failure"); return }
        let denied = Self.envelope(403, "PERMISSION_DENIED", [Self.rowError(nil, "authorizationError", "DEVELOPER_TOKEN_NOT_APPROVED")])
        guard case .authFailure(let message) = try classify(403, denied) else { Issue.record("expected an auth failure"); return }
        #expect(message.contains("DEVELOPER_TOKEN_NOT_APPROVED"))
    }

    @Test("429 quotaError: throttled until retryDelay or Retry-After, whichever is later")
    func quota() throws {
        let body = #"{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Too many requests.", "details": [{"@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure", "errors": [{"errorCode": {"quotaError": "RESOURCE_TEMPORARILY_EXHAUSTED"}, "message": "Retry in 30 seconds.", "details": {"quotaErrorDetails": {"rateScope": "DEVELOPER", "retryDelay": "30s"}}}]}]}}"#
        #expect(try classify(429, body) == .throttled(after: now.advanced(by: .seconds(30))))
        #expect(try classify(429, body, headers: ["retry-after": "60"]) == .throttled(after: now.advanced(by: .seconds(60))))
    }

    @Test("500 INTERNAL and 503: retried")
    func serverErrors() throws {
        #expect(try classify(500, Self.envelope(500, "INTERNAL", [Self.rowError(nil, "internalError", "INTERNAL_ERROR")])).label == "retry")
        #expect(try classify(503, "Service Unavailable") == .retry(after: nil, reason: .httpStatus(503)))
    }

    @Test("a 400 that fails the whole call naming conversions[2]: dead letter with the suspect")
    func wholeCallNamed() throws {
        let verdict = try classify(400, Self.envelope(400, "INVALID_ARGUMENT", [Self.rowError(2, "conversionUploadError", "INVALID_CONVERSION_ACTION_TYPE2")]))
        let reason = try #require(verdict.deadLetterReason)
        #expect(reason.suspectIndex == 2)
        #expect(reason.platformCode == "conversionUploadError.INVALID_CONVERSION_ACTION_TYPE2")
    }

    @Test("whole-call specials: too many conversions halves, a new action waits 6 h, account set-up pauses")
    func wholeCallSpecials() throws {
        let tooMany = Self.envelope(400, "INVALID_ARGUMENT", [Self.rowError(nil, "conversionUploadError", "TOO_MANY_CONVERSIONS_IN_REQUEST")])
        #expect(try classify(400, tooMany).deadLetterReason?.code == .payloadTooLarge)
        let recent = Self.envelope(400, "INVALID_ARGUMENT", [Self.rowError(nil, "conversionUploadError", "TOO_RECENT_CONVERSION_ACTION")])
        guard case .retry(let after, _) = try classify(400, recent) else { Issue.record("expected a retry"); return }
        #expect(after == now.advanced(by: .seconds(6 * 3600)))
        let terms = Self.envelope(400, "INVALID_ARGUMENT", [Self.rowError(nil, "conversionUploadError", "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS")])
        guard case .authFailure = try classify(400, terms) else { Issue.record("expected an auth failure"); return }
    }

    @Test("a whole call refused because the click or the call is too recent waits 6 h", arguments: ["TOO_RECENT_EVENT", "TOO_RECENT_CALL"])
    func wholeCallTooRecent(code: String) throws {
        let refused = Self.envelope(400, "INVALID_ARGUMENT", [Self.rowError(nil, "conversionUploadError", code)])
        guard case .retry(let after, _) = try classify(400, refused) else { Issue.record("expected a retry"); return }
        #expect(after == now.advanced(by: .seconds(6 * 3600)))
        // The same code in a partial failure that names no row.
        let unlocated = #"{"partialFailureError": {"code": 3, "message": "Too recent.", "details": [\#(Self.failure([Self.rowError(nil, "conversionUploadError", code)]))]}}"#
        guard case .retry(let later, _) = try classify(200, unlocated) else { Issue.record("expected a retry"); return }
        #expect(later == now.advanced(by: .seconds(6 * 3600)))
    }

    @Test("messages pass through the response summary: personal data redacted")
    func redacted() throws {
        let verdict = try classify(200, Self.partial([Self.rowError(1, "conversionUploadError", "INVALID_USER_IDENTIFIER", "bad value noah.schmidt@example.de")]))
        guard case .partial(let items) = verdict, case .deadLetter(let reason) = items[1] else {
            Issue.record("expected a dead row")
            return
        }
        #expect(!reason.message.contains("noah.schmidt@example.de"))
        #expect(reason.message.contains("INVALID_USER_IDENTIFIER"))
    }
}
