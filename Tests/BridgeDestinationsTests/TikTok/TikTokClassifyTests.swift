import BridgeCore
import BridgeDestinations
import Testing

@Suite("TikTok reply classification")
struct TikTokClassifyTests {
    let now = DestinationFixtures.sentAt

    func verdict(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 10) throws -> DeliveryVerdict {
        try TikTokFixtures.destination().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    func envelope(_ code: Int, _ message: String) -> String {
        #"{"code":\#(code),"message":"\#(message)","request_id":"2026031416000001","data":{}}"#
    }

    @Test("code 0 is delivered")
    func delivered() throws {
        #expect(try verdict(200, envelope(0, "OK")) == .delivered)
    }

    @Test("code 20001 (partial success with warnings) is delivered")
    func warnings() throws {
        #expect(try verdict(200, envelope(20001, "Partial success")) == .delivered)
    }

    @Test("code 40100 inside an HTTP 200 is throttling, with Retry-After when given")
    func throttledInside200() throws {
        #expect(try verdict(200, envelope(40100, "Too many requests. Please retry in some time.")) == .throttled(after: nil))
        #expect(try verdict(200, envelope(40100, "Too many requests"), headers: ["retry-after": "30"]) == .throttled(after: now.advanced(by: .seconds(30))))
    }

    @Test("auth codes pause the destination", arguments: [40001, 40104, 40105])
    func auth(code: Int) throws {
        guard case .authFailure(let message) = try verdict(200, envelope(code, "No permission to operate")) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message.hasPrefix("TikTok \(code): No permission"))
    }

    @Test("40002 names the failing event: a dead letter with that suspect index", arguments: [
        ("Batch.3.user.email: Not a valid SHA-256 hash.", 3),
        ("data[7].properties.value: Not a valid number.", 7),
        ("Invalid parameter at data.0.event_time", 0),
        ("batch[12]: event refused", 12),
    ])
    func invalidWithIndex(message: String, index: Int) throws {
        let verdict = try verdict(200, envelope(40002, message), items: 20)
        let reason = try #require(verdict.deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "40002")
        #expect(reason.suspectIndex == index)
        #expect(reason.message.contains("TikTok 40002"))
    }

    @Test("40002 without an index, or an index outside the batch, has no suspect")
    func invalidWithoutIndex() throws {
        #expect(try verdict(200, envelope(40002, "event_source_id: Missing data for required field.")).deadLetterReason?.suspectIndex == nil)
        #expect(try verdict(200, envelope(40002, "Batch.30.user.email: bad"), items: 10).deadLetterReason?.suspectIndex == nil)
        // "metadata[2]" is not "data[2]".
        #expect(try verdict(200, envelope(40002, "metadata[2] wrong")).deadLetterReason?.suspectIndex == nil)
    }

    @Test("a rejected value echoed by TikTok is redacted from the verdict")
    func redacted() throws {
        let reason = try #require(try verdict(200, envelope(40002, "Batch.1.user.email: noah.schmidt@example.de is not hashed")).deadLetterReason)
        #expect(!reason.message.contains("noah.schmidt@example.de"))
        #expect(reason.suspectIndex == 1)
    }

    @Test("5xxxx codes are retried", arguments: [50000, 50002])
    func serverCodes(code: Int) throws {
        #expect(try verdict(200, envelope(code, "Internal service error")) == .retry(after: nil, reason: .platformTransient(code: String(code), message: "TikTok \(code): Internal service error")))
    }

    @Test("HTTP 5xx without an envelope is retried with Retry-After", arguments: [500, 502, 503, 504])
    func httpServerErrors(status: Int) throws {
        #expect(try verdict(status, "<html>bad gateway</html>", headers: ["retry-after": "5"]) == .retry(after: now.advanced(by: .seconds(5)), reason: .httpStatus(status)))
    }

    @Test("HTTP 429 without an envelope is throttled")
    func http429() throws {
        #expect(try verdict(429, "slow down", headers: ["retry-after": "2"]) == .throttled(after: now.advanced(by: .seconds(2))))
    }

    @Test("HTTP 401 without an envelope is an auth failure")
    func http401() throws {
        guard case .authFailure = try verdict(401, "Unauthorized") else {
            Issue.record("expected an auth failure")
            return
        }
    }

    @Test("HTTP 200 without a code is retried rather than counted delivered")
    func noCode() throws {
        guard case .retry(_, .platformTransient("unexpected_response", _)) = try verdict(200, "<html>ok</html>") else {
            Issue.record("expected a retry")
            return
        }
    }

    @Test("an unknown 4xxxx code is a dead letter; an unknown code with HTTP 503 is retried")
    func unknownCodes() throws {
        #expect(try verdict(200, envelope(40010, "Something invalid")).deadLetterReason?.platformCode == "40010")
        guard case .retry = try verdict(503, envelope(40010, "busy")) else {
            Issue.record("expected a retry")
            return
        }
    }
}
