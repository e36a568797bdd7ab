import BridgeCore
import BridgeDestinations
import BridgeStore
import Logging
import Synchronization

extension DestinationWorkers {
    /// One claimed delivery with its item encoded once, as it is sent.
    struct Ready {
        let claim: ClaimedDelivery
        let item: EncodedJSON
    }

    /// Delivers a claimed batch and returns one outcome per delivery.
    func deliver(_ claimed: [ClaimedDelivery]) async -> [DeliveryOutcome] {
        let start = now()
        var outcomes: [DeliveryOutcome] = []
        var ready: [Ready] = []
        var sendable: [ClaimedDelivery] = []
        let age = settings.retry.eventAge ?? EventAgeLimit.unbounded(for: destination.limits)
        for claim in claimed {
            if let reason = age.check(eventTime: claim.eventTime, now: start).deadLetterReason {
                outcomes.append(.dead(id: claim.id, code: reason.code.rawValue, message: reason.message, status: nil))
                metrics.deliveryOutcome(destination: name, outcome: "dead_letter")
                continue
            }
            sendable.append(claim)
        }
        for (claim, built) in zip(sendable, await buildConcurrently(sendable, now: start)) {
            switch built {
            case .success(let item):
                ready.append(Ready(claim: claim, item: item))
            case .failure(let problem):
                metrics.deliveryOutcome(destination: name, outcome: "dead_letter")
                outcomes.append(.dead(id: claim.id, code: problem.code, message: problem.message, status: nil))
            }
        }
        guard !ready.isEmpty else { return outcomes }
        let groups = destination.requestGroups(itemCount: ready.count)
        guard groups.count > 1, groups.allSatisfy({ ready.indices.contains($0.lowerBound) && $0.upperBound <= ready.count }) else {
            return outcomes + (await send(ready))
        }
        // One request per group, all at once (GA4: one user per request).
        return await withTaskGroup(of: [DeliveryOutcome].self) { tasks in
            for group in groups {
                let part = Array(ready[group])
                tasks.addTask { await self.send(part) }
            }
            return await tasks.reduce(into: outcomes) { $0 += $1 }
        }
    }

    /// Sends `batch` as one request; a refusal of several events is bisected.
    func send(_ batch: [Ready]) async -> [DeliveryOutcome] {
        let sent = await attempt(batch)
        if case .deadLetter(let reason) = sent.verdict, batch.count > 1, sent.audited {
            // The platform refused the whole batch for some event(s): find them.
            return await bisect(batch, reason: reason)
        }
        return resolve(sent, for: batch)
    }

    /// `buildItem` over a batch, on two tasks for large batches (unsealing
    /// and encoding are the CPU-heavy part of sending).
    func buildConcurrently(_ claims: [ClaimedDelivery], now: Timestamp) async -> [Result<EncodedJSON, ItemBuildProblem>] {
        let builder = ItemBuilder(destination: destination, sealer: sealer)
        guard claims.count >= 64 else { return claims.map { builder.build($0, now: now) } }
        let middle = claims.count / 2
        async let first = claims[..<middle].map { builder.build($0, now: now) }
        let second = claims[middle...].map { builder.build($0, now: now) }
        return await first + second
    }

    /// What one request got back.
    struct Sent {
        let verdict: DeliveryVerdict
        let status: Int?
        let batchID: String
        /// Whether the request's audit entry was written. Without it the
        /// outcome is not recorded: the deliveries stay pending.
        var audited = true
    }

    /// Sends one request for `batch`, updates the breaker and metrics. The
    /// request is audited before it goes out (`AuditLog.attempt`, the body's
    /// clear values as digests) and its answer after (`AuditLog.outcome`); a
    /// request whose attempt cannot be audited is not sent, one whose answer
    /// cannot be audited is not recorded (`Sent.audited`). With an OAuth
    /// destination, a refused token is dropped and the batch sent once more
    /// with a fresh one (`tokenRetry`) before the refusal counts.
    func attempt(_ batch: [Ready], tokenRetry: Bool = false) async -> Sent {
        let batchID = nextBatchID()
        let sentAt = now()
        let destination = self.destination
        var request = destination.makeRequest(items: batch.map(\.item), batchID: batchID, now: sentAt)
        var usedToken: String?
        if let tokens {
            switch await tokens.token(now: sentAt) {
            case .token(let token):
                request = destination.authorizing(request, with: token.value)
                usedToken = token.value
            case .refused(let message):
                return unsent(.authFailure(message: message), batchID: batchID)
            case .unavailable(let reason):
                return unsent(.retry(after: nil, reason: reason), batchID: batchID)
            }
        }
        if let audit {
            let body = request.auditBody(digest: audit.digest) ?? Array("null".utf8)
            do {
                try await audit.attempt(destination: name, batchID: batchID, eventIDs: batch.map(\.claim.eventID), request: body, at: sentAt)
            } catch {
                auditFailed(error, at: sentAt)
                return Sent(verdict: .retry(after: nil, reason: .networkError("audit log not writable")), status: nil, batchID: batchID, audited: false)
            }
        }
        let clock = ContinuousClock.now
        // One span per request, child of the batch's (first) trace; its traceparent goes to the platform.
        let (result, trace) = await TraceSpan.run(
            "POST \(name)", kind: .client, parent: Self.batchTrace(batch), attributes: ["destination.name": name, "batch.id": batchID]
        ) { trace in
            var traced = request
            if let trace { traced.headers.append(HeaderPair("traceparent", trace.header)) }
            return (await transport.send(traced, timeout: settings.timeout), trace)
        }
        let elapsed = ContinuousClock.now - clock
        let completedAt = now()
        let verdict: DeliveryVerdict
        var status: Int?
        var body: [UInt8] = []
        switch result {
        case .reply(let reply):
            status = reply.status
            body = reply.body
            verdict = destination.classify(reply, itemCount: batch.count, now: completedAt)
        case .failed(let reason):
            verdict = .transportFailure(reason)
            body = Array("no answer: \(reason)".utf8)
        }
        // A refused token is first replaced (below): only a refusal of the
        // fresh one may pause the destination.
        var retriesWithFreshToken = false
        if case .authFailure = verdict, usedToken != nil, tokens != nil, !tokenRetry { retriesWithFreshToken = true }
        let change = retriesWithFreshToken ? .none : shared.withLock { $0.breaker.record(verdict, now: completedAt) }
        if change != .none {
            logger.warning("circuit changed", metadata: ["destination.name": "\(name)", "change": "\(change)"])
        }
        metrics.deliveryRequest(destination: name, verdict: verdict.label, seconds: elapsed, events: batch.count)
        var audited = true
        if let audit {
            do {
                try await audit.outcome(destination: name, batchID: batchID, status: status, responseBody: body, at: completedAt)
                shared.withLock { $0.auditFailure = nil }
            } catch {
                audited = false
                auditFailed(error, at: completedAt)
            }
        }
        logger.debug("batch sent", metadata: sentMetadata(batch, verdict: verdict, trace: trace))
        if case .authFailure = verdict, let usedToken, let tokens, !tokenRetry, audited {
            await tokens.invalidate(usedToken)
            return await attempt(batch, tokenRetry: true)
        }
        return Sent(verdict: verdict, status: status, batchID: batchID, audited: audited)
    }

    /// Records that an audit entry could not be written (the batch stays pending).
    func auditFailed(_ error: any Error, at time: Timestamp) {
        metrics.auditWriteFailed(destination: name)
        shared.withLock { $0.auditFailure = ($0.auditFailure?.since ?? time, time) }
        logger.error(
            "audit log write failed; the batch stays pending", metadata: ["destination.name": "\(name)", "error.type": "\(type(of: error))"])
    }

    /// The outcome of a batch that was not sent because no access token
    /// could be had; the breaker counts it like a failed request.
    func unsent(_ verdict: DeliveryVerdict, batchID: String) -> Sent {
        let at = now()
        let change = shared.withLock { $0.breaker.record(verdict, now: at) }
        if change != .none {
            logger.warning("circuit changed", metadata: ["destination.name": "\(name)", "change": "\(change)"])
        }
        logger.warning("no access token", metadata: ["destination.name": "\(name)", "verdict": "\(verdict.label)"])
        return Sent(verdict: verdict, status: nil, batchID: batchID)
    }

    /// Outcomes for a whole batch from one verdict (a batch-wide dead letter
    /// of several events is bisected by the caller).
    func resolve(_ sent: Sent, for batch: [Ready]) -> [DeliveryOutcome] {
        let completedAt = now()
        let status = sent.status
        let batchID = sent.batchID
        guard sent.audited else {
            // No record of this request in the audit log: nothing is recorded
            // as done; the batch is sent again (same event ids) once it can be audited.
            return batch.map { .release(id: $0.claim.id, at: completedAt.advanced(by: DestinationWorkers.auditRetryPause)) }
        }
        switch sent.verdict {
        case .delivered:
            for ready in batch { metrics.delivered(destination: name, receivedAt: ready.claim.receivedAt, now: completedAt) }
            return batch.map { .delivered(id: $0.claim.id, batchID: batchID, status: status ?? 200) }
        case .retry(let after, let reason):
            return batch.map { retry($0.claim, after: after, reason: "\(reason)", status: status) }
        case .throttled(let after):
            return batch.map { retry($0.claim, after: after, reason: "throttled", status: status) }
        case .deadLetter(let reason):
            guard batch.count == 1 else { return [] }
            metrics.deliveryOutcome(destination: name, outcome: "dead_letter")
            return [.dead(id: batch[0].claim.id, code: reason.code.rawValue, message: reason.message, status: status)]
        case .authFailure(let message):
            let change = shared.withLock { $0.breaker.authFailed(message, now: completedAt) }
            logger.error("destination paused: authentication failed", metadata: ["destination.name": "\(name)", "change": "\(change)"])
            metrics.deliveryOutcome(destination: name, outcome: "dead_letter", count: batch.count)
            return batch.map { .dead(id: $0.claim.id, code: DeadLetterReason.Code.authFailed.rawValue, message: message, status: status) }
        case .partial(let items):
            var outcomes: [DeliveryOutcome] = []
            for (ready, item) in zip(batch, items) {
                switch item {
                case .delivered:
                    metrics.delivered(destination: name, receivedAt: ready.claim.receivedAt, now: completedAt)
                    outcomes.append(.delivered(id: ready.claim.id, batchID: batchID, status: status ?? 200))
                case .retry(let reason, let after):
                    outcomes.append(retry(ready.claim, after: after, reason: "\(reason)", status: status))
                case .deadLetter(let reason):
                    metrics.deliveryOutcome(destination: name, outcome: "dead_letter")
                    outcomes.append(.dead(id: ready.claim.id, code: reason.code.rawValue, message: reason.message, status: status))
                }
            }
            return outcomes
        }
    }

    /// A retry at the policy's next time, or a dead letter past the horizon or the event-age limit.
    func retry(_ claim: ClaimedDelivery, after: Timestamp?, reason: String, status: Int?) -> DeliveryOutcome {
        let completedAt = now()
        let state = RetryState(
            failures: claim.attempts + 1, since: claim.firstAttemptAt ?? completedAt, oldestEventTime: claim.eventTime)
        let decision = shared.withLock { shared in
            settings.retry.decide(after: state, now: completedAt, retryAfter: after, using: &shared.random)
        }
        switch decision {
        case .retry(let at):
            metrics.deliveryOutcome(destination: name, outcome: "retry")
            return .retry(id: claim.id, at: at, status: status, error: reason)
        case .giveUp(let deadReason):
            metrics.deliveryOutcome(destination: name, outcome: "dead_letter")
            return .dead(id: claim.id, code: deadReason.code.rawValue, message: deadReason.message, status: status)
        }
    }

    /// Splits a refused batch in halves until the refused events are isolated
    /// (see `BatchBisection`); a transient answer stops the search and the
    /// unresolved events are retried later.
    func bisect(_ batch: [Ready], reason: DeadLetterReason) async -> [DeliveryOutcome] {
        var search = BatchBisection(refusedBatchOf: batch.count, reason: reason)
        var outcomes: [DeliveryOutcome] = []
        while case .send(let range) = search.next {
            let part = Array(batch[range])
            let sent = await attempt(part)
            guard sent.audited else {
                // Unaudited: nothing of this batch is recorded as decided.
                return outcomes + resolve(sent, for: search.abandon().flatMap { Array(batch[$0]) } + part)
            }
            switch sent.verdict {
            case .delivered:
                search.accepted(range)
                outcomes += resolve(sent, for: part)
            case .deadLetter(let refusal):
                search.refused(range, reason: refusal)
            default:
                for open in search.abandon() { outcomes += resolve(sent, for: Array(batch[open])) }
            }
        }
        for isolated in search.isolated {
            metrics.deliveryOutcome(destination: name, outcome: "dead_letter")
            outcomes.append(
                .dead(id: batch[isolated.index].claim.id, code: isolated.reason.code.rawValue, message: isolated.reason.message, status: nil))
        }
        return outcomes
    }

    /// The trace a request belongs to: that of its first event that has
    /// one (each request is a new span of it, a retry too). `nil` when no
    /// event of the batch has a trace context (stored before this version).
    static func batchTrace(_ batch: [Ready]) -> TraceParent? {
        batch.lazy.compactMap(\.claim.traceParent).first
    }

    /// The fields of the `batch sent` line: `trace_id` is the request's
    /// trace, `trace_ids` every trace of the batch.
    func sentMetadata(_ batch: [Ready], verdict: DeliveryVerdict, trace: TraceParent?) -> Logger.Metadata {
        var fields: Logger.Metadata = ["destination.name": "\(name)", "batch.size": "\(batch.count)", "verdict": "\(verdict.label)"]
        if let trace {
            fields["trace_id"] = .string(trace.traceID)
            fields["trace_ids"] = .array(Self.traceIDs(batch).map { .string($0) })
        }
        return fields
    }

    /// The distinct trace ids of a batch's events, in order (at most 20).
    static func traceIDs(_ batch: [Ready]) -> [String] {
        var seen: Set<String> = []
        return batch.compactMap { ready -> String? in
            guard let id = ready.claim.traceParent?.traceID, seen.count < 20, seen.insert(id).inserted else { return nil }
            return id
        }
    }

    func nextBatchID() -> String {
        let counter = shared.withLock { state -> UInt64 in
            state.batchCounter += 1
            return state.batchCounter
        }
        return "\(owner)-\(name)-\(counter)"
    }
}

extension EventAgeLimit {
    /// An age limit from a destination's limits.
    static func unbounded(for limits: DestinationLimits) -> EventAgeLimit {
        (try? EventAgeLimit(
            maxAge: .seconds(limits.maxEventAgeSeconds), safetyMargin: .zero, futureTolerance: .seconds(limits.maxFutureSkewSeconds)))
            ?? .meta
    }
}
