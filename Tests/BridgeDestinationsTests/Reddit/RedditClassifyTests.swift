import BridgeCore
import BridgeDestinations
import Testing

@Suite("Reddit reply classification")
struct RedditClassifyTests {
    let now = DestinationFixtures.sentAt

    func verdict(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 5) throws -> DeliveryVerdict {
        try RedditFixtures.destination().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    @Test("200 Successfully processed is delivered")
    func delivered() throws {
        #expect(try verdict(200, #"{"data":{"message":"Successfully processed 5 conversion events."}}"#) == .delivered)
        #expect(try verdict(204, "") == .delivered)
    }

    @Test("400 with invalid_events: the whole batch dead-lettered with Reddit's message, the echoed event never copied")
    func invalidEvents() throws {
        let body = #"""
            {"message":"There were 1 invalid conversion events. None were processed.",
             "invalid_events":[{"error_message":"invalid type.tracking_type","event":{"user":{"email":"noah.schmidt@example.de"},"metadata":{"conversion_id":"evt-3"}}}]}
            """#
        let reason = try #require(try verdict(400, body).deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "400")
        #expect(reason.message == "Reddit: There were 1 invalid conversion events. None were processed.: invalid type.tracking_type")
        #expect(reason.suspectIndex == nil, "Reddit echoes the event, not its position: the pipeline bisects")
        #expect(!reason.message.contains("noah"))
    }

    @Test("invalid_events naming an index: the suspect is set", arguments: [
        (#"{"invalid_events":[{"error_message":"bad","index":3}]}"#, 3),
        (#"{"invalid_events":[{"error_message":"events[2].event_at: must be milliseconds"}]}"#, 2),
        (#"{"invalid_events":[{"error_message":"bad","event_index":9}]}"#, nil as Int?),
    ])
    func suspect(body: String, index: Int?) throws {
        let reason = try #require(try verdict(400, body).deadLetterReason)
        #expect(reason.suspectIndex == index)
    }

    @Test("an event older than 168 hours is event_too_old")
    func tooOld() throws {
        let body = #"{"message":"There were 1 invalid conversion events. None were processed.","invalid_events":[{"error_message":"event_at timestamp must be less than 168h0m0s old"}]}"#
        #expect(try verdict(400, body).deadLetterReason?.code == .eventTooOld)
    }

    @Test("a 2xx carrying invalid_events is not delivered")
    func successWithInvalid() throws {
        #expect(try verdict(200, #"{"invalid_events":[{"error_message":"bad"}]}"#).label == "dead_letter")
    }

    @Test("other 400s: v3 error envelope and plain Bad Request are dead-lettered")
    func otherBadRequests() throws {
        let envelope = try #require(try verdict(400, #"{"error":{"code":400,"message":"invalid action_source: web"}}"#).deadLetterReason)
        #expect(envelope.code == .invalidParameters)
        #expect(envelope.message == "Reddit HTTP 400: invalid action_source: web")
        #expect(try verdict(400, "Bad Request").deadLetterReason?.message == "Reddit HTTP 400: Bad Request")
        #expect(try verdict(413, "too large").deadLetterReason?.code == .payloadTooLarge)
    }

    @Test("401 and 403 in their documented forms are auth failures", arguments: [
        (401, "Authorization Required"),
        (401, #"{"error":{"reason":"UNAUTHORIZED","explanation":"Invalid token"}}"#),
        (401, #"{"message":"No bearer token provided"}"#),
        (403, #"{"message":"You're not authorized to post conversions to Pixel ID t2_abc123."}"#),
        (403, #"{"message":"Missing adsconversions scope to post conversions to Pixel."}"#),
    ])
    func auth(status: Int, body: String) throws {
        guard case .authFailure(let message) = try verdict(status, body) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message.hasPrefix("Reddit HTTP \(status): "))
        #expect(!message.contains(RedditFixtures.token))
    }

    @Test("429 is throttled with Retry-After")
    func throttled() throws {
        #expect(try verdict(429, #"{"message":"Too many requests/events within timeframe."}"#, headers: ["retry-after": "20"])
            == .throttled(after: now.advanced(by: .seconds(20))))
        #expect(try verdict(429, "Your user agent was automatically ratelimited.") == .throttled(after: nil))
    }

    @Test("5xx is retried with Retry-After", arguments: [500, 502, 503, 504])
    func serverErrors(status: Int) throws {
        let body = #"{"message":"The service is currently unavailable. No conversion events were processed."}"#
        #expect(try verdict(status, body, headers: ["retry-after": "7"]) == .retry(after: now.advanced(by: .seconds(7)), reason: .httpStatus(status)))
    }

    @Test("messages redact personal data and are bounded")
    func redaction() throws {
        let long = String(repeating: "x", count: 2000)
        let reason = try #require(try verdict(400, #"{"error":{"code":400,"message":"bad email noah.schmidt@example.de \#(long)"}}"#).deadLetterReason)
        #expect(!reason.message.contains("noah.schmidt@example.de"))
        #expect(reason.message.count <= 301)
    }
}
