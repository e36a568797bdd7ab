import BridgeCore
import Testing

@Suite("Delivery verdicts and HTTP status classification")
struct DeliveryVerdictTests {
    @Test(
        "classifies simple endpoints by status",
        arguments: [
            (200, "delivered"), (201, "delivered"), (204, "delivered"), (299, "delivered"),
            (408, "retry"), (425, "retry"), (500, "retry"), (502, "retry"), (503, "retry"), (599, "retry"),
            (429, "throttled"),
            (401, "auth_failure"), (403, "auth_failure"),
            (400, "dead_letter"), (404, "dead_letter"), (409, "dead_letter"), (413, "dead_letter"), (422, "dead_letter"),
            (100, "retry"), (302, "retry"), (700, "retry"),
        ])
    func statusTable(status: Int, label: String) {
        #expect(DeliveryVerdict.classify(status: status, bodySummary: "", now: t0).label == label)
    }

    @Test("a 4xx dead letter carries the status and the body summary; 413 is payload_too_large")
    func deadLetterReasons() {
        let verdict = DeliveryVerdict.classify(status: 400, bodySummary: "{\"error\":\"bad value\"}", now: t0)
        #expect(verdict == .deadLetter(DeadLetterReason(code: .invalidParameters, message: "HTTP 400: {\"error\":\"bad value\"}", platformCode: "400")))
        #expect(DeliveryVerdict.classify(status: 413, bodySummary: "", now: t0).deadLetterReason?.code == .payloadTooLarge)
    }

    @Test("401 and 403 are auth failures, dead-lettered as auth_failed")
    func authFailure() {
        let verdict = DeliveryVerdict.classify(status: 401, bodySummary: "token expired", now: t0)
        #expect(verdict == .authFailure(message: "HTTP 401: token expired"))
        #expect(verdict.deadLetterReason == DeadLetterReason(code: .authFailed, message: "HTTP 401: token expired"))
    }

    @Test("honours Retry-After in seconds and as an HTTP date")
    func retryAfter() {
        #expect(DeliveryVerdict.classify(status: 429, retryAfter: "120", bodySummary: "", now: t0) == .throttled(after: t0.plus(seconds: 120)))
        #expect(DeliveryVerdict.classify(status: 503, retryAfter: "Sat, 14 Mar 2026 13:00:00 GMT", bodySummary: "", now: t0)
            == .retry(after: t0.plus(seconds: 3600), reason: .httpStatus(503)))
        #expect(DeliveryVerdict.classify(status: 503, retryAfter: "soon", bodySummary: "", now: t0) == .retry(after: nil, reason: .httpStatus(503)))
        #expect(DeliveryVerdict.classify(status: 429, bodySummary: "", now: t0) == .throttled(after: nil))
    }

    @Test(
        "parses every Retry-After form RFC 9110 requires",
        arguments: [
            ("0", 0.0), ("120", 120), (" 30 ", 30),
            ("Sat, 14 Mar 2026 12:01:00 GMT", 60),
            ("Saturday, 14-Mar-26 12:01:00 GMT", 60),
            ("Sat Mar 14 12:01:00 2026", 60),
            ("Sat Mar  7 12:00:00 2026", -604_800.0),
        ])
    func parsesRetryAfter(value: String, secondsFromNow: Double) {
        #expect(RetryAfter.parse(value, now: t0) == t0.plus(seconds: secondsFromNow))
    }

    @Test(
        "rejects malformed Retry-After values",
        arguments: ["", "-5", "1.5", "12345678901", "Sat, 30 Feb 2026 12:00:00 GMT", "Sat, 14 Mar 2026 12:00:00 UTC",
                    "Sat, 14 Foo 2026 12:00:00 GMT", "Sat, 14 Mar 2026 25:00:00 GMT", "tomorrow"])
    func rejectsRetryAfter(value: String) {
        #expect(RetryAfter.parse(value, now: t0) == nil)
    }

    @Test("transport failures are retries with their reason")
    func transport() {
        #expect(DeliveryVerdict.transportFailure(.timeout) == .retry(after: nil, reason: .timeout))
        #expect(RetryReason.networkError("connection reset").label == "network")
        #expect(RetryReason.httpStatus(503).label == "http_5xx")
        #expect(RetryReason.httpStatus(429).label == "http_4xx")
        #expect(RetryReason.platformTransient(code: "2", message: "Service temporarily unavailable").label == "platform")
    }

    @Test("partial verdicts keep batch order and collapse when nothing failed")
    func partial() {
        let bad = DeadLetterReason(code: .invalidParameters, message: "missing currency")
        #expect(DeliveryVerdict.partial(itemCount: 3, failures: [:]) == .delivered)
        #expect(DeliveryVerdict.partial(itemCount: 3, failures: [7: .deadLetter(bad)]) == .delivered)
        #expect(DeliveryVerdict.partial(itemCount: 3, failures: [1: .deadLetter(bad), 2: .retry(.timeout)])
            == .partial([.delivered, .deadLetter(bad), .retry(.timeout)]))
    }

    @Test("dead-letter reasons print code, platform code and message")
    func reasonDescription() {
        let reason = DeadLetterReason(code: .eventTooOld, message: "Event Timestamp Too Old", platformCode: "100/2804003")
        #expect(reason.description == "event_too_old (100/2804003): Event Timestamp Too Old")
        #expect(DeadLetterReason.Code("meta_policy").rawValue == "meta_policy")
    }
}
