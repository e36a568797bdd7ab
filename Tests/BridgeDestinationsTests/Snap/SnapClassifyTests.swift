import BridgeCore
import BridgeDestinations
import Testing

@Suite("Snap reply classification")
struct SnapClassifyTests {
    let now = DestinationFixtures.sentAt

    func verdict(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 10) throws -> DeliveryVerdict {
        try SnapFixtures.destination().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    @Test("status VALID is delivered")
    func valid() throws {
        #expect(try verdict(200, #"{"status":"VALID","reason":"Events are being processed"}"#) == .delivered)
    }

    @Test("INVALID with an event index: the batch is refused, that event is the suspect")
    func invalidWithIndex() throws {
        let body = #"{"status":"INVALID","event":3,"reason":"Missing price or currency for PURCHASE","errors":{"codes":["E123"],"error_msgs":["currency is required"]}}"#
        let reason = try #require(try verdict(400, body).deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.suspectIndex == 3)
        #expect(reason.platformCode == "E123")
        #expect(reason.message == "Snap INVALID: Missing price or currency for PURCHASE | E123 | currency is required")
    }

    @Test("INVALID with index 0 and a string index are read; an index outside the batch is not a suspect")
    func indexForms() throws {
        #expect(try verdict(400, #"{"status":"INVALID","event":0,"reason":"Insufficient PII"}"#).deadLetterReason?.suspectIndex == 0)
        #expect(try verdict(400, #"{"status":"INVALID","event":"4","reason":"x"}"#).deadLetterReason?.suspectIndex == 4)
        let outside = try verdict(400, #"{"status":"INVALID","event":12,"reason":"x"}"#, items: 5).deadLetterReason
        #expect(outside?.code == .invalidParameters)
        #expect(outside?.suspectIndex == nil)
    }

    @Test("INVALID without an index is a dead letter for the pipeline to bisect")
    func invalidWithoutIndex() throws {
        let reason = try #require(try verdict(400, #"{"status":"INVALID","reason":"Invalid request"}"#).deadLetterReason)
        #expect(reason.suspectIndex == nil)
        #expect(reason.platformCode == "INVALID")
    }

    @Test("INVALID inside an HTTP 200 is still a refusal")
    func invalidIn200() throws {
        #expect(try verdict(200, #"{"status":"INVALID","event":1,"reason":"Timestamp out of range"}"#).deadLetterReason?.suspectIndex == 1)
    }

    @Test("validate endpoint: event_logs with INVALID entries fail those events alone")
    func validateLogs() throws {
        let body = #"""
            {"status":"INVALID","test_event":true,"reason":"Some events are invalid","event_logs":[
             {"event":0,"status":"VALID","warnings":[]},
             {"event":1,"status":"INVALID","errors":{"codes":["E9"],"error_msgs":["Unhashed PII"]},"warnings":[]},
             {"event":2,"status":"VALID","warnings":["no client_user_agent"]}]}
            """#
        guard case .partial(let items) = try verdict(200, body, items: 3) else {
            Issue.record("expected per-event verdicts")
            return
        }
        #expect(items.count == 3)
        #expect(items[0] == .delivered && items[2] == .delivered)
        guard case .deadLetter(let reason) = items[1] else {
            Issue.record("event 1 should be dead-lettered")
            return
        }
        #expect(reason.platformCode == "E9")
        #expect(reason.message.contains("Unhashed PII"))
    }

    @Test("validate endpoint: every event VALID is delivered")
    func validateAllValid() throws {
        let body = #"{"status":"VALID","test_event":true,"reason":"ok","event_logs":[{"event":0,"status":"VALID"},{"event":1,"status":"VALID"}]}"#
        #expect(try verdict(200, body, items: 2) == .delivered)
    }

    @Test("401 and 403 are auth failures", arguments: [401, 403])
    func auth(status: Int) throws {
        guard case .authFailure(let message) = try verdict(status, #"{"status":"INVALID","reason":"Invalid access token"}"#) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message.contains("Invalid access token"))
        guard case .authFailure = try verdict(status, "Unauthorized") else {
            Issue.record("expected an auth failure without a JSON body")
            return
        }
    }

    @Test("429 is throttled, with Retry-After when given")
    func throttled() throws {
        #expect(try verdict(429, #"{"status":"INVALID","reason":"Too many requests"}"#) == .throttled(after: nil))
        #expect(try verdict(429, "", headers: ["retry-after": "10"]) == .throttled(after: now.advanced(by: .seconds(10))))
    }

    @Test("5xx and 408 are retried with Retry-After", arguments: [408, 500, 502, 503, 504])
    func serverErrors(status: Int) throws {
        #expect(try verdict(status, #"{"status":"INVALID","reason":"Internal error"}"#, headers: ["retry-after": "5"])
            == .retry(after: now.advanced(by: .seconds(5)), reason: .httpStatus(status)))
    }

    @Test("a 2xx without status is retried, not counted delivered")
    func unexpected() throws {
        guard case .retry(_, .platformTransient("unexpected_response", _)) = try verdict(200, "<html>ok</html>") else {
            Issue.record("expected a retry")
            return
        }
    }

    @Test("another 4xx without status is a dead letter")
    func other4xx() throws {
        #expect(try verdict(404, "not found").deadLetterReason?.code == .invalidParameters)
        #expect(try verdict(413, "too large").deadLetterReason?.code == .payloadTooLarge)
    }

    @Test("an error page echoing the request URL never puts the query token in a message")
    func tokenEchoRemoved() throws {
        let page = "Cannot POST /v3/abc/events?access_token=\(DestinationFixtures.token)"
        for status in [401, 404, 400] {
            let verdict = try verdict(status, page)
            let text: String
            switch verdict {
            case .authFailure(let message): text = message
            case .deadLetter(let reason): text = reason.message
            default:
                Issue.record("unexpected verdict \(verdict)")
                continue
            }
            #expect(!text.contains(DestinationFixtures.token), "HTTP \(status)")
            #expect(text.contains("[redacted]"), "HTTP \(status)")
        }
        let json = #"{"status":"INVALID","event":1,"reason":"bad url https://tr.snapchat.com/v3/abc/events?access_token="# + DestinationFixtures.token + #""}"#
        let reason = try #require(try verdict(400, json).deadLetterReason)
        #expect(!reason.message.contains(DestinationFixtures.token))
        #expect(reason.suspectIndex == 1)
    }

    @Test("a value Snap echoes back is redacted")
    func redacted() throws {
        let body = #"{"status":"INVALID","event":2,"reason":"Unhashed PII: noah.schmidt@example.de"}"#
        let reason = try #require(try verdict(400, body).deadLetterReason)
        #expect(!reason.message.contains("noah.schmidt@example.de"))
        #expect(reason.suspectIndex == 2)
    }
}
