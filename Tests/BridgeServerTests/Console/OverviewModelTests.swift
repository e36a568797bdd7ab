import BridgeCore
import BridgeStore
import Testing

@testable import BridgeServer

@Suite("Console overview view model")
struct OverviewModelTests {
    static let now = Timestamp(secondsSinceEpoch: 1_800_000_000)

    static func report(_ rows: [DeliveryReportRow], days: Int64) -> MatchQualityReport {
        let query = ReportQuery(since: now.advanced(by: .seconds(-days * 86_400)), until: now, period: .day)
        var accumulator = ReportAccumulator(query: query)
        for row in rows { accumulator.add(row) }
        return MatchQualityReport.build(accumulator.tally, query: query, generatedAt: now)
    }

    @Test("counts each destination's deliveries per window, with suppression and skip reasons, and the daily trend")
    func windows() {
        let day: Int64 = 86_400_000
        let base = Self.now.millisecondsSinceEpoch
        let rows = [
            DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: base - 1000, state: .delivered, deliveredAtMS: base - 500),
            DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: base - 2 * day, state: .delivered, deliveredAtMS: base - 2 * day + 2000),
            DeliveryReportRow(destination: "meta", eventName: "Lead", receivedAtMS: base - 2000, state: .suppressed, reason: "denied"),
            DeliveryReportRow(destination: "google", eventName: "Purchase", receivedAtMS: base - 3000, state: .skipped, reason: "no_click_id"),
            DeliveryReportRow(destination: "google", eventName: "Purchase", receivedAtMS: base - 4000, state: .dead, reason: "invalid"),
        ]
        let recent = Self.report(rows.filter { $0.receivedAtMS > base - day }, days: 1)
        let month = Self.report(rows, days: 30)
        let destinations = [
            DestinationOverview(name: "meta", kind: "meta", pending: 0, dead: 0, oldestPendingAgeSeconds: nil, instances: []),
            DestinationOverview(name: "google", kind: "google", pending: 2, dead: 150, oldestPendingAgeSeconds: 7200, instances: []),
        ]
        let model = OverviewModel(
            destinations: destinations, windows: [("24 h", recent, nil), ("1 day", month, Self.now.advanced(by: .seconds(-86_400))), ("30 d", month, nil)],
            trend: month, deadLetterThreshold: 100,
            oldestUndeliveredSeconds: 3600)
        #expect(model.rows.map(\.name) == ["meta", "google"])
        #expect(model.rows[0].windows.map(\.delivered) == [1, 1, 2])
        #expect(model.rows[0].windows[0].suppressedByReason == ["denied": 1])
        #expect(model.rows[1].windows[2].skippedByReason == ["no_click_id": 1])
        #expect(model.rows[1].windows[2].deadLettered == 1)
        #expect(model.rows[0].windows[2].p95Milliseconds != nil)
        #expect(model.trend.reduce(0) { $0 + $1.delivered } == 2)
        #expect(model.alerts == ["google: 150 dead letters (threshold 100)", "google: oldest undelivered event waiting 2 h 0 min"])
        let html = model.html.text
        #expect(html.contains("<svg class=\"chart\" role=\"img\""))
        #expect(html.contains("<title id=\"trend-svg-title\">"))
        #expect(html.contains("<desc id=\"trend-svg-desc\">"))
    }

    @Test("lists the monitor's other raised alerts after the store-derived ones, oldest first, without repeating those")
    func raisedAlerts() {
        let destinations = [DestinationOverview(name: "meta", kind: "meta", pending: 0, dead: 120, oldestPendingAgeSeconds: nil, instances: [])]
        let empty = Self.report([], days: 1)
        let raised = [
            Alert(subject: .destination("meta"), condition: .deliverySLOBreached, startedAt: Self.now.advanced(by: .seconds(-60)), detail: "p95 2.1 s over 1.5 s"),
            Alert(destination: "meta", condition: .deadLettersAboveThreshold, startedAt: Self.now.advanced(by: .seconds(-300)), detail: "120 dead letters"),
            Alert(subject: .source("shop"), condition: .sourceSilent, startedAt: Self.now.advanced(by: .seconds(-600)), detail: "no webhook for 45 min"),
        ]
        let model = OverviewModel(
            destinations: destinations, windows: [("24 h", empty, nil)], trend: empty, deadLetterThreshold: 100, oldestUndeliveredSeconds: 3600,
            raised: raised)
        #expect(
            model.alerts == [
                "meta: 120 dead letters (threshold 100)",
                "shop: source silent since \(Self.now.advanced(by: .seconds(-600)).rfc3339) (no webhook for 45 min)",
                "meta: delivery slo breached since \(Self.now.advanced(by: .seconds(-60)).rfc3339) (p95 2.1 s over 1.5 s)",
            ])
        #expect(model.html.text.contains("shop: source silent since"))
    }

    @Test("ages read as seconds, minutes, hours or days")
    func ages() {
        #expect(OverviewModel.age(42) == "42 s")
        #expect(OverviewModel.age(17 * 60) == "17 min")
        #expect(OverviewModel.age(3 * 3600 + 300) == "3 h 5 min")
        #expect(OverviewModel.age(2 * 86_400 + 4 * 3600) == "2 d 4 h")
    }
}

@Suite("Console match-quality view")
struct MatchQualityViewTests {
    @Test("one section per destination and event with its counts and coverage; an empty report says so")
    func sections() {
        let base = OverviewModelTests.now.millisecondsSinceEpoch
        let rows = [
            DeliveryReportRow(
                destination: "meta", eventName: "Purchase", receivedAtMS: base - 1000, state: .delivered,
                identifiers: IdentifierKey.email.bit | IdentifierKey.phone.bit, deliveredAtMS: base - 500),
            DeliveryReportRow(destination: "meta", eventName: "Purchase", receivedAtMS: base - 2000, state: .pending),
            DeliveryReportRow(destination: "tiktok", eventName: "<Lead>", receivedAtMS: base - 3000, state: .delivered, deliveredAtMS: base - 100),
        ]
        let html = MatchQualityView.html(OverviewModelTests.report(rows, days: 1)).text
        #expect(html.contains("data-destination=\"meta\" data-event=\"Purchase\""))
        #expect(html.contains("data-destination=\"tiktok\" data-event=\"&lt;Lead&gt;\""))
        #expect(html.contains("<dd data-count=\"received\">2</dd>"))
        #expect(html.contains("<dd data-count=\"sent\">1</dd>"))
        #expect(!html.contains("<Lead>"))
        #expect(MatchQualityView.html(OverviewModelTests.report([], days: 1)).text.contains("No deliveries"))
    }

    @Test("the platforms' own scores sit beside the estimate; an unavailable one says why and never shows a zero")
    func platformScores() {
        let base = OverviewModelTests.now.millisecondsSinceEpoch
        let rows = [
            DeliveryReportRow(
                destination: "meta", eventName: "Purchase", receivedAtMS: base - 1000, state: .delivered,
                identifiers: IdentifierKey.email.bit | IdentifierKey.phone.bit, deliveredAtMS: base - 500)
        ]
        var report = OverviewModelTests.report(rows, days: 1)
        #expect(!MatchQualityView.html(report).text.contains("platform-scores"))
        report.feedback = PlatformFeedback(scores: [
            PlatformScore(
                day: "2027-01-15", destination: "meta", eventName: "Purchase", availability: .available, score: 8.3,
                matchKeys: [.init(identifier: "em", coveragePercent: 92, note: "<good>")], recommendations: ["Send fbp"],
                fetchedAt: OverviewModelTests.now),
            PlatformScore(
                day: "2027-01-15", destination: "pinterest", eventName: "checkout", availability: .permissionMissing,
                detail: "token lacks ads:read", fetchedAt: OverviewModelTests.now),
        ])
        let html = MatchQualityView.html(report).text
        #expect(html.contains("id=\"platform-scores\""))
        #expect(html.contains("<td class=\"num\" data-platform-score>8.3 / 10</td>"))
        #expect(html.contains("em: 92.0 %, &lt;good&gt;") || html.contains("em: 92 %, &lt;good&gt;"))
        #expect(html.contains("<li>Send fbp</li>"))
        #expect(html.contains(PlatformScore.Availability.permissionMissing.text))
        #expect(html.contains("token lacks ads:read"))
        #expect(!html.contains("data-platform-score>0"))
    }
}
