import BridgeCore
import BridgeDestinations
import BridgeStore
import Logging
import Synchronization

/// What a destination's platform said lately beyond its verdicts, kept per
/// worker group for the validation alert.
struct DestinationFeedbackState: Sendable {
    /// The latest sampled validation: when, how many messages, the first one.
    var lastValidation: (at: Timestamp, messages: Int, detail: String)?
}

extension DestinationWorkers {
    /// After an audited answer: records what the platform said beyond the
    /// verdict (`Destination.diagnostics`), registers an accepted request
    /// for its asynchronous status (`Destination.confirmer`), and sends a
    /// sampled copy to the validation endpoint (`Destination.validationSampler`).
    /// Failures here never change the delivery's outcome.
    func observe(_ reply: HTTPReply, request: OutboundRequest, batch: [Ready], verdict: DeliveryVerdict, batchID: String, at: Timestamp) async {
        let destination = self.destination
        let eventIDs = batch.map(\.claim.eventID)
        let found = destination.diagnostics(of: reply, itemCount: batch.count)
        if !found.isEmpty {
            for diagnostic in found where diagnostic.kind == .eventsReceivedMismatch {
                metrics.eventsReceivedMismatch(destination: name)
                logger.warning(
                    "events_received differs from events sent",
                    metadata: ["destination.name": "\(name)", "batch.id": "\(batchID)", "detail": "\(diagnostic.detail)"])
            }
            await record(found, batchID: batchID, eventIDs: eventIDs, at: at, note: "platform_diagnostic")
        }
        guard case .delivered = verdict else { return }
        if let confirmer = destination.confirmer, let requestID = confirmer.requestID(in: reply) {
            let schedule = settings.confirmation
            let pending = NewConfirmation(
                destination: name, requestID: requestID, batchID: batchID, deliveryIDs: batch.map(\.claim.id), sentAt: at,
                firstPollAt: schedule.firstPoll(sentAt: at), deadline: schedule.deadline(sentAt: at))
            do {
                try await store.awaitConfirmation(pending)
            } catch {
                logger.warning(
                    "could not record a request awaiting confirmation",
                    metadata: ["destination.name": "\(name)", "batch.id": "\(batchID)", "error": "\(error)"])
            }
        }
        if let sampler = destination.validationSampler, shouldSample(sampler.sampleRate) {
            await validate(request, with: sampler, batchID: batchID, eventIDs: eventIDs)
        }
    }

    /// Whether this request is in the sample.
    func shouldSample(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        if rate >= 1 { return true }
        return shared.withLock { Double.random(in: 0..<1, using: &$0.random) } < rate
    }

    /// Sends the validation copy of `request` and records its messages
    /// (metric, audit note, store, alert state). Nothing sent there is
    /// recorded by the platform. The copy is audited like any request
    /// (attempt before, outcome after, batch id `<batch>/validation`); one
    /// whose attempt cannot be audited is not sent.
    func validate(_ request: OutboundRequest, with sampler: any ValidationSampler, batchID: String, eventIDs: [String]) async {
        let copy = sampler.validationRequest(for: request)
        let copyID = batchID + "/validation"
        if let audit {
            do {
                try await audit.attempt(
                    destination: name, batchID: copyID, eventIDs: eventIDs, request: copy.auditBody(digest: audit.digest) ?? Array("null".utf8),
                    at: now())
            } catch {
                auditFailed(error, at: now())
                return
            }
        }
        let result = await transport.send(copy, timeout: settings.timeout)
        let at = now()
        if let audit {
            var status: Int?
            var body: [UInt8] = []
            switch result {
            case .reply(let reply):
                status = reply.status
                body = reply.body
            case .failed(let reason):
                body = Array("no answer: \(reason)".utf8)
            }
            try? await audit.outcome(destination: name, batchID: copyID, status: status, responseBody: body, at: at)
        }
        guard case .reply(let reply) = result, let messages = sampler.validationMessages(in: reply) else {
            metrics.validationSample(destination: name, outcome: "failed")
            return
        }
        metrics.validationSample(destination: name, outcome: messages.isEmpty ? "valid" : "messages")
        for message in messages { metrics.validationMessage(destination: name, code: message.code) }
        feedback.withLock { $0.lastValidation = (at, messages.count, messages.first.map { "\($0.code) \($0.detail)" } ?? "") }
        guard !messages.isEmpty else { return }
        logger.warning(
            "validation messages for a sampled request",
            metadata: ["destination.name": "\(name)", "batch.id": "\(batchID)", "messages": "\(messages.count)", "first.code": "\(messages[0].code)"])
        await record(messages, batchID: batchID, eventIDs: eventIDs, at: at, note: "validation_sample")
    }

    /// Stores diagnostics and writes one audit note with them.
    func record(_ diagnostics: [DeliveryDiagnostic], batchID: String, eventIDs: [String], at: Timestamp, note: String) async {
        do {
            try await store.recordDiagnostics(diagnostics.map { DiagnosticEntry(destination: name, diagnostic: $0, at: at) })
        } catch {
            logger.warning("could not record diagnostics", metadata: ["destination.name": "\(name)", "error": "\(error)"])
        }
        guard let audit else { return }
        let details: [String: JSONValue] = [
            "diagnostics": .array(
                diagnostics.map { .object(["kind": .string($0.kind.rawValue), "code": .string($0.code), "detail": .string($0.detail)]) })
        ]
        do {
            try await audit.note(kind: note, destination: name, batchID: batchID, eventIDs: eventIDs, details: details, at: at)
        } catch {
            auditFailed(error, at: at)
        }
    }

    /// The validation alert's finding: holds while the latest sampled
    /// request had validation messages; `nil` when the destination samples none.
    public func validationFinding() -> AlertFinding? {
        guard destination.validationSampler != nil else { return nil }
        let last = feedback.withLock { $0.lastValidation }
        let detail = last.flatMap { $0.messages > 0 ? "\($0.messages) validation message(s) at \($0.at.rfc3339): \($0.detail)" : nil }
        return AlertFinding(subject: .destination(name), condition: .validationMessages, detail: detail)
    }
}
