@testable import BridgeCore
import Testing

/// A small, hand-checked set of delivery rows (see the comments for the arithmetic).
enum ReportFixture {
    static let day1 = Timestamp(rfc3339: "2026-03-10T10:00:00Z")!.millisecondsSinceEpoch
    static let day2 = Timestamp(rfc3339: "2026-03-11T08:00:00Z")!.millisecondsSinceEpoch

    static func mask(_ keys: IdentifierKey...) -> Int64 { IdentifierSet(keys).mask }

    static let query = ReportQuery(
        since: Timestamp(rfc3339: "2026-03-10T00:00:00Z")!, until: Timestamp(rfc3339: "2026-03-12T00:00:00Z")!, period: .day,
        destinations: [
            "meta": ReportDestination(name: "meta", kind: "meta", platform: .meta),
            "sandbox": ReportDestination(name: "sandbox", kind: "sandbox", platform: .meta),
        ])

    static let rows: [DeliveryReportRow] = [
        DeliveryReportRow(
            destination: "meta", eventName: "Purchase", receivedAtMS: day1, state: .delivered, identifiers: mask(.email, .ipAddress, .userAgent),
            deliveredAtMS: day1 + 2000),
        DeliveryReportRow(
            destination: "meta", eventName: "Purchase", receivedAtMS: day1, state: .delivered, limited: true,
            identifiers: mask(.email, .phone, .ipAddress), enriched: mask(.phone), enrichedBy: "graph=2", deliveredAtMS: day1 + 1000),
        DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: day1, state: .suppressed, reason: "unknown_region"),
        DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: day1, state: .dead, reason: "invalid_parameters", attempts: 3),
        DeliveryReportRow(
            destination: "meta", eventName: "Purchase", receivedAtMS: day2, state: .delivered, attempts: 1, identifiers: mask(.phone, .fbc),
            enriched: mask(.fbc), enrichedBy: "clicks=16384", deliveredAtMS: day2 + 64),
        DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: day2, state: .pending, identifiers: mask(.email)),
        DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: day2, state: .skipped, reason: "no_identifier"),
        DeliveryReportRow(
            destination: "meta", eventName: "Refund", receivedAtMS: day2, state: .delivered, identifiers: mask(.email), deliveredAtMS: day2 + 100),
        DeliveryReportRow(
            destination: "sandbox", eventName: "Purchase", receivedAtMS: day1, state: .delivered, identifiers: mask(.email, .ipAddress),
            deliveredAtMS: day1 + 5),
    ]

    static var report: MatchQualityReport {
        var accumulator = ReportAccumulator(query: query)
        for row in rows { accumulator.add(row) }
        return MatchQualityReport.build(accumulator.tally, query: query, generatedAt: Timestamp(rfc3339: "2026-03-12T01:00:00Z")!)
    }
}

@Suite("Match-quality report")
struct MatchQualityReportTests {
    @Test("counts, coverage, enrichment uplift, scores and latency of a series")
    func totals() throws {
        let report = ReportFixture.report
        #expect(report.series.map { "\($0.destination)/\($0.eventName)" } == ["meta/Purchase", "meta/Refund", "sandbox/Purchase"])
        let purchase = report.series[0]
        let t = purchase.total.tally
        #expect([t.received, t.sent, t.sentLimited, t.pending, t.suppressed, t.skipped, t.deadLettered, t.retried] == [7, 3, 1, 1, 1, 1, 1, 2])
        #expect(t.suppressedByReason == ["unknown_region": 1])
        #expect(t.skippedByReason == ["no_identifier": 1])
        #expect(t.deadByCode == ["invalid_parameters": 1])
        #expect([t.coverage(.email), t.coverage(.phone), t.coverage(.ipAddress), t.coverage(.userAgent), t.coverage(.fbc)] == [2, 2, 2, 1, 1])
        #expect([t.enriched(.phone), t.enriched(.fbc)] == [1, 1])
        #expect(t.enrichedByProvider["graph"]?[IdentifierKey.phone.rawValue] == 1)
        #expect(t.enrichedByProvider["clicks"]?[IdentifierKey.fbc.rawValue] == 1)
        #expect(purchase.providers == ["clicks", "graph"])
        // Scores: (6.998 + 8.262 + 6.425) / 3 with enrichment; (6.998 + 6.84 + 4.5) / 3 without.
        let score = try #require(purchase.total.score)
        let without = try #require(purchase.total.scoreWithoutEnrichment)
        #expect(abs(score - 21.685 / 3) < 1e-9)
        #expect(abs(without - 18.338 / 3) < 1e-9)
        #expect(purchase.total.latency == LatencySummary(p50: 1000, p95: 2000, p99: 2000, count: 3))
        #expect(purchase.periods.map { $0.periodStart?.rfc3339 } == ["2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"])
        #expect(purchase.periods.map(\.tally.received) == [4, 3])
        #expect(report.series[2].model == nil && report.series[2].total.score == nil, "no score for a sandbox")
    }

    @Test("recommendations are ranked by estimated effect and say it in plain words")
    func recommendations() throws {
        let purchase = ReportFixture.report.series[0]
        let items = purchase.recommendations
        #expect(!items.isEmpty)
        #expect(items.map(\.priority) == items.map(\.priority).sorted(by: >))
        let identifiers = items.filter { $0.kind == .identifier }
        #expect(identifiers.allSatisfy { ($0.scoreLift ?? 0) >= ReportRecommendation.minimumLift })
        // Phone is missing on 1 of 3 sent events (r1): lift = (score(r1 + phone) − score(r1)) / 3
        let model = MatchQualityModel.meta
        let r1 = ReportFixture.mask(.email, .ipAddress, .userAgent)
        let phone = try #require(identifiers.first { $0.identifiers == [.phone] })
        #expect(abs((phone.scoreLift ?? 0) - (model.score(r1 | IdentifierKey.phone.bit) - model.score(r1)) / 3) < 1e-9)
        #expect(abs(phone.share - 1.0 / 3) < 1e-9)
        #expect(phone.text.hasPrefix("Send phone: 33% of Purchase events sent to meta lack it;"))
        #expect(items.contains { $0.kind == .deadLetters && $0.text.contains("invalid_parameters") })
        #expect(items.contains { $0.kind == .consentConfiguration && $0.text.contains("country was unknown") })
    }

    @Test("JSON carries every number, exactly")
    func json() throws {
        let json = ReportFixture.report.json()
        #expect(json["score_note"]?.stringValue == MatchQualityReport.estimateNote)
        let total = try #require(json["series"]?[0]?["total"])
        #expect(total["received"] == .number("7"))
        #expect(total["sent_limited"] == .number("1"))
        #expect(total["suppressed_by_reason"] == .object(["unknown_region": .number("1")]))
        #expect(total["coverage"]?["phone"] == .object(["events": .number("2"), "share": .number("0.6667")]))
        #expect(total["enrichment"] == .object([
            "added": .object(["phone": .number("1"), "fbc": .number("1")]),
            "by_provider": .object(["graph": .object(["phone": .number("1")]), "clicks": .object(["fbc": .number("1")])]),
        ]))
        #expect(total["score"] == .number("7.23"))
        #expect(total["score_without_enrichment"] == .number("6.11"))
        #expect(total["latency_ms"] == .object(["p50": .number("1000"), "p95": .number("2000"), "p99": .number("2000"), "delivered": .number("3")]))
        #expect(json["series"]?[0]?["periods"]?[1]?["period_start"] == .string("2026-03-11T00:00:00Z"))
        #expect(json["series"]?[2]?["total"]?["score"] == .null)
    }

    @Test("CSV: one row per period and a total row per series, dynamic columns for what occurs")
    func csv() throws {
        let lines = ReportFixture.report.csv().split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "")
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.prefix(5) == ["destination", "event_name", "platform", "score_model", "period_start"])
        #expect(header.contains("with_phone") && header.contains("enriched_by_graph_phone") && header.contains("suppressed_unknown_region"))
        #expect(header.contains("dead_invalid_parameters") && header.contains("skipped_no_identifier"))
        let rows = lines.dropFirst().dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2 + 1 + 1 + 1 + 1 + 1)  // meta/Purchase 2 periods + total, meta/Refund 1 + total, sandbox 1 + total
        func value(_ row: [String], _ column: String) -> String { row[header.firstIndex(of: column)!] }
        let total = try #require(rows.first { $0[0] == "meta" && $0[1] == "Purchase" && $0[4] == "total" })
        #expect(value(total, "received") == "7")
        #expect(value(total, "sent") == "3")
        #expect(value(total, "retried") == "2")
        #expect(value(total, "score") == "7.23")
        #expect(value(total, "latency_p95_ms") == "2000")
        #expect(value(total, "with_phone") == "2")
        #expect(value(total, "enriched_by_clicks_fbc") == "1")
        let sandbox = try #require(rows.first { $0[0] == "sandbox" && $0[4] == "total" })
        #expect(value(sandbox, "score") == "")
        #expect(value(sandbox, "score_model") == "")
    }

    @Test("CSV neutralizes spreadsheet formulas and quotes separators")
    func csvEscaping() {
        #expect(MatchQualityReport.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(MatchQualityReport.csvField("a,b") == "\"a,b\"")
        #expect(MatchQualityReport.csvField("-12") == "-12")
        #expect(MatchQualityReport.csvField("Purchase") == "Purchase")
    }

    @Test("the table shows every section in fixed-width text")
    func table() {
        let text = ReportFixture.report.table()
        #expect(text.contains("== meta · Purchase (platform meta, model meta-v1)"))
        #expect(text.contains("received 7  sent 3 (limited 1)  pending 1  suppressed 1  skipped 1  dead-lettered 1  retried 2"))
        #expect(text.contains("estimated score 7.2 / 10 (6.1 without enrichment)"))
        #expect(text.contains("latency p50 1.0 s  p95 2.0 s  p99 2.0 s"))
        #expect(text.contains("phone                    2     67%   1 (33%)  graph 1"))
        #expect(text.contains("no score (not an ad platform with a score model)"))
        #expect(text.contains("not the platforms' own"))
    }

    @Test("the HTML page is self-contained: inline CSS and SVG, no scripts, no external assets; text is escaped")
    func html() {
        var rows = ReportFixture.rows
        rows.append(DeliveryReportRow(destination: "meta", eventName: "<script>alert(1)</script>", receivedAtMS: ReportFixture.day1, state: .pending))
        var accumulator = ReportAccumulator(query: ReportFixture.query)
        for row in rows { accumulator.add(row) }
        let page = MatchQualityReport.build(accumulator.tally, query: ReportFixture.query, generatedAt: ReportFixture.query.until).html()
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<style>") && page.contains("<svg"))
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        for external in ["src=", "<link", "@import", "url(", "href=\"http"] { #expect(!page.contains(external), "found \(external)") }
        #expect(page.contains("Estimated scores."))
        #expect(page.contains("7.2 / 10"))
    }

    @Test("windows and periods: durations back from now, RFC 3339, UTC-aligned periods")
    func queryParsing() {
        let now = Timestamp(rfc3339: "2026-03-12T12:34:56Z")!
        #expect(ReportQuery.instant("7d", now: now) == Timestamp(rfc3339: "2026-03-05T12:34:56Z"))
        #expect(ReportQuery.instant("36h", now: now) == Timestamp(rfc3339: "2026-03-11T00:34:56Z"))
        #expect(ReportQuery.instant("90m", now: now) == Timestamp(rfc3339: "2026-03-12T11:04:56Z"))
        #expect(ReportQuery.instant("2026-03-01T00:00:00Z", now: now) == Timestamp(rfc3339: "2026-03-01T00:00:00Z"))
        #expect(ReportQuery.instant("7x", now: now) == nil)
        #expect(ReportQuery.instant("-1d", now: now) == nil)
        #expect(ReportPeriod.day.start(of: now.millisecondsSinceEpoch) == Timestamp(rfc3339: "2026-03-12T00:00:00Z")!.millisecondsSinceEpoch)
        #expect(ReportPeriod.hour.start(of: now.millisecondsSinceEpoch) == Timestamp(rfc3339: "2026-03-12T12:00:00Z")!.millisecondsSinceEpoch)
        #expect(ReportQuery.defaultPeriod(since: ReportQuery.instant("2d", now: now)!, until: now) == .hour)
        #expect(ReportQuery.defaultPeriod(since: ReportQuery.instant("3d", now: now)!, until: now) == .day)
    }
}
