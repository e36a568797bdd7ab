import BridgeCore
import BridgeDestinations
import Testing

@Suite("Pinterest reply classification")
struct PinterestClassifyTests {
    let now = DestinationFixtures.sentAt

    func isRetry(_ verdict: ItemVerdict) -> Bool {
        if case .retry = verdict { return true }
        return false
    }

    func verdict(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 3) throws -> DeliveryVerdict {
        try PinterestFixtures.destination().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    func results(_ statuses: [(String, String?)]) -> String {
        let events = statuses.map { status, message in
            #"{"status":"\#(status)","error_message":\#(message.map { "\"\($0)\"" } ?? "null"),"warning_message":null}"#
        }
        let processed = statuses.filter { $0.0 == "processed" }.count
        return #"{"num_events_received":\#(statuses.count),"num_events_processed":\#(processed),"events":[\#(events.joined(separator: ","))]}"#
    }

    @Test("200 with every event processed is delivered")
    func delivered() throws {
        #expect(try verdict(200, results([("processed", nil), ("processed", nil), ("processed", nil)])) == .delivered)
    }

    @Test("200 with a failed event: partial, only that event dead-lettered with Pinterest's message")
    func partial() throws {
        let verdict = try verdict(200, results([("processed", nil), ("failed", "Invalid event_time for user noah@example.de"), ("processed", nil)]))
        guard case .partial(let items) = verdict else {
            Issue.record("expected partial, got \(verdict)")
            return
        }
        #expect(items.count == 3)
        #expect(items[0] == .delivered && items[2] == .delivered)
        guard case .deadLetter(let reason) = items[1] else {
            Issue.record("expected a dead letter for event 1")
            return
        }
        #expect(reason.code == .invalidParameters)
        #expect(reason.message.contains("Invalid event_time"))
        #expect(!reason.message.contains("noah@example.de"), "personal data is redacted")
    }

    @Test("200 without per-event results: delivered when num_events_processed covers the batch, else retried")
    func counts() throws {
        #expect(try verdict(200, #"{"num_events_received":3,"num_events_processed":3}"#) == .delivered)
        guard case .retry(_, .platformTransient("unexpected_response", _)) = try verdict(200, "<html>ok</html>") else {
            Issue.record("expected a retry")
            return
        }
    }

    @Test("200 listing fewer results than events retries the missing ones")
    func missingResults() throws {
        guard case .partial(let items) = try verdict(200, results([("processed", nil)])) else {
            Issue.record("expected partial")
            return
        }
        #expect(items[0] == .delivered)
        #expect(isRetry(items[1]) && isRetry(items[2]))
    }

    @Test("422 DetailedError with per-event details: the bad event dead, the others (not processed because of it) retried")
    func detailedError() throws {
        let details = results([("failed", nil), ("failed", "event_time must be Unix seconds"), ("failed", nil)])
        let body = #"{"code":4196,"message":"Not all events were successfully processed.","details":\#(details)}"#
        guard case .partial(let items) = try verdict(422, body) else {
            Issue.record("expected partial")
            return
        }
        #expect(isRetry(items[0]) && isRetry(items[2]))
        guard case .deadLetter(let reason) = items[1] else {
            Issue.record("expected the named event dead-lettered")
            return
        }
        #expect(reason.message.contains("event_time must be Unix seconds"))
    }

    @Test("422 naming an index without a per-event list: whole batch dead-lettered with that suspect")
    func detailedErrorIndex() throws {
        let body = #"{"code":4196,"message":"Not all events were successfully processed.","details":{"data[2].user_data.em":"not a hash"}}"#
        let reason = try #require(try verdict(422, body).deadLetterReason)
        #expect(reason.suspectIndex == 2)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "4196")
        let outOfRange = #"{"code":4196,"message":"x","details":{"index":7}}"#
        #expect(try verdict(422, outOfRange).deadLetterReason?.suspectIndex == nil, "an index outside the batch is ignored")
        #expect(try verdict(422, #"{"code":4196,"message":"x","details":{}}"#).deadLetterReason?.suspectIndex == nil)
    }

    @Test("429 code 8 is throttled with Retry-After; code 8 under another status too")
    func throttled() throws {
        let body = #"{"code":8,"message":"This request exceeded a rate limit."}"#
        #expect(try verdict(429, body, headers: ["retry-after": "30"]) == .throttled(after: now.advanced(by: .seconds(30))))
        #expect(try verdict(429, "Too Many Requests") == .throttled(after: nil))
        #expect(try verdict(400, body) == .throttled(after: nil))
    }

    @Test("401 code 2 and 403 code 29 are auth failures")
    func auth() throws {
        guard case .authFailure(let message) = try verdict(401, #"{"code":2,"message":"Authentication failed."}"#) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message == "Pinterest 2: Authentication failed.")
        #expect(try verdict(403, #"{"code":29,"message":"You are not permitted to access that resource."}"#).label == "auth_failure")
    }

    @Test("400 code 4196 is dead-lettered with the platform code")
    func invalid() throws {
        let reason = try #require(try verdict(400, #"{"code":4196,"message":"The request was invalid."}"#).deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "4196")
        #expect(reason.message == "Pinterest 4196: The request was invalid.")
        #expect(try verdict(413, "too big").deadLetterReason?.code == .payloadTooLarge)
    }

    @Test("503 code 4197 and other 5xx are retried with Retry-After", arguments: [500, 502, 503, 504])
    func serverErrors(status: Int) throws {
        let plain = try verdict(status, "oops", headers: ["retry-after": "5"])
        #expect(plain == .retry(after: now.advanced(by: .seconds(5)), reason: .httpStatus(status)))
        guard case .retry(nil, .platformTransient("4197", _)) = try verdict(status, #"{"code":4197,"message":"ramped down"}"#) else {
            Issue.record("expected a platform retry")
            return
        }
    }
}
