import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: PlatformFeedbackStore {
    public func recordDiagnostics(_ entries: [DiagnosticEntry]) async throws(StoreError) {
        guard !entries.isEmpty else { return }
        do {
            try await pool.write { db in
                let add = try db.cachedStatement(
                    sql: """
                        INSERT INTO delivery_diagnostics (day, destination, kind, code, count, last_detail, last_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (day, destination, kind, code) DO UPDATE SET count = count + excluded.count,
                            last_detail = CASE WHEN excluded.last_at_ms >= last_at_ms THEN excluded.last_detail ELSE last_detail END,
                            last_at_ms = MAX(last_at_ms, excluded.last_at_ms)
                        """)
                for entry in entries {
                    let d = entry.diagnostic
                    try add.execute(arguments: [
                        PlatformScore.day(of: entry.at), entry.destination, d.kind.rawValue, d.code, d.count, d.detail, entry.at.millisecondsSinceEpoch,
                    ])
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func diagnosticTallies(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [DiagnosticTally] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT destination, kind, code, SUM(count) AS total, MAX(last_at_ms) AS last_ms,
                            (SELECT last_detail FROM delivery_diagnostics AS latest WHERE latest.destination = d.destination AND latest.kind = d.kind
                               AND latest.code = d.code AND latest.day BETWEEN ? AND ? ORDER BY latest.last_at_ms DESC LIMIT 1) AS detail
                        FROM delivery_diagnostics AS d
                        WHERE day BETWEEN ? AND ? AND (? IS NULL OR destination = ?)
                        GROUP BY destination, kind, code
                        """,
                    arguments: [
                        PlatformScore.day(of: since), PlatformScore.day(of: until), PlatformScore.day(of: since), PlatformScore.day(of: until),
                        destination, destination,
                    ]
                ).compactMap { row in
                    guard let kind = DeliveryDiagnostic.Kind(rawValue: row["kind"]) else { return nil }
                    return DiagnosticTally(
                        destination: row["destination"], kind: kind, code: row["code"], count: row["total"], lastDetail: row["detail"] ?? "",
                        lastAt: Timestamp(millisecondsSinceEpoch: row["last_ms"]))
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func awaitConfirmation(_ request: NewConfirmation) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO confirmations (destination, request_id, batch_id, delivery_ids, event_count, state, sent_at_ms, next_poll_ms, deadline_ms)
                        VALUES (?, ?, ?, ?, ?, 'awaiting', ?, ?, ?)
                        """,
                    arguments: [
                        request.destination, request.requestID, request.batchID, PendingConfirmation.encode(request.deliveryIDs),
                        request.deliveryIDs.count, request.sentAt.millisecondsSinceEpoch, request.firstPollAt.millisecondsSinceEpoch,
                        request.deadline.millisecondsSinceEpoch,
                    ])
                for chunk in request.deliveryIDs.chunked(SQLiteStore.maxVariables) {
                    try db.execute(
                        sql: "UPDATE deliveries SET confirmation = 'awaiting' WHERE id IN (\(SQLiteStore.placeholders(chunk.count)))",
                        arguments: StatementArguments(Array(chunk)))
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func claimConfirmations(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [PendingConfirmation] {
        let nowMS = now.millisecondsSinceEpoch
        do {
            return try await pool.write { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM confirmations WHERE state = 'awaiting' AND next_poll_ms <= ?
                          AND (lease_until_ms IS NULL OR lease_until_ms < ?) ORDER BY next_poll_ms, id LIMIT ?
                        """,
                    arguments: [nowMS, nowMS, limit])
                let ids: [Int64] = rows.map { $0["id"] }
                guard !ids.isEmpty else { return [] }
                var arguments: StatementArguments = [owner, leaseUntil.millisecondsSinceEpoch]
                arguments += StatementArguments(ids)
                try db.execute(
                    sql: "UPDATE confirmations SET lease_owner = ?, lease_until_ms = ? WHERE id IN (\(SQLiteStore.placeholders(ids.count)))",
                    arguments: arguments)
                return rows.map { row in
                    PendingConfirmation(
                        id: row["id"], destination: row["destination"], requestID: row["request_id"], batchID: row["batch_id"],
                        deliveryIDs: PendingConfirmation.decode(row["delivery_ids"]), sentAt: Timestamp(millisecondsSinceEpoch: row["sent_at_ms"]),
                        deadline: Timestamp(millisecondsSinceEpoch: row["deadline_ms"]), polls: row["polls"])
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    @discardableResult
    public func resolveConfirmation(id: Int64, _ resolution: ConfirmationResolution, owner: String, now: Timestamp) async throws(StoreError) -> Bool {
        let nowMS = now.millisecondsSinceEpoch
        do {
            return try await pool.write { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT delivery_ids FROM confirmations WHERE id = ? AND lease_owner = ?", arguments: [id, owner])
                else { return false }
                let deliveryIDs = PendingConfirmation.decode(row["delivery_ids"])
                switch resolution {
                case .pollAgain(let at, let note):
                    try db.execute(
                        sql: """
                            UPDATE confirmations SET polls = polls + 1, next_poll_ms = ?, message = ?, lease_owner = NULL, lease_until_ms = NULL
                            WHERE id = ?
                            """, arguments: [at.millisecondsSinceEpoch, note, id])
                    return true
                case .confirmed, .unconfirmed, .partlyRejected, .rejected:
                    break
                }
                let (rejected, reasons, message) = resolution.record(deliveryCount: deliveryIDs.count)
                try db.execute(
                    sql: """
                        UPDATE confirmations SET state = ?, polls = polls + 1, rejected_count = ?, reasons = ?, message = ?, resolved_at_ms = ?,
                            lease_owner = NULL, lease_until_ms = NULL WHERE id = ?
                        """, arguments: [resolution.state, rejected, reasons, message, nowMS, id])
                for chunk in deliveryIDs.chunked(SQLiteStore.maxVariables - 4) {
                    var arguments = StatementArguments()
                    let sql: String
                    switch resolution {
                    case .rejected(_, let text):
                        let attempt = DeliveryAttemptLog.line(.init(at: now, outcome: .deadLetter, status: nil, detail: "rejected_later: \(text)"))
                        sql = """
                            UPDATE deliveries SET state = 'dead', confirmation = 'rejected_later', dead_code = 'rejected_later', last_error = ?,
                                dead_at_ms = ?, attempt_log = substr(COALESCE(attempt_log, '') || ?, -\(DeliveryAttemptLog.maxStoredCharacters))
                            WHERE state = 'delivered' AND id IN (\(SQLiteStore.placeholders(chunk.count)))
                            """
                        arguments = [String(text.prefix(1000)), nowMS, attempt]
                    default:
                        sql = "UPDATE deliveries SET confirmation = ? WHERE state = 'delivered' AND id IN (\(SQLiteStore.placeholders(chunk.count)))"
                        arguments = [SQLiteStore.deliveryConfirmation(resolution).rawValue]
                    }
                    arguments += StatementArguments(Array(chunk))
                    try db.execute(sql: sql, arguments: arguments)
                }
                return true
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// The deliveries' confirmation for a final resolution.
    static func deliveryConfirmation(_ resolution: ConfirmationResolution) -> DeliveryConfirmation {
        switch resolution {
        case .pollAgain: .awaiting
        case .confirmed: .confirmed
        case .rejected: .rejectedLater
        case .partlyRejected: .partlyRejected
        case .unconfirmed: .unconfirmed
        }
    }

    public func rejectedRequests(destination: String?, limit: Int) async throws(StoreError) -> [RejectedRequest] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM confirmations WHERE state = 'partly_rejected' AND (? IS NULL OR destination = ?)
                        ORDER BY resolved_at_ms DESC, id DESC LIMIT ?
                        """, arguments: [destination, destination, limit]
                ).map(SQLiteStore.rejectedRequest(from:))
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    static func rejectedRequest(from row: Row) -> RejectedRequest {
        RejectedRequest(
            id: row["id"], destination: row["destination"], requestID: row["request_id"], batchID: row["batch_id"],
            deliveryIDs: PendingConfirmation.decode(row["delivery_ids"]), eventCount: row["event_count"], rejectedCount: row["rejected_count"],
            reasons: row["reasons"] ?? "", message: row["message"] ?? "", sentAt: Timestamp(millisecondsSinceEpoch: row["sent_at_ms"]),
            resolvedAt: Timestamp(millisecondsSinceEpoch: row["resolved_at_ms"] ?? 0))
    }

    public func replayRejectedRequests(ids: [Int64]?, destination: String?, now: Timestamp) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, delivery_ids FROM confirmations WHERE state = 'partly_rejected' AND (? IS NULL OR destination = ?)",
                    arguments: [destination, destination])
                var replayed = 0
                for row in rows {
                    let id: Int64 = row["id"]
                    if let ids, !ids.contains(id) { continue }
                    for chunk in PendingConfirmation.decode(row["delivery_ids"]).chunked(SQLiteStore.maxVariables - 1) {
                        var arguments: StatementArguments = [now.millisecondsSinceEpoch]
                        arguments += StatementArguments(Array(chunk))
                        try db.execute(
                            sql: """
                                UPDATE deliveries SET state = 'pending', next_attempt_ms = ?, attempts = 0, first_attempt_ms = NULL, confirmation = NULL,
                                    delivered_at_ms = NULL, lease_owner = NULL, lease_until_ms = NULL
                                WHERE state = 'delivered' AND payload IS NOT NULL AND id IN (\(SQLiteStore.placeholders(chunk.count)))
                                """, arguments: arguments)
                        replayed += db.changesCount
                    }
                    try db.execute(sql: "UPDATE confirmations SET state = 'replayed' WHERE id = ?", arguments: [id])
                }
                return replayed
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func confirmationCounts(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [String: ConfirmationCounts] {
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT destination, state, confirmation, COUNT(*) AS n FROM deliveries
                        WHERE confirmation IS NOT NULL AND received_at_ms >= ? AND received_at_ms < ? AND (? IS NULL OR destination = ?)
                        GROUP BY destination, state, confirmation
                        """,
                    arguments: [since.millisecondsSinceEpoch, until.millisecondsSinceEpoch, destination, destination])
                var counts: [String: ConfirmationCounts] = [:]
                for row in rows {
                    ConfirmationCounts.add(row["n"], state: row["state"], confirmation: row["confirmation"], to: &counts[row["destination"], default: .init()])
                }
                let partial = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT destination, SUM(rejected_count) AS rejected FROM confirmations
                        WHERE state = 'partly_rejected' AND sent_at_ms >= ? AND sent_at_ms < ? AND (? IS NULL OR destination = ?) GROUP BY destination
                        """,
                    arguments: [since.millisecondsSinceEpoch, until.millisecondsSinceEpoch, destination, destination])
                for row in partial {
                    ConfirmationCounts.addPartlyRejectedRows(row["rejected"], to: &counts[row["destination"], default: .init()])
                }
                return counts
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func recordPlatformScores(_ scores: [PlatformScore]) async throws(StoreError) {
        guard !scores.isEmpty else { return }
        do {
            try await pool.write { db in
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO platform_scores (day, destination, event_name, availability, score, status, match_keys, recommendations, detail, fetched_at_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (day, destination, event_name) DO UPDATE SET availability = excluded.availability, score = excluded.score,
                            status = excluded.status, match_keys = excluded.match_keys, recommendations = excluded.recommendations,
                            detail = excluded.detail, fetched_at_ms = excluded.fetched_at_ms
                        """)
                for score in scores {
                    try upsert.execute(arguments: [
                        score.day, score.destination, score.eventName, score.availability.rawValue, score.score, score.status, score.matchKeysJSON,
                        score.recommendationsJSON, score.detail, score.fetchedAt.millisecondsSinceEpoch,
                    ])
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func platformScores(sinceDay: String, untilDay: String, destination: String?) async throws(StoreError) -> [PlatformScore] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM platform_scores WHERE day BETWEEN ? AND ? AND (? IS NULL OR destination = ?)
                        ORDER BY destination, event_name, day
                        """, arguments: [sinceDay, untilDay, destination, destination]
                ).map { row in
                    PlatformScore.stored(
                        day: row["day"], destination: row["destination"], eventName: row["event_name"], availability: row["availability"],
                        score: row["score"], status: row["status"], matchKeys: row["match_keys"], recommendations: row["recommendations"],
                        detail: row["detail"], fetchedAtMS: row["fetched_at_ms"])
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}

extension ConfirmationCounts {
    /// Adds `n` deliveries in `state` with `confirmation` (rows as the stores group them).
    static func add(_ n: Int, state: String, confirmation: String, to counts: inout ConfirmationCounts) {
        switch (state, DeliveryConfirmation(rawValue: confirmation)) {
        case ("delivered", .awaiting?): counts.awaiting += n
        case ("delivered", .confirmed?): counts.confirmed += n
        case ("delivered", .partlyRejected?):
            counts.inPartlyRejectedRequests += n
            counts.confirmed += n
        case ("delivered", .unconfirmed?): counts.unconfirmed += n
        case ("dead", .rejectedLater?): counts.rejectedLater += n
        default: return
        }
        counts.sent += n
    }

    /// Moves the rows a partly rejected request lost from confirmed to rejected later.
    static func addPartlyRejectedRows(_ rows: Int, to counts: inout ConfirmationCounts) {
        let moved = min(rows, counts.confirmed)
        counts.confirmed -= moved
        counts.rejectedLater += moved
    }
}
