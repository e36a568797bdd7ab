import AsyncHTTPClient
import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
@testable import BridgeStore
import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// A known stream of events, through ingest, consent, enrichment, prepare and
/// delivery to the mock Meta endpoint and a sandbox, and the exact report it
/// must produce in every format.
///
/// The stream (hour 1 starts three hours ago, UTC-aligned):
///
/// | event | when | what | meta | sandbox |
/// |---|---|---|---|---|
/// | e1 | h1 +10 min | ann: email, phone, names, country, external id c-1, IP, UA, landing URL with fbclid | sent (clicks add fbclid + fbc) | sent |
/// | e2 | h1 +10 min | bob: email, IP, UA; the CRM knows bob | sent (crm adds phone, first name) | sent |
/// | e3 | h1 +20 min | external id c-1 only, IP | sent (graph adds email, phone, names, country from e1) | sent |
/// | e4 | h1 +10 min | carol: ad_user_data denied | suppressed (denied_consent_mode) | suppressed |
/// | e5 | h1 +10 min | dan: a test order | skipped, test (not counted) | sent, test (not counted) |
/// | e6 | h2 +5 min | erin: email, IP — Meta rejects it | dead-lettered after a 503 retry | sent |
/// | e7 | h2 +5 min | fay: email, GPC | sent limited after a 503 retry | sent limited |
/// | e8 | h2 +5 min | gus: email, UA | sent after a 503 retry | sent |
///
/// Latencies: h1 +10 min events are delivered 2 s after receipt, e3 2.56 s,
/// meta's hour-2 events 4 s (after the 503), the sandbox's 1 s — all exact
/// in the latency histogram (see `LatencyHistogram`).
@Suite("Match-quality report over a known fixture stream", .serialized)
struct MatchQualityFixtureTests {
    /// Runs the stream and returns the harness (still open) for reporting.
    static func runStream() async throws -> ReportFixtureHarness {
        let h = try await ReportFixtureHarness()
        h.enrichment.addProfile(
            IdentityDigests.linkDigest(.email, raw: "bob@example.com", region: nil) ?? "",
            .object(["phone": .string("+1 650 555 0102"), "first_name": .string("Bob")]))
        let ip = "203.0.113.7"
        let ua = "Mozilla/5.0 (fixture)"
        // Hour 1, +10 min
        h.time.set(h.at(minutes: 10))
        try await h.post([
            h.purchase(
                "e1",
                customer: [
                    "email": "ann@example.com", "phone": "+1 650 555 0101", "first_name": "Ann", "last_name": "Lee", "country": "US",
                    "external_id": "c-1",
                ],
                client: ["ip_address": ip, "user_agent": ua, "landing_url": "https://shop.example.com/p?fbclid=FbClickOne"]),
            h.purchase("e2", customer: ["email": "bob@example.com"], client: ["ip_address": ip, "user_agent": ua]),
            h.purchase(
                "e4", customer: ["email": "carol@example.com"], consent: ["ad_user_data": .string("denied"), "ad_personalization": .string("denied")]),
            h.purchase("e5", customer: ["email": "dan@example.com"], test: true),
        ])
        try await h.prepareAll()
        h.time.set(h.at(minutes: 10, seconds: 2))
        try await h.deliverDue()
        // Hour 1, +20 min: the same customer as e1, by external id only
        h.time.set(h.at(minutes: 20))
        try await h.post([h.purchase("e3", customer: ["external_id": "c-1"], client: ["ip_address": ip])])
        try await h.prepareAll()
        h.time.set(h.at(minutes: 20, seconds: 2, milliseconds: 560))
        try await h.deliverDue()
        // Hour 2, +5 min: Meta answers 503 once, then refuses e6
        h.time.set(h.at(minutes: 65))
        try await h.post([
            h.purchase("e6", customer: ["email": "erin@example.com"], client: ["ip_address": ip]),
            h.purchase(
                "e7", customer: ["email": "fay@example.com"],
                consent: ["ad_user_data": .string("granted"), "ad_personalization": .string("granted"), "gpc": .bool(true)]),
            h.purchase("e8", customer: ["email": "gus@example.com"], client: ["user_agent": ua]),
        ])
        try await h.prepareAll()
        h.meta.script(.status(503))
        h.meta.rejectEvents { $0 == "e6" }
        h.time.set(h.at(minutes: 65, seconds: 1))
        // One Meta request only (the 503): a retry's full-jitter backoff may be
        // zero, which would otherwise send again at this same instant.
        _ = try await h.runtime.pipeline.workers(for: "meta")?.deliverOnce(force: true)
        try await h.deliverDue(only: "sandbox")
        h.time.set(h.at(minutes: 65, seconds: 4))
        try await h.deliverDue()
        return h
    }

    static func report(_ h: ReportFixtureHarness, includeTest: Bool = false) async throws -> MatchQualityReport {
        let query = try MatchQualityReporting.query(
            since: h.firstHour.advanced(by: .seconds(-3600)).rfc3339, until: nil, period: "hour", destination: nil, eventName: nil,
            includeTest: includeTest, destinations: MatchQualityReporting.destinations(h.config), now: h.at(minutes: 120))
        let tally = try await h.store.matchQualityTally(query)
        return MatchQualityReport.build(tally, query: query, generatedAt: h.at(minutes: 120))
    }

    @Test("the stream settles as designed")
    func streamSettles() async throws {
        let h = try await Self.runStream()
        let states = try await h.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT destination, event_id, state, consent_action FROM deliveries ORDER BY destination, event_id").map {
                "\($0["destination"] as String)/\($0["event_id"] as String)=\($0["state"] as String):\($0["consent_action"] as String)"
            }
        }
        #expect(
            states == [
                "meta/e1=delivered:send", "meta/e2=delivered:send", "meta/e3=delivered:send", "meta/e4=suppressed:suppress",
                "meta/e5=skipped:send", "meta/e6=dead:send", "meta/e7=delivered:send_limited", "meta/e8=delivered:send",
                "sandbox/e1=delivered:send", "sandbox/e2=delivered:send", "sandbox/e3=delivered:send", "sandbox/e4=suppressed:suppress",
                "sandbox/e5=delivered:send", "sandbox/e6=delivered:send", "sandbox/e7=delivered:send_limited", "sandbox/e8=delivered:send",
            ])
        // The graph filled e3 from e1: Meta received e1's hashed e-mail on e3
        let e1 = try #require(h.meta.received.flatMap(\.events).first { $0["event_id"]?.stringValue == "e1" })
        let e3 = try #require(h.meta.received.flatMap(\.events).first { $0["event_id"]?.stringValue == "e3" })
        #expect(e3["user_data"]?["em"] == e1["user_data"]?["em"])
        #expect(e3["user_data"]?["ph"] == e1["user_data"]?["ph"])
        #expect(e1["user_data"]?["fbc"]?.stringValue?.hasSuffix(".FbClickOne") == true)
        // The graph learned from events sent without restriction only: not from
        // carol (suppressed) nor fay (GPC: limited everywhere)
        let learned = Set(
            try await h.store.pool.read { db in try String.fetchAll(db, sql: "SELECT digest FROM identity_keys WHERE kind = 'email'") })
        let digest = { (email: String) in IdentityDigests.linkDigest(.email, raw: email, region: nil) ?? "" }
        #expect(learned.contains(digest("ann@example.com")) && learned.contains(digest("gus@example.com")))
        #expect(!learned.contains(digest("carol@example.com")) && !learned.contains(digest("fay@example.com")))
        await h.close()
    }

    /// The meta series' expected estimated scores, from the model: per event, with and without what enrichment added.
    static func expectedMetaScores() -> (hour1: (Double, Double), hour2: (Double, Double), total: (Double, Double)) {
        let m = MatchQualityModel.meta
        func s(_ keys: IdentifierKey...) -> Double { m.score(IdentifierSet(keys).mask) }
        let e1 = s(.email, .phone, .firstName, .lastName, .country, .externalID, .ipAddress, .userAgent, .fbclid, .fbc)
        let e1Own = s(.email, .phone, .firstName, .lastName, .country, .externalID, .ipAddress, .userAgent)
        let e2 = s(.email, .ipAddress, .userAgent, .phone, .firstName)
        let e2Own = s(.email, .ipAddress, .userAgent)
        let e3 = s(.externalID, .ipAddress, .email, .phone, .firstName, .lastName, .country)
        let e3Own = s(.externalID, .ipAddress)
        let e7 = s(.email)
        let e8 = s(.email, .userAgent)
        return (
            ((e1 + e2 + e3) / 3, (e1Own + e2Own + e3Own) / 3), ((e7 + e8) / 2, (e7 + e8) / 2),
            ((e1 + e2 + e3 + e7 + e8) / 5, (e1Own + e2Own + e3Own + e7 + e8) / 5)
        )
    }

    @Test("exact numbers: JSON")
    func json() async throws {
        let h = try await Self.runStream()
        let json = try await Self.report(h).json()
        let timeline = try await h.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT destination, event_id, received_at_ms, delivered_at_ms, attempts FROM deliveries ORDER BY 1, 2").map { "\($0)" }
        }
        await h.close()
        let scores = Self.expectedMetaScores()
        #expect(ReportRecommendation.fixed(scores.hour1.0, places: 2) == "8.90")
        #expect(ReportRecommendation.fixed(scores.total.0, places: 2) == "7.78")
        let meta = try #require(json["series"]?[0])
        #expect(meta["destination"] == .string("meta") && meta["event_name"] == .string("Purchase") && meta["score_model"] == .string("meta-v1"))
        let total = try #require(meta["total"])
        let counts = ["received", "sent", "sent_limited", "pending", "suppressed", "skipped", "dead_lettered", "retried"].map { total[$0] }
        #expect(counts == ["7", "5", "1", "0", "1", "0", "1", "3"].map { Optional(JSONValue.number($0)) })
        #expect(total["suppressed_by_reason"] == .object(["denied_consent_mode": .number("1")]))
        #expect(total["dead_letters_by_code"] == .object(["invalid_parameters": .number("1")]))
        let coverage = ["email": 5, "phone": 3, "first_name": 3, "last_name": 2, "country": 2, "external_id": 2, "ip_address": 3, "user_agent": 3, "fbclid": 1, "fbc": 1, "fbp": 0]
        for (key, events) in coverage {
            #expect(total["coverage"]?[key]?["events"] == .number(String(events)), "\(key)")
            #expect(total["coverage"]?[key]?["share"] == .number(ReportRecommendation.fixed(Double(events) / 5, places: 4)), "\(key)")
        }
        #expect(total["enrichment"] == .object([
            "added": .object(["email": .number("1"), "phone": .number("2"), "first_name": .number("2"), "last_name": .number("1"), "country": .number("1"), "fbclid": .number("1"), "fbc": .number("1")]),
            "by_provider": .object([
                "clicks": .object(["fbclid": .number("1"), "fbc": .number("1")]),
                "crm": .object(["phone": .number("1"), "first_name": .number("1")]),
                "graph": .object(["email": .number("1"), "phone": .number("1"), "first_name": .number("1"), "last_name": .number("1"), "country": .number("1")]),
            ]),
        ]))
        #expect(total["score"] == .number("7.78"))
        #expect(total["score_without_enrichment"] == .number(ReportRecommendation.fixed(scores.total.1, places: 2)))
        #expect(
            total["latency_ms"] == .object(["p50": .number("2560"), "p95": .number("4000"), "p99": .number("4000"), "delivered": .number("5")]),
            "\(timeline)")
        let hours = try #require(meta["periods"]?.arrayValue)
        #expect(hours.map { $0["received"] } == [.number("4"), .number("3")])
        #expect(hours.map { $0["sent"] } == [.number("3"), .number("2")])
        #expect(hours.map { $0["retried"] } == [.number("0"), .number("3")])
        #expect(hours.map { $0["score"] } == [.number("8.90"), .number("6.10")])
        #expect(hours.map { $0["score_without_enrichment"] } == [.number("6.57"), .number("6.10")])
        #expect(hours.map { $0["latency_ms"]?["p95"] } == [.number("2560"), .number("4000")])
        let ranked = try #require(meta["recommendations"]?.arrayValue)
        #expect(ranked.map { $0["kind"]?.stringValue ?? "" } == ["dead_letters", "identifier", "identifier", "identifier", "identifier", "identifier"])
        #expect(ranked.compactMap { $0["identifiers"]?[0]?.stringValue } == ["fbc", "phone", "first_name", "external_id", "fbp"])
        #expect(ranked[1]["share"] == .number("0.8000"))
        let sandbox = try #require(json["series"]?[1]?["total"])
        let sandboxCounts = ["received", "sent", "sent_limited", "suppressed", "dead_lettered", "retried"].map { sandbox[$0] }
        #expect(sandboxCounts == ["7", "6", "1", "1", "0", "0"].map { Optional(JSONValue.number($0)) })
        #expect(sandbox["score"] == .null)
        #expect(sandbox["latency_ms"] == .object(["p50": .number("1000"), "p95": .number("2560"), "p99": .number("2560"), "delivered": .number("6")]))
        #expect(json["series"]?.arrayValue?.count == 2)
    }

    @Test("exact numbers: CSV, every row and column")
    func csv() async throws {
        let h = try await Self.runStream()
        let csv = try await Self.report(h).csv()
        let first = h.at(minutes: 0).rfc3339
        let second = h.at(minutes: 60).rfc3339
        await h.close()
        let expected = [
            "destination,event_name,platform,score_model,period_start,received,sent,sent_limited,pending,suppressed,skipped,dead_lettered,retried,score,score_without_enrichment,latency_p50_ms,latency_p95_ms,latency_p99_ms,with_email,with_phone,with_first_name,with_last_name,with_city,with_postal_code,with_country,with_date_of_birth,with_gender,with_external_id,with_ip_address,with_user_agent,with_fbclid,with_fbc,with_fbp,enriched_email,enriched_phone,enriched_first_name,enriched_last_name,enriched_city,enriched_postal_code,enriched_country,enriched_date_of_birth,enriched_gender,enriched_external_id,enriched_ip_address,enriched_user_agent,enriched_fbclid,enriched_fbc,enriched_fbp,enriched_by_clicks_fbclid,enriched_by_clicks_fbc,enriched_by_crm_phone,enriched_by_crm_first_name,enriched_by_graph_email,enriched_by_graph_phone,enriched_by_graph_first_name,enriched_by_graph_last_name,enriched_by_graph_country,suppressed_denied_consent_mode,dead_invalid_parameters",
            "meta,Purchase,meta,meta-v1,\(first),4,3,0,0,1,0,0,0,8.90,6.57,2000,2560,2560,3,3,3,2,0,0,2,0,0,2,3,2,1,1,0,1,2,2,1,0,0,1,0,0,0,0,0,1,1,0,1,1,1,1,1,1,1,1,1,1,0",
            "meta,Purchase,meta,meta-v1,\(second),3,2,1,0,0,0,1,3,6.10,6.10,4000,4000,4000,2,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1",
            "meta,Purchase,meta,meta-v1,total,7,5,1,0,1,0,1,3,7.78,6.38,2560,4000,4000,5,3,3,2,0,0,2,0,0,2,3,3,1,1,0,1,2,2,1,0,0,1,0,0,0,0,0,1,1,0,1,1,1,1,1,1,1,1,1,1,1",
            "sandbox,Purchase,meta,,\(first),4,3,0,0,1,0,0,0,,,2000,2560,2560,3,3,3,2,0,0,2,0,0,2,3,2,1,1,0,1,2,2,1,0,0,1,0,0,0,0,0,1,1,0,1,1,1,1,1,1,1,1,1,1,0",
            "sandbox,Purchase,meta,,\(second),3,3,1,0,0,0,0,0,,,1000,1000,1000,3,0,0,0,0,0,0,0,0,0,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "sandbox,Purchase,meta,,total,7,6,1,0,1,0,0,0,,,1000,2560,2560,6,3,3,2,0,0,2,0,0,2,4,3,1,1,0,1,2,2,1,0,0,1,0,0,0,0,0,1,1,0,1,1,1,1,1,1,1,1,1,1,0",
        ]
        #expect(csv == expected.joined(separator: "\r\n") + "\r\n")
    }

    @Test("exact numbers: table and HTML")
    func tableAndHTML() async throws {
        let h = try await Self.runStream()
        let report = try await Self.report(h)
        let first = h.at(minutes: 0).rfc3339
        await h.close()
        let lines = report.table().split(separator: "\n").map(String.init)
        for line in [
            "== meta · Purchase (platform meta, model meta-v1)",
            "received 7  sent 5 (limited 1)  pending 0  suppressed 1  skipped 0  dead-lettered 1  retried 3",
            "suppressed by consent: denied_consent_mode 1",
            "dead-lettered: invalid_parameters 1",
            "estimated score 7.8 / 10 (6.4 without enrichment)   latency p50 2.6 s  p95 4.0 s  p99 4.0 s",
            "email                    5    100%   1 (20%)  graph 1",
            "phone                    3     60%   2 (40%)  crm 1, graph 1",
            "fbc                      1     20%   1 (20%)  clicks 1",
            "\(first)          4      3       0      1     0       0    8.9     2.6 s",
            "== sandbox · Purchase (platform meta)",
            "received 7  sent 6 (limited 1)  pending 0  suppressed 1  skipped 0  dead-lettered 0  retried 0",
        ] {
            #expect(lines.contains(line), "missing line: \(line)")
        }
        let html = report.html()
        for fragment in [
            "<b>7.8 / 10</b><span>estimated score (6.4 without enrichment)</span>", "<b>7</b><span>received</span>",
            "<b>5</b><span>sent (1 limited)</span>", "<b>1</b><span>suppressed by consent</span>", "<b>1</b><span>dead-lettered</span>",
            "<b>3</b><span>retried</span>", "<b>4.0 s</b><span>latency p95 (p50 2.6 s, p99 4.0 s)</span>",
            "<tr><td>phone</td><td>0</td><td>1</td><td>1</td><td>2 (40% of sent)</td></tr>",
        ] {
            #expect(html.contains(fragment), "missing: \(fragment)")
        }
    }

    @Test("test events are counted only when asked for")
    func includeTest() async throws {
        let h = try await Self.runStream()
        let report = try await Self.report(h, includeTest: true)
        await h.close()
        let meta = report.series[0].total.tally
        let sandbox = report.series[1].total.tally
        #expect([meta.received, meta.sent, meta.skipped] as [Int] == [8, 5, 1])
        #expect(meta.skippedByReason == ["test_event": 1])
        #expect([sandbox.received, sandbox.sent] as [Int] == [8, 7])
    }

    @Test("the admin route serves the same report as JSON, CSV and HTML, and refuses without the token")
    func route() async throws {
        let h = try await Self.runStream()
        h.time.set(h.at(minutes: 120))
        let expected = try await Self.report(h)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let served = Application(
            router: buildRouter(h.runtime.components), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: {
                var logger = Logger(label: "report-route")
                logger.logLevel = .critical
                return logger
            }())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await served.runService() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let since = h.firstHour.advanced(by: .seconds(-3600)).rfc3339
            func get(_ format: String, token: String? = ReportFixtureHarness.adminToken) async throws -> (Int, String, String) {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/reports/match-quality?since=\(since)&period=hour&format=\(format)")
                if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
                let response = try await client.execute(request, timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1 << 22)
                return (Int(response.status.code), response.headers.first(name: "content-type") ?? "", String(buffer: body))
            }
            let (status, type, body) = try await get("json")
            #expect(status == 200 && type == "application/json")
            #expect(try JSONParser.parse(body) == expected.json())
            let csv = try await get("csv")
            #expect(csv.0 == 200 && csv.1.hasPrefix("text/csv") && csv.2 == expected.csv())
            let html = try await get("html")
            #expect(html.0 == 200 && html.1.hasPrefix("text/html") && html.2 == expected.html())
            #expect(try await get("json", token: nil).0 == 401)
            #expect(try await get("xml").0 == 400)
            group.cancelAll()
        }
        try? await client.shutdown()
        await h.close()
    }
}
