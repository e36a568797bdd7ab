import BridgeCore
import BridgeDestinations
import Testing

@Suite("GA4 reply classification")
struct GA4ClassifyTests {
    let now = DestinationFixtures.sentAt

    func verdict(_ status: Int, _ body: String = "", headers: [String: String] = [:], validate: Bool = false, items: Int = 1) throws
        -> DeliveryVerdict
    {
        let ga4 = try GA4Fixtures.ga4(validate ? ["validate_only": .bool(true)] : [:])
        return ga4.classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    @Test("/mp/collect: any 2xx is delivered, whatever the body says (GA4 reports nothing there)")
    func collect() throws {
        #expect(try verdict(204) == .delivered)
        #expect(try verdict(200) == .delivered)
        #expect(try verdict(200, #"{"validationMessages":[{"fieldPath":"events","description":"x","validationCode":"VALUE_INVALID"}]}"#) == .delivered)
    }

    @Test("validation server: no messages is delivered")
    func validationClean() throws {
        #expect(try verdict(200, #"{"validationMessages":[]}"#, validate: true) == .delivered)
    }

    @Test("validation server: messages dead-letter the event with the code, path and description")
    func validationMessages() throws {
        let body = #"{"validationMessages":[{"fieldPath":"events[0].params.currency","description":"Currency is required when value is set.","validationCode":"VALUE_REQUIRED"},{"fieldPath":"timestamp_micros","description":"too old","validationCode":"VALUE_OUT_OF_BOUNDS"}]}"#
        let reason = try #require(try verdict(200, body, validate: true).deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "VALUE_REQUIRED")
        #expect(reason.message.contains("events[0].params.currency: Currency is required when value is set. (VALUE_REQUIRED)"))
        #expect(reason.message.contains("timestamp_micros: too old"))
        #expect(reason.suspectIndex == nil, "one item per request: nothing to isolate")
    }

    @Test("validation server: with several items, the event index of the first message is the suspect")
    func validationSuspect() throws {
        let body = #"{"validationMessages":[{"fieldPath":"events[2].name","description":"reserved","validationCode":"NAME_RESERVED"}]}"#
        #expect(try verdict(200, body, validate: true, items: 3).deadLetterReason?.suspectIndex == 2)
        #expect(try verdict(200, body, validate: true, items: 2).deadLetterReason?.suspectIndex == nil)
    }

    @Test("validation server: personal data echoed in a message is redacted")
    func validationRedacted() throws {
        let body = #"{"validationMessages":[{"fieldPath":"user_id","description":"user_id noah.schmidt@example.de looks like an email","validationCode":"VALUE_INVALID"}]}"#
        let reason = try #require(try verdict(200, body, validate: true).deadLetterReason)
        #expect(!reason.message.contains("noah.schmidt@example.de"))
    }

    @Test("the API secret echoed by a proxy or the validation server never reaches a verdict message")
    func secretNotEchoed() throws {
        let secret = GA4Fixtures.apiSecret
        let page = "400 Bad Request: /mp/collect?measurement_id=G-TEST123456&api_secret=\(secret) rejected"
        let reason = try #require(try verdict(400, page).deadLetterReason)
        #expect(!reason.message.contains(secret))
        #expect(reason.message.contains("<redacted>"))
        let body = #"{"validationMessages":[{"fieldPath":"api_secret","description":"unknown secret \#(secret)","validationCode":"VALUE_INVALID"}]}"#
        let validation = try #require(try verdict(200, body, validate: true).deadLetterReason)
        #expect(!validation.message.contains(secret))
        #expect(validation.platformCode == "VALUE_INVALID")
    }

    @Test("validation server: an unreadable 2xx is retried")
    func validationUnreadable() throws {
        guard case .retry(_, .platformTransient("unexpected_response", _)) = try verdict(200, "<html>", validate: true) else {
            Issue.record("expected a retry")
            return
        }
    }

    @Test("429 is throttled until Retry-After")
    func throttled() throws {
        #expect(try verdict(429) == .throttled(after: nil))
        #expect(try verdict(429, headers: ["retry-after": "20"]) == .throttled(after: now.advanced(by: .seconds(20))))
    }

    @Test("408, 425 and 5xx are retried", arguments: [408, 425, 500, 502, 503])
    func retried(status: Int) throws {
        #expect(try verdict(status) == .retry(after: nil, reason: .httpStatus(status)))
        #expect(try verdict(status, headers: ["retry-after": "3"]) == .retry(after: now.advanced(by: .seconds(3)), reason: .httpStatus(status)))
    }

    @Test("other 4xx, 401 and 403 included, dead-letter (GA4 has no auth answer); 413 is payload_too_large", arguments: [400, 401, 403, 404])
    func clientErrors(status: Int) throws {
        let reason = try #require(try verdict(status, "bad").deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == String(status))
        #expect(try verdict(413).deadLetterReason?.code == .payloadTooLarge)
    }
}
