import BridgeCore
import BridgeDestinations
import Testing

@Suite("Meta reply classification")
struct MetaClassifyTests {
    let now = DestinationFixtures.sentAt

    func verdict(_ status: Int, _ body: String, headers: [String: String] = [:], items: Int = 10) throws -> DeliveryVerdict {
        try DestinationFixtures.meta().classify(HTTPReply(status: status, headers: headers, body: Array(body.utf8)), itemCount: items, now: now)
    }

    func graphError(code: Int, subcode: Int? = nil, transient: Bool = false, message: String = "Invalid parameter") -> String {
        let sub = subcode.map { ",\"error_subcode\":\($0)" } ?? ""
        return #"{"error":{"message":"\#(message)","type":"OAuthException","code":\#(code)\#(sub),"is_transient":\#(transient),"error_user_title":"Title","error_user_msg":"User message","fbtrace_id":"Ax"}}"#
    }

    @Test("200 with every event received is delivered")
    func delivered() throws {
        #expect(try verdict(200, #"{"events_received":10,"messages":[],"fbtrace_id":"A"}"#) == .delivered)
    }

    @Test("200 with fewer events received retries the batch")
    func fewerReceived() throws {
        guard case .retry(nil, .platformTransient(let code, let message)) = try verdict(200, #"{"events_received":7,"messages":[]}"#) else {
            Issue.record("expected a retry")
            return
        }
        #expect(code == "events_received")
        #expect(message == "Meta acknowledged 7 of 10 events")
    }

    @Test("200 without events_received retries")
    func unexpectedSuccess() throws {
        guard case .retry(_, .platformTransient("unexpected_response", _)) = try verdict(200, "<html>ok</html>") else {
            Issue.record("expected a retry")
            return
        }
    }

    @Test("throttling codes are throttled, whatever the HTTP status", arguments: [4, 17, 32, 613, 80004])
    func throttled(code: Int) throws {
        #expect(try verdict(400, graphError(code: code)) == .throttled(after: nil))
        #expect(try verdict(403, graphError(code: code), headers: ["retry-after": "30"]) == .throttled(after: now.advanced(by: .seconds(30))))
    }

    @Test("341 and 368 hold for at least 15 minutes", arguments: [341, 368])
    func longBackoff(code: Int) throws {
        #expect(try verdict(400, graphError(code: code)) == .throttled(after: now.advanced(by: .seconds(900))))
        #expect(try verdict(400, graphError(code: code), headers: ["retry-after": "3600"]) == .throttled(after: now.advanced(by: .seconds(3600))))
    }

    @Test("the usage headers' estimated_time_to_regain_access (minutes) is honoured")
    func usageHeaders() throws {
        let usage = #"{"1234":[{"type":"ads_management","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":7}]}"#
        #expect(try verdict(400, graphError(code: 80004), headers: ["x-business-use-case-usage": usage, "retry-after": "60"])
            == .throttled(after: now.advanced(by: .seconds(420))))
        #expect(try verdict(400, graphError(code: 4), headers: ["x-app-usage": #"{"call_count":100,"estimated_time_to_regain_access":2}"#])
            == .throttled(after: now.advanced(by: .seconds(120))))
    }

    @Test("429 without an envelope is throttled with Retry-After")
    func plain429() throws {
        #expect(try verdict(429, "Too Many Requests", headers: ["retry-after": "2"]) == .throttled(after: now.advanced(by: .seconds(2))))
    }

    @Test("codes 1 and 2 and is_transient are retried", arguments: [(1, false), (2, false), (100, true), (9999, true)])
    func transient(code: Int, transient: Bool) throws {
        guard case .retry(_, .platformTransient(let platformCode, let message)) = try verdict(500, graphError(code: code, transient: transient)) else {
            Issue.record("expected a retry")
            return
        }
        #expect(platformCode == String(code))
        #expect(message.hasPrefix("Meta \(code): OAuthException | Invalid parameter | Title | User message"))
    }

    @Test("HTTP 5xx without an envelope is retried with Retry-After", arguments: [500, 502, 503, 504])
    func serverErrors(status: Int) throws {
        #expect(try verdict(status, "oops", headers: ["retry-after": "5"]) == .retry(after: now.advanced(by: .seconds(5)), reason: .httpStatus(status)))
    }

    @Test("token problems are auth failures", arguments: [(190, nil), (190, 463), (190, 460), (102, nil), (104, nil)] as [(Int, Int?)])
    func auth(code: Int, subcode: Int?) throws {
        guard case .authFailure(let message) = try verdict(400, graphError(code: code, subcode: subcode, message: "Invalid OAuth access token")) else {
            Issue.record("expected an auth failure")
            return
        }
        #expect(message.contains("Meta \(code)"))
    }

    @Test("permission and unknown-pixel errors pause the destination like auth failures", arguments: [(200, nil), (10, nil), (100, 33), (294, nil)] as [(Int, Int?)])
    func permissions(code: Int, subcode: Int?) throws {
        guard case .authFailure = try verdict(400, graphError(code: code, subcode: subcode)) else {
            Issue.record("expected an auth failure")
            return
        }
    }

    @Test("100/2804003 is a dead letter event_too_old")
    func tooOld() throws {
        #expect(try verdict(400, graphError(code: 100, subcode: 2_804_003)).deadLetterReason?.code == .eventTooOld)
        #expect(try verdict(400, graphError(code: 100, subcode: 2_804_003)).deadLetterReason?.platformCode == "100/2804003")
    }

    @Test("other invalid parameters are dead letters (the pipeline bisects a batch of several)", arguments: [2_804_009, 2_804_050, nil] as [Int?])
    func invalid(subcode: Int?) throws {
        let verdict = try verdict(400, graphError(code: 100, subcode: subcode))
        #expect(verdict.deadLetterReason?.code == .invalidParameters)
        #expect(verdict.deadLetterReason?.message.contains("User message") == true)
    }

    @Test("an unknown code is a dead letter on 4xx and a retry on 5xx")
    func unknownCode() throws {
        #expect(try verdict(400, graphError(code: 12345)).deadLetterReason?.code == .invalidParameters)
        guard case .retry = try verdict(503, graphError(code: 12345)) else {
            Issue.record("expected a retry")
            return
        }
    }

    @Test("a 4xx without an envelope falls back to the status", arguments: [
        (400, "dead_letter"), (401, "auth_failure"), (403, "auth_failure"), (404, "dead_letter"), (408, "retry"), (413, "dead_letter"),
    ])
    func plainStatus(status: Int, label: String) throws {
        #expect(try verdict(status, "<html>nope</html>").label == label)
    }

    @Test("messages are capped and never carry personal data")
    func messagesSafe() throws {
        let long = String(repeating: "x", count: 2000)
        let verdict = try verdict(400, graphError(code: 100, message: "bad value noah.schmidt@example.de " + long))
        let message = try #require(verdict.deadLetterReason?.message)
        #expect(message.count <= 301)
        #expect(!message.contains("noah.schmidt@example.de"))
    }
}
