@testable import BridgeCore
import Testing

/// The platforms' own scores beside the bridge's estimate, confirmation
/// counts and diagnostics in every rendering of the match-quality report.
@Suite("Platform feedback in the match-quality report")
struct PlatformFeedbackReportTests {
    static let fetched = Timestamp(rfc3339: "2026-03-11T06:00:00Z")!

    static var report: MatchQualityReport {
        var report = ReportFixture.report
        report.feedback = PlatformFeedback(
            confirmations: ["google": ConfirmationCounts(sent: 5, awaiting: 0, confirmed: 3, rejectedLater: 2, inPartlyRejectedRequests: 5)],
            diagnostics: [
                DiagnosticTally(
                    destination: "ga4", kind: .validationMessage, code: "VALUE_INVALID", count: 2, lastDetail: "events[0].params.currency: bad",
                    lastAt: fetched)
            ],
            scores: [
                PlatformScore(
                    day: "2026-03-11", destination: "meta", eventName: "Purchase", availability: .available, score: 8.3,
                    matchKeys: [.init(identifier: "email", coveragePercent: 92.5, note: "potential +12.1 % conversions reported")],
                    recommendations: ["Server sending mismatched IP addresses"], fetchedAt: fetched),
                PlatformScore(
                    day: "2026-03-11", destination: "pinterest", eventName: "*", availability: .permissionMissing, score: 0,
                    detail: "HTTP 403: scope ads:read required", fetchedAt: fetched),
            ])
        return report
    }

    @Test("the table shows the platform's score beside the estimate, with match keys and recommendations")
    func table() throws {
        let report = Self.report
        let estimate = try #require(report.series[0].total.score)
        let text = report.table()
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("meta · Purchase") })
        #expect(line.contains(ReportRecommendation.decimal(estimate) + " / 10"))
        #expect(line.contains("8.3 / 10 (2026-03-11)"))
        #expect(text.contains("match key email: coverage 92.5 %, potential +12.1 % conversions reported"))
        #expect(text.contains("platform recommends: Server sending mismatched IP addresses"))
        #expect(text.contains("pinterest · *") && text.contains("not available: permission missing"))
        #expect(text.contains("google: sent 5  confirmed 3  rejected later 2"))
        #expect(text.contains("ga4 · validation messages (sampled requests) · VALUE_INVALID: 2"))
    }

    @Test("a missing permission is never rendered as a zero score, in any format")
    func neverZero() throws {
        let report = Self.report
        let json = report.json()
        let scores = try #require(json["platform_feedback"]?["platform_scores"]?.arrayValue)
        let pinterest = try #require(scores.first { $0["destination"]?.stringValue == "pinterest" })
        #expect(pinterest["score"] == .null)
        #expect(pinterest["availability"] == .string("permission_missing"))
        #expect(pinterest["shown"] == .string("not available: permission missing"))
        let meta = try #require(scores.first { $0["destination"]?.stringValue == "meta" })
        #expect(meta["score"] == .number("8.30"))
        #expect(meta["bridge_estimate"]?.numberText != nil)
        #expect(report.html().contains("not available: permission missing"))
        #expect(!report.html().contains(">0 / 10<"))
    }

    @Test("CSV: the platform's score in its own columns on the series' total row")
    func csv() throws {
        let lines = Self.report.csv().split(separator: "\r\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "platform_score"))
        let total = try #require(lines.first { $0.hasPrefix("meta,Purchase,") && $0.contains(",total,") })
        #expect(total.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[column] == "8.30")
    }

    @Test("without feedback the report is rendered as before")
    func unchangedWithout() {
        let report = ReportFixture.report
        #expect(report.json()["platform_feedback"] == nil)
        #expect(!report.table().contains("platform feedback"))
        #expect(!report.csv().contains("platform_score"))
    }

    @Test("event names match the platform's: Purchase is Pinterest's checkout")
    func sameEvent() {
        #expect(PlatformFeedback.sameEvent("checkout", "Purchase"))
        #expect(PlatformFeedback.sameEvent("PURCHASE", "Purchase"))
        #expect(PlatformFeedback.sameEvent("add_to_cart", "AddToCart"))
        #expect(!PlatformFeedback.sameEvent("lead", "Purchase"))
    }

    @Test("lookups back off from the first poll up to the longest interval, never past the deadline")
    func schedule() {
        let schedule = ConfirmationSchedule(firstPollAfter: .seconds(1800), maxInterval: .seconds(6 * 3600), giveUpAfter: .seconds(72 * 3600))
        let sent = Timestamp(secondsSinceEpoch: 1_800_000_000)
        #expect(schedule.firstPoll(sentAt: sent) == sent.advanced(by: .seconds(1800)))
        let deadline = schedule.deadline(sentAt: sent)
        #expect(deadline == sent.advanced(by: .seconds(72 * 3600)))
        let now = sent.advanced(by: .seconds(3600))
        #expect(schedule.nextPoll(after: 1, now: now, deadline: deadline) == now.advanced(by: .seconds(1800)))
        #expect(schedule.nextPoll(after: 2, now: now, deadline: deadline) == now.advanced(by: .seconds(3600)))
        #expect(schedule.nextPoll(after: 10, now: now, deadline: deadline) == now.advanced(by: .seconds(6 * 3600)))
        let late = deadline.advanced(by: .seconds(-60))
        #expect(schedule.nextPoll(after: 3, now: late, deadline: deadline) == deadline)
    }
}
