import BridgeCore
import BridgePipeline
import BridgeStore

extension MatchQualityReporting {
    /// Runs the report with what the platforms reported themselves over the
    /// same window: their scores (days of the window), confirmation counts
    /// and diagnostics; without any, the report is the plain one.
    public static func reportWithFeedback(_ query: ReportQuery, store: any ReportStore & PlatformFeedbackStore, now: Timestamp) async throws(StoreError)
        -> MatchQualityReport
    {
        var report = try await report(query, store: store, now: now)
        let scores = try await store.platformScores(
            sinceDay: PlatformScore.day(of: query.since), untilDay: PlatformScore.day(of: query.until), destination: query.destination)
        let confirmations = try await store.confirmationCounts(since: query.since, until: query.until, destination: query.destination)
        let diagnostics = try await store.diagnosticTallies(since: query.since, until: query.until, destination: query.destination)
        let feedback = PlatformFeedback(
            confirmations: confirmations, diagnostics: diagnostics,
            scores: scores.filter { score in query.eventName.map { PlatformFeedback.sameEvent(score.eventName, $0) || score.eventName == "*" } ?? true })
        // Nothing reported: the report reads exactly as one without feedback.
        report.feedback = feedback.isEmpty ? nil : feedback
        return report
    }
}
