import BridgeCore
import BridgePipeline
import BridgeStore
import Logging

extension ReconciliationRunner {
    /// Step 4: stores the event of every missing order the source could map,
    /// through the ingest path; marks them and notes them in the audit log.
    func backfill(_ report: ReconciliationReport, events: [String: ConversionEvent], run: ReconciliationRun) async throws -> ReconciliationReport {
        var report = report
        var summary = BackfillSummary()
        var rebuilt: [ConversionEvent] = []
        for line in report.lines where line.category == .missing {
            guard let id = line.eventID, let event = events[id] else {
                summary.failed.append(BackfillSummary.Failure(orderID: line.orderID, reason: "the source listed no data to rebuild its event from"))
                continue
            }
            rebuilt.append(event)
        }
        if report.linesOmitted > 0 {
            summary.failed.append(
                BackfillSummary.Failure(orderID: "-", reason: "\(report.linesOmitted) orders beyond the report's line limit were not backfilled; run again"))
        }
        let result: IngestService.BackfillResult
        do { result = try await ingest.backfill(rebuilt, source: run.source) } catch { throw ReconciliationStepError("backfill: \(error.description)") }
        summary.stored = result.stored
        summary.duplicates = result.duplicates
        for (eventID, reason) in result.invalid {
            let orderID = report.lines.first { $0.eventID == eventID }?.orderID ?? eventID
            summary.failed.append(BackfillSummary.Failure(orderID: orderID, reason: reason))
        }
        try await store.markBackfilled(source: run.source, eventIDs: result.stored, runID: run.id)
        let at = now()
        let stored = Set(result.stored)
        for (name, limit) in destinations {
            let old = rebuilt.filter { stored.contains($0.eventID) && limit.check(eventTime: $0.eventTime, now: at).deadLetterReason != nil }.count
            if old > 0 { summary.tooOld[name] = old }
        }
        if !result.stored.isEmpty {
            do {
                try await audit?.note(
                    kind: "backfill", destination: "*", batchID: run.id, eventIDs: result.stored,
                    details: [
                        "source": .string(run.source), "reconciliation": .string(run.id), "stored": .number(String(result.stored.count)),
                        "duplicates": .number(String(result.duplicates.count)), "since": .string(run.since.rfc3339), "until": .string(run.until.rfc3339),
                    ], at: at)
            } catch {
                logger.error("backfill audit note could not be written", metadata: ["reconciliation.id": "\(run.id)", "error.type": "\(type(of: error))"])
            }
        }
        metrics.reconciliationBackfilled(source: run.source, count: result.stored.count)
        report.recordBackfill(summary)
        return report
    }

    /// Step 5: the alert of a scheduled run, from the previous scheduled run's
    /// state; posts what changed. Returns the alert's start while it lasts.
    func decideAlert(_ report: ReconciliationReport, run: ReconciliationRun) async -> Timestamp? {
        let previous = try? await store.lastScheduledReconciliation(source: run.source, completedOnly: true)
        let activeSince = previous.flatMap { $0.id == run.id ? nil : $0.alertSince }
        let decision = config.reconciliation.alertPolicy.decide(report, activeSince: activeSince, now: now())
        metrics.reconciliationAlert(source: run.source, active: decision.activeSince != nil)
        if let action = decision.action {
            logger.warning("alert", metadata: ["alert": "\(action)"])
            await notifier?.post(action)
        }
        return decision.activeSince
    }

    /// A failure as stored with the run: the client's, the store's or the step's own words.
    static func describe(_ error: any Error) -> String {
        String(String(describing: error).prefix(500))
    }
}

/// A step of a run that failed, in words for the stored run.
struct ReconciliationStepError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
