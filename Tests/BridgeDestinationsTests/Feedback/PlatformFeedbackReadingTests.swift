import BridgeCore
import BridgeDestinations
import Testing

/// How destinations read what platforms report after the verdict: Data
/// Manager's request status, Meta's `events_received` and Dataset Quality
/// API, Pinterest's Event Quality Score, GA4's validation server.
@Suite("Platform feedback readings")
struct PlatformFeedbackReadingTests {
    static let now = Timestamp(millisecondsSinceEpoch: 1_796_000_000_000)

    static func reply(_ status: Int, _ body: String) -> HTTPReply { HTTPReply(status: status, body: Array(body.utf8)) }

    static func confirmer() throws -> any DeliveryConfirmer {
        try #require(try GoogleDestination(GoogleFixtures.dataManagerSettings(["base_url": .string("http://127.0.0.1:9")])).confirmer)
    }

    @Test("Data Manager: the request id of an accepted request is looked up at requestStatus:retrieve")
    func statusRequest() throws {
        let confirmer = try Self.confirmer()
        #expect(confirmer.requestID(in: Self.reply(200, #"{"requestId": "abc-123"}"#)) == "abc-123")
        #expect(confirmer.requestID(in: Self.reply(200, "{}")) == nil)
        let request = confirmer.statusRequest(requestID: "abc 123")
        #expect(request.method == "GET")
        #expect(request.url == "http://127.0.0.1:9/v1/requestStatus:retrieve?requestId=abc%20123")
        #expect(request.body.isEmpty)
    }

    @Test("Data Manager: validate_only ingests nothing, so nothing is confirmed")
    func validateOnlyHasNoConfirmer() throws {
        #expect(try GoogleDestination(GoogleFixtures.dataManagerSettings(["validate_only": .bool(true)])).confirmer == nil)
    }

    @Test("Data Manager statuses: SUCCESS, PROCESSING, PARTIAL_SUCCESS and FAILED with counts per reason")
    func statuses() throws {
        let confirmer = try Self.confirmer()
        func status(_ value: String, errors: String = "", records: String = #""eventsIngestionStatus": {"recordCount": "5"}"#) -> HTTPReply {
            Self.reply(200, #"{"requestStatusPerDestination": [{"destination": {}, "requestStatus": "\#(value)", \#(errors)\#(records)}]}"#)
        }
        let counts = #""errorInfo": {"errorCounts": [{"recordCount": "2", "reason": "PROCESSING_ERROR_REASON_INVALID_GCLID"}, {"recordCount": "1", "reason": "PROCESSING_ERROR_REASON_NO_CONSENT"}]}, "#
        #expect(confirmer.readStatus(status("SUCCESS")) == .confirmed)
        #expect(confirmer.readStatus(status("PROCESSING")) == .processing)
        let expected = RejectionCounts(
            byReason: ["PROCESSING_ERROR_REASON_INVALID_GCLID": 2, "PROCESSING_ERROR_REASON_NO_CONSENT": 1], recordCount: 5)
        #expect(confirmer.readStatus(status("PARTIAL_SUCCESS", errors: counts)) == .partlyRejected(expected))
        #expect(confirmer.readStatus(status("FAILED", errors: counts)) == .rejected(expected))
        #expect(expected.total == 3)
        #expect(expected.summary == "PROCESSING_ERROR_REASON_INVALID_GCLID 2, PROCESSING_ERROR_REASON_NO_CONSENT 1")
    }

    @Test("Data Manager lookup errors: throttling and 5xx are retried, auth and not-found refuse")
    func lookupErrors() throws {
        let confirmer = try Self.confirmer()
        let throttled = confirmer.readStatus(Self.reply(429, #"{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "Quota"}}"#))
        guard case .retry = throttled else { Issue.record("429 should be retried, got \(throttled)"); return }
        guard case .retry = confirmer.readStatus(Self.reply(503, "")) else { Issue.record("503 should be retried"); return }
        guard case .refused = confirmer.readStatus(Self.reply(401, #"{"error": {"code": 401, "status": "UNAUTHENTICATED"}}"#)) else {
            Issue.record("401 should refuse")
            return
        }
        guard case .refused = confirmer.readStatus(Self.reply(404, #"{"error": {"code": 404, "status": "NOT_FOUND"}}"#)) else {
            Issue.record("404 should refuse")
            return
        }
        guard case .retry = confirmer.readStatus(Self.reply(200, "{}")) else { Issue.record("an answer without statuses is retried"); return }
    }

    @Test("Meta: events_received below the events sent is a per-request diagnostic; equal is none")
    func metaMismatch() throws {
        let meta = try MetaDestination(DestinationSettings(name: "meta", kind: "meta", settings: ["pixel_id": .string("42"), "access_token": .string("tok-secret")]))
        let found = meta.diagnostics(of: Self.reply(200, #"{"events_received": 2, "fbtrace_id": "x"}"#), itemCount: 3)
        #expect(found == [DeliveryDiagnostic(kind: .eventsReceivedMismatch, code: "events_received", detail: "Meta acknowledged 2 of 3 events sent")])
        #expect(meta.diagnostics(of: Self.reply(200, #"{"events_received": 3}"#), itemCount: 3).isEmpty)
        #expect(meta.diagnostics(of: Self.reply(500, #"{"events_received": 1}"#), itemCount: 3).isEmpty)
    }

    @Test("Meta Dataset Quality: scores per event with match-key feedback; the token is only in the URL sent")
    func metaDatasetQuality() throws {
        let meta = try MetaDestination(
            DestinationSettings(name: "meta", kind: "meta", settings: ["pixel_id": .string("42"), "access_token": .string("tok-secret"), "base_url": .string("http://127.0.0.1:9")]))
        let source = try #require(meta.scoreSource)
        let request = source.scoreRequest(now: Self.now)
        #expect(request.method == "GET")
        #expect(request.url.hasPrefix("http://127.0.0.1:9/v26.0/dataset_quality?dataset_id=42&agent_name="))
        #expect(request.url.contains("access_token=tok-secret"))
        #expect(!request.auditURL.contains("tok-secret"))
        let body = #"""
            {"web": [{"event_name": "Purchase", "event_match_quality": {"composite_score": 8.3,
              "match_key_feedback": [{"identifier": "email", "coverage": {"percentage": 92.5},
                "potential_aly_acr_increase": {"percentage": 12.1, "description": "Send email"}}],
              "diagnostics": [{"name": "Server sending mismatched IP addresses", "solution": "Send the customer's IP"}]},
              "event_coverage": {"percentage": 80, "goal_percentage": 75}}]}
            """#
        guard case .scores(let scores) = source.readScores(Self.reply(200, body), destination: "meta", now: Self.now) else {
            Issue.record("expected scores")
            return
        }
        #expect(scores.count == 1)
        #expect(scores[0].eventName == "Purchase")
        #expect(scores[0].score == 8.3)
        #expect(scores[0].shownScore == "8.3 / 10")
        #expect(scores[0].matchKeys == [PlatformScore.MatchKey(identifier: "email", coveragePercent: 92.5, note: "potential +12.1 % conversions reported: Send email")])
        #expect(scores[0].recommendations.first == "Server sending mismatched IP addresses: Send the customer's IP")
    }

    @Test("Meta Dataset Quality errors: a missing permission and throttling are said as such, never a zero score")
    func metaDatasetQualityErrors() throws {
        let meta = try MetaDestination(DestinationSettings(name: "meta", kind: "meta", settings: ["pixel_id": .string("42"), "access_token": .string("tok-secret")]))
        let source = try #require(meta.scoreSource)
        let denied = source.readScores(Self.reply(403, #"{"error": {"code": 10, "message": "(#10) no permission"}}"#), destination: "meta", now: Self.now)
        guard case .notAvailable(.permissionMissing, let detail) = denied else { Issue.record("expected permission_missing, got \(denied)"); return }
        #expect(detail.contains("no permission"))
        let throttled = source.readScores(Self.reply(400, #"{"error": {"code": 4, "message": "limit"}}"#), destination: "meta", now: Self.now)
        guard case .notAvailable(.throttled, _) = throttled else { Issue.record("expected throttled"); return }
        let row = PlatformScore(day: "2026-12-07", destination: "meta", eventName: "*", availability: .permissionMissing, score: 0, fetchedAt: Self.now)
        #expect(row.score == nil)
        #expect(row.shownScore == "not available: permission missing")
    }

    @Test("Pinterest EQS: the overall status and each key's coverage per event type; 401 is a missing permission")
    func pinterestEventQuality() throws {
        let pinterest = try PinterestFixtures.destination(["base_url": .string("http://127.0.0.1:9")])
        let source = try #require(pinterest.scoreSource)
        let request = source.scoreRequest(now: Self.now)
        #expect(request.url == "http://127.0.0.1:9/v5/ad_accounts/\(PinterestFixtures.adAccountID)/conversion_eqs?lookback_period=14d&source_platform=WEB&ingestion_source=CONVERSIONS_API")
        #expect(request.headers.contains(HeaderPair("authorization", "Bearer \(PinterestFixtures.token)")))
        #expect(!request.auditURL.contains(PinterestFixtures.token))
        let body = #"""
            {"overall_status": "FAIR", "lookback_period": "14d", "quality_components": {
              "hashed_email": {"checkout": {"coverage": 71.5, "issues": []}},
              "ip_address": {"checkout": {"coverage": 20, "issues": [{"id": "LOW", "name": "Low coverage", "reason": "Send IP"}]}}}}
            """#
        guard case .scores(let scores) = source.readScores(Self.reply(200, body), destination: "pinterest", now: Self.now) else {
            Issue.record("expected scores")
            return
        }
        #expect(scores.map(\.eventName) == ["checkout"])
        #expect(scores[0].status == "FAIR")
        #expect(scores[0].score == nil)
        #expect(scores[0].matchKeys.map(\.identifier) == ["hashed_email", "ip_address"])
        #expect(scores[0].recommendations == ["ip_address: Low coverage: Send IP"])
        guard case .notAvailable(.permissionMissing, _) = source.readScores(Self.reply(401, #"{"code": 2, "message": "Authentication failed."}"#), destination: "pinterest", now: Self.now) else {
            Issue.record("401 should be permission_missing")
            return
        }
    }

    @Test("GA4: validation_sample_rate sends a copy to /debug/mp/collect and reads its messages without the secret")
    func ga4Sampler() throws {
        #expect(try GA4Fixtures.ga4().validationSampler == nil, "off by default")
        let ga4 = try GA4Fixtures.ga4(["validation_sample_rate": .number("0.25"), "base_url": .string("http://127.0.0.1:9")])
        let sampler = try #require(ga4.validationSampler)
        #expect(sampler.sampleRate == 0.25)
        let request = ga4.makeRequest(items: [EncodedJSON(bytes: Array(#"{"client_id":"1.2","events":[]}"#.utf8))], batchID: "b", now: Self.now)
        let copy = sampler.validationRequest(for: request)
        #expect(copy.url.hasPrefix("http://127.0.0.1:9/debug/mp/collect?measurement_id=\(GA4Fixtures.measurementID)&api_secret="))
        #expect(copy.body == request.body)
        #expect(!copy.auditURL.contains(GA4Fixtures.apiSecret))
        let messages = sampler.validationMessages(
            in: Self.reply(200, #"{"validationMessages": [{"fieldPath": "events[0].params.currency", "description": "bad \#(GA4Fixtures.apiSecret)", "validationCode": "VALUE_INVALID"}]}"#))
        #expect(messages?.map(\.code) == ["VALUE_INVALID"])
        #expect(messages?.first?.detail.contains(GA4Fixtures.apiSecret) == false)
        #expect(messages?.first?.detail.hasPrefix("events[0].params.currency: bad") == true)
        #expect(sampler.validationMessages(in: Self.reply(200, #"{"validationMessages": []}"#)) == [])
        #expect(sampler.validationMessages(in: Self.reply(503, "")) == nil)
    }

    @Test("GA4: validation_sample_rate outside 0...1 is refused with its key")
    func ga4SampleRateBounds() {
        #expect(throws: DestinationConfigError.self) { try GA4Fixtures.ga4(["validation_sample_rate": .number("1.5")]) }
        #expect(throws: DestinationConfigError.self) { try GA4Fixtures.ga4(["validation_sample_rate": .string("often")]) }
    }
}
