import BridgeCore
import PostgresNIO

extension PostgresStore: PlatformFeedbackStore {
    public func recordDiagnostics(_ entries: [DiagnosticEntry]) async throws(StoreError) {
        guard !entries.isEmpty else { return }
        do {
            try await client.withTransaction(logger: logger) { [logger] connection in
                for entry in entries {
                    let d = entry.diagnostic
                    try await connection.run(
                        """
                        INSERT INTO delivery_diagnostics (day, destination, kind, code, count, last_detail, last_at_ms)
                        VALUES (\(PlatformScore.day(of: entry.at)), \(entry.destination), \(d.kind.rawValue), \(Self.text(d.code)), \(Int64(d.count)),
                                \(Self.text(d.detail)), \(entry.at.millisecondsSinceEpoch))
                        ON CONFLICT (day, destination, kind, code) DO UPDATE SET count = delivery_diagnostics.count + excluded.count,
                            last_detail = CASE WHEN excluded.last_at_ms >= delivery_diagnostics.last_at_ms THEN excluded.last_detail
                                               ELSE delivery_diagnostics.last_detail END,
                            last_at_ms = GREATEST(delivery_diagnostics.last_at_ms, excluded.last_at_ms)
                        """, logger: logger)
                }
            }
        } catch {
            throw storeError(error)
        }
    }

    public func diagnosticTallies(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [DiagnosticTally] {
        let from = PlatformScore.day(of: since)
        let to = PlatformScore.day(of: until)
        do {
            let rows = try await client.query(
                """
                SELECT destination, kind, code, SUM(count)::bigint, MAX(last_at_ms)::bigint,
                    (array_agg(last_detail ORDER BY last_at_ms DESC))[1]
                FROM delivery_diagnostics
                WHERE day BETWEEN \(from) AND \(to) AND (\(destination)::text IS NULL OR destination = \(destination)::text)
                GROUP BY destination, kind, code
                """, logger: logger)
            var tallies: [DiagnosticTally] = []
            for try await (name, kind, code, total, last, detail) in rows.decode((String, String, String, Int64, Int64, String?).self) {
                guard let kind = DeliveryDiagnostic.Kind(rawValue: kind) else { continue }
                tallies.append(
                    DiagnosticTally(
                        destination: name, kind: kind, code: code, count: Int(total), lastDetail: detail ?? "",
                        lastAt: Timestamp(millisecondsSinceEpoch: last)))
            }
            return tallies
        } catch {
            throw storeError(error)
        }
    }

    public func awaitConfirmation(_ request: NewConfirmation) async throws(StoreError) {
        do {
            try await client.withTransaction(logger: logger) { [logger] connection in
                try await connection.run(
                    """
                    INSERT INTO confirmations (destination, request_id, batch_id, delivery_ids, event_count, state, sent_at_ms, next_poll_ms, deadline_ms)
                    VALUES (\(request.destination), \(Self.text(request.requestID)), \(request.batchID), \(PendingConfirmation.encode(request.deliveryIDs)),
                            \(Int64(request.deliveryIDs.count)), 'awaiting', \(request.sentAt.millisecondsSinceEpoch),
                            \(request.firstPollAt.millisecondsSinceEpoch), \(request.deadline.millisecondsSinceEpoch))
                    """, logger: logger)
                try await connection.run(
                    "UPDATE deliveries SET confirmation = 'awaiting' WHERE id = ANY(\(request.deliveryIDs))", logger: logger)
            }
        } catch {
            throw storeError(error)
        }
    }

    /// One statement: `FOR UPDATE SKIP LOCKED` picks due rows no other
    /// instance is claiming at the same moment, and leases them.
    public func claimConfirmations(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [PendingConfirmation] {
        let nowMS = now.millisecondsSinceEpoch
        do {
            let rows = try await client.query(
                """
                UPDATE confirmations SET lease_owner = \(owner), lease_until_ms = \(leaseUntil.millisecondsSinceEpoch)
                WHERE id IN (
                    SELECT id FROM confirmations WHERE state = 'awaiting' AND next_poll_ms <= \(nowMS)
                      AND (lease_until_ms IS NULL OR lease_until_ms < \(nowMS))
                    ORDER BY next_poll_ms, id LIMIT \(Int64(limit)) FOR UPDATE SKIP LOCKED)
                RETURNING id, destination, request_id, batch_id, delivery_ids, sent_at_ms, deadline_ms, polls
                """, logger: logger)
            var claimed: [PendingConfirmation] = []
            for try await (id, destination, requestID, batchID, ids, sentAt, deadline, polls) in rows.decode(
                (Int64, String, String, String, String, Int64, Int64, Int64).self)
            {
                claimed.append(
                    PendingConfirmation(
                        id: id, destination: destination, requestID: requestID, batchID: batchID, deliveryIDs: PendingConfirmation.decode(ids),
                        sentAt: Timestamp(millisecondsSinceEpoch: sentAt), deadline: Timestamp(millisecondsSinceEpoch: deadline), polls: Int(polls)))
            }
            return claimed.sorted { $0.id < $1.id }
        } catch {
            throw storeError(error)
        }
    }

    @discardableResult
    public func resolveConfirmation(id: Int64, _ resolution: ConfirmationResolution, owner: String, now: Timestamp) async throws(StoreError) -> Bool {
        let nowMS = now.millisecondsSinceEpoch
        do {
            return try await client.withTransaction(logger: logger) { [logger] connection -> Bool in
                var idsText: String?
                for try await text in try await connection.query(
                    "SELECT delivery_ids FROM confirmations WHERE id = \(id) AND lease_owner = \(owner) FOR UPDATE", logger: logger
                ).decode(String.self) {
                    idsText = text
                }
                guard let idsText else { return false }
                let deliveryIDs = PendingConfirmation.decode(idsText)
                if case .pollAgain(let at, let note) = resolution {
                    try await connection.run(
                        """
                        UPDATE confirmations SET polls = polls + 1, next_poll_ms = \(at.millisecondsSinceEpoch), message = \(note.map(Self.text)),
                            lease_owner = NULL, lease_until_ms = NULL WHERE id = \(id)
                        """, logger: logger)
                    return true
                }
                let (rejected, reasons, message) = resolution.record(deliveryCount: deliveryIDs.count)
                try await connection.run(
                    """
                    UPDATE confirmations SET state = \(resolution.state), polls = polls + 1, rejected_count = \(Int64(rejected)),
                        reasons = \(reasons.map(Self.text)), message = \(message.map(Self.text)), resolved_at_ms = \(nowMS),
                        lease_owner = NULL, lease_until_ms = NULL WHERE id = \(id)
                    """, logger: logger)
                if case .rejected(_, let text) = resolution {
                    let attempt = Self.text(DeliveryAttemptLog.line(.init(at: now, outcome: .deadLetter, status: nil, detail: "rejected_later: \(text)")))
                    try await connection.run(
                        """
                        UPDATE deliveries SET state = 'dead', confirmation = 'rejected_later', dead_code = 'rejected_later',
                            last_error = \(Self.text(String(text.prefix(1000)))), dead_at_ms = \(nowMS),
                            attempt_log = right(COALESCE(attempt_log, '') || \(attempt), \(unescaped: Self.attemptLogLimit))
                        WHERE state = 'delivered' AND id = ANY(\(deliveryIDs))
                        """, logger: logger)
                } else {
                    let confirmation = SQLiteStore.deliveryConfirmation(resolution).rawValue
                    try await connection.run(
                        "UPDATE deliveries SET confirmation = \(confirmation) WHERE state = 'delivered' AND id = ANY(\(deliveryIDs))", logger: logger)
                }
                return true
            }
        } catch {
            throw storeError(error)
        }
    }

    public func rejectedRequests(destination: String?, limit: Int) async throws(StoreError) -> [RejectedRequest] {
        do {
            let rows = try await client.query(
                """
                SELECT id, destination, request_id, batch_id, delivery_ids, event_count, rejected_count, reasons, message, sent_at_ms, resolved_at_ms
                FROM confirmations WHERE state = 'partly_rejected' AND (\(destination)::text IS NULL OR destination = \(destination)::text)
                ORDER BY resolved_at_ms DESC, id DESC LIMIT \(Int64(limit))
                """, logger: logger)
            var requests: [RejectedRequest] = []
            for try await row in rows {
                let c = try row.decode((Int64, String, String, String, String, Int64, Int64, String?, String?, Int64, Int64?).self)
                requests.append(
                    RejectedRequest(
                        id: c.0, destination: c.1, requestID: c.2, batchID: c.3, deliveryIDs: PendingConfirmation.decode(c.4), eventCount: Int(c.5),
                        rejectedCount: Int(c.6), reasons: c.7 ?? "", message: c.8 ?? "", sentAt: Timestamp(millisecondsSinceEpoch: c.9),
                        resolvedAt: Timestamp(millisecondsSinceEpoch: c.10 ?? 0)))
            }
            return requests
        } catch {
            throw storeError(error)
        }
    }

    public func replayRejectedRequests(ids: [Int64]?, destination: String?, now: Timestamp) async throws(StoreError) -> Int {
        do {
            return try await client.withTransaction(logger: logger) { [logger] connection -> Int in
                var found: [(Int64, String)] = []
                for try await (id, text) in try await connection.query(
                    """
                    SELECT id, delivery_ids FROM confirmations WHERE state = 'partly_rejected'
                      AND (\(destination)::text IS NULL OR destination = \(destination)::text) FOR UPDATE
                    """, logger: logger
                ).decode((Int64, String).self) {
                    if let ids, !ids.contains(id) { continue }
                    found.append((id, text))
                }
                var replayed = 0
                for (id, text) in found {
                    let rows = try await connection.query(
                        """
                        UPDATE deliveries SET state = 'pending', next_attempt_ms = \(now.millisecondsSinceEpoch), attempts = 0, first_attempt_ms = NULL,
                            confirmation = NULL, delivered_at_ms = NULL, lease_owner = NULL, lease_until_ms = NULL
                        WHERE state = 'delivered' AND payload IS NOT NULL AND id = ANY(\(PendingConfirmation.decode(text))) RETURNING id
                        """, logger: logger
                    ).collect()
                    replayed += rows.count
                    try await connection.run("UPDATE confirmations SET state = 'replayed' WHERE id = \(id)", logger: logger)
                }
                return replayed
            }
        } catch {
            throw storeError(error)
        }
    }

    public func confirmationCounts(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [String: ConfirmationCounts] {
        let from = since.millisecondsSinceEpoch
        let to = until.millisecondsSinceEpoch
        do {
            var counts: [String: ConfirmationCounts] = [:]
            let rows = try await client.query(
                """
                SELECT destination, state, confirmation, COUNT(*)::bigint FROM deliveries
                WHERE confirmation IS NOT NULL AND received_at_ms >= \(from) AND received_at_ms < \(to)
                  AND (\(destination)::text IS NULL OR destination = \(destination)::text)
                GROUP BY destination, state, confirmation
                """, logger: logger)
            for try await (name, state, confirmation, n) in rows.decode((String, String, String, Int64).self) {
                ConfirmationCounts.add(Int(n), state: state, confirmation: confirmation, to: &counts[name, default: .init()])
            }
            let partial = try await client.query(
                """
                SELECT destination, SUM(rejected_count)::bigint FROM confirmations
                WHERE state = 'partly_rejected' AND sent_at_ms >= \(from) AND sent_at_ms < \(to)
                  AND (\(destination)::text IS NULL OR destination = \(destination)::text) GROUP BY destination
                """, logger: logger)
            for try await (name, rejected) in partial.decode((String, Int64).self) {
                ConfirmationCounts.addPartlyRejectedRows(Int(rejected), to: &counts[name, default: .init()])
            }
            return counts
        } catch {
            throw storeError(error)
        }
    }

    public func recordPlatformScores(_ scores: [PlatformScore]) async throws(StoreError) {
        guard !scores.isEmpty else { return }
        do {
            try await client.withTransaction(logger: logger) { [logger] connection in
                for score in scores {
                    try await connection.run(
                        """
                        INSERT INTO platform_scores (day, destination, event_name, availability, score, status, match_keys, recommendations, detail, fetched_at_ms)
                        VALUES (\(score.day), \(score.destination), \(Self.text(score.eventName)), \(score.availability.rawValue), \(score.score),
                                \(score.status.map(Self.text)), \(Self.text(score.matchKeysJSON)), \(Self.text(score.recommendationsJSON)),
                                \(score.detail.map(Self.text)), \(score.fetchedAt.millisecondsSinceEpoch))
                        ON CONFLICT (day, destination, event_name) DO UPDATE SET availability = excluded.availability, score = excluded.score,
                            status = excluded.status, match_keys = excluded.match_keys, recommendations = excluded.recommendations,
                            detail = excluded.detail, fetched_at_ms = excluded.fetched_at_ms
                        """, logger: logger)
                }
            }
        } catch {
            throw storeError(error)
        }
    }

    public func platformScores(sinceDay: String, untilDay: String, destination: String?) async throws(StoreError) -> [PlatformScore] {
        do {
            let rows = try await client.query(
                """
                SELECT day, destination, event_name, availability, score, status, match_keys, recommendations, detail, fetched_at_ms
                FROM platform_scores WHERE day BETWEEN \(sinceDay) AND \(untilDay)
                  AND (\(destination)::text IS NULL OR destination = \(destination)::text)
                ORDER BY destination, event_name, day
                """, logger: logger)
            var scores: [PlatformScore] = []
            for try await row in rows {
                let c = try row.decode((String, String, String, String, Double?, String?, String, String, String?, Int64).self)
                scores.append(
                    PlatformScore.stored(
                        day: c.0, destination: c.1, eventName: c.2, availability: c.3, score: c.4, status: c.5, matchKeys: c.6, recommendations: c.7,
                        detail: c.8, fetchedAtMS: c.9))
            }
            return scores
        } catch {
            throw storeError(error)
        }
    }
}
