import BridgeCore
import BridgeDestinations
import Testing

@Suite("LinkedIn reply classification")
struct LinkedInClassifyTests {
    let now = DestinationFixtures.sentAt

    func verdict(_ status: Int, _ body: String = "", headers: [String: String] = [:], items: Int = 10) throws -> DeliveryVerdict {
        try LinkedInFixtures.linkedIn().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    func error(_ status: Int, code: String, _ message: String) -> String {
        JSONWriter.string(
            .object(["status": .number(String(status)), "serviceErrorCode": .number("100"), "code": .string(code), "message": .string(message)]))
    }

    @Test("201 with an empty body (single create) and 200 with every element 201 are delivered")
    func delivered() throws {
        #expect(try verdict(201, items: 1) == .delivered)
        #expect(try verdict(200, #"{"elements":[{"status":201},{"status":201},{"status":201}]}"#, items: 3) == .delivered)
    }

    @Test("200 with a failed element status: partial, the others delivered")
    func elementStatuses() throws {
        let body = #"{"elements":[{"status":201},{"status":400,"error":{"message":"bad conversion","status":400}},{"status":503},{"status":201}]}"#
        guard case .partial(let items) = try verdict(200, body, items: 4) else {
            Issue.record("expected a partial verdict")
            return
        }
        #expect(items.count == 4)
        #expect(items[0] == .delivered && items[3] == .delivered)
        #expect(items[2] == .retry(.httpStatus(503)))
        guard case .deadLetter(let reason) = items[1] else {
            Issue.record("expected a dead letter for element 1")
            return
        }
        #expect(reason.code == .invalidParameters)
        #expect(reason.message.contains("bad conversion"))
    }

    @Test("422 naming Index: n dead-letters the batch with n as the suspect")
    func rejectedWithIndex() throws {
        let body = error(422, code: "UNPROCESSABLE_ENTITY", "Index: 3, ERROR :: /conversionHappenedAt :: Conversion happened at timestamp is older than 90 days.\n")
        guard case .deadLetter(let reason) = try verdict(422, body) else {
            Issue.record("expected a dead letter")
            return
        }
        #expect(reason.suspectIndex == 3)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "UNPROCESSABLE_ENTITY")
        #expect(reason.message.contains("Index: 3, ERROR :: /conversionHappenedAt"))
        #expect(reason.message.hasPrefix("LinkedIn 422"))
    }

    @Test("422 listing several indices names the first; an index outside the batch or none gives no suspect")
    func severalOrNoIndices() throws {
        let several = error(422, code: "UNPROCESSABLE_ENTITY", "Index: 7, ERROR :: /user :: x\nIndex: 2, ERROR :: /conversion :: y\n")
        #expect(try verdict(422, several).deadLetterReason?.suspectIndex == 7)
        #expect(try verdict(422, several, items: 5).deadLetterReason?.suspectIndex == 2)
        let outside = error(422, code: "UNPROCESSABLE_ENTITY", "Index: 12, ERROR :: /user :: x")
        #expect(try verdict(422, outside).deadLetterReason?.suspectIndex == nil)
        let none = error(422, code: "UNPROCESSABLE_ENTITY", "Unprocessable entity")
        let reason = try #require(try verdict(422, none).deadLetterReason)
        #expect(reason.suspectIndex == nil)
        #expect(reason.code == .invalidParameters)
    }

    @Test("a rejected value echoed in the message is redacted")
    func redacted() throws {
        let body = error(422, code: "UNPROCESSABLE_ENTITY", "Index: 0, ERROR :: /user/userInfo :: noah.schmidt@example.de is not a name")
        let reason = try #require(try verdict(422, body).deadLetterReason)
        #expect(!reason.message.contains("noah.schmidt@example.de"))
        #expect(reason.suspectIndex == 0)
    }

    @Test("401 and 403 are auth failures, the token never in the message", arguments: [
        (401, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user"),
        (401, "INVALID_ACCESS_TOKEN", "Invalid access token"),
        (403, "ACCESS_DENIED", "Not enough permissions to access: conversionEvents.BATCH_CREATE"),
    ])
    func auth(status: Int, code: String, message: String) throws {
        guard case .authFailure(let text) = try verdict(status, error(status, code: code, message)) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(text.contains(code))
        #expect(!text.contains(LinkedInFixtures.token))
    }

    @Test("426: the version is sunset; the destination pauses with a message naming api_version")
    func sunsetVersion() throws {
        guard case .authFailure(let text) = try verdict(426, error(426, code: "NONEXISTENT_VERSION", "Requested version 202301 is not active")) else {
            Issue.record("expected the destination to pause")
            return
        }
        #expect(text.contains("api_version"))
    }

    @Test("429 is throttled until Retry-After")
    func throttled() throws {
        let body = error(429, code: "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.")
        #expect(try verdict(429, body) == .throttled(after: nil))
        #expect(try verdict(429, body, headers: ["retry-after": "30"]) == .throttled(after: now.advanced(by: .seconds(30))))
    }

    @Test("408, 423 and 5xx are retried", arguments: [408, 423, 500, 502, 503, 504])
    func retried(status: Int) throws {
        #expect(try verdict(status, "oops") == .retry(after: nil, reason: .httpStatus(status)))
        #expect(try verdict(status, "", headers: ["retry-after": "5"]) == .retry(after: now.advanced(by: .seconds(5)), reason: .httpStatus(status)))
    }

    @Test("400 and other 4xx dead-letter without a suspect; 413 is payload_too_large")
    func otherClientErrors() throws {
        let reason = try #require(try verdict(400, error(400, code: "BAD_REQUEST", "Invalid JSON")).deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.suspectIndex == nil)
        #expect(reason.platformCode == "BAD_REQUEST")
        #expect(try verdict(404, "not found").deadLetterReason?.platformCode == "404")
        #expect(try verdict(413, "too large").deadLetterReason?.code == .payloadTooLarge)
    }

    @Test("a 3xx from a misbehaving proxy is retried")
    func redirect() throws {
        #expect(try verdict(302, "moved").label == "retry")
    }
}
