extension MatchQualityReport {
    /// The report as JSON: every number, counts exact, shares to 4 decimals,
    /// scores to 2. Shape documented in `docs/match-quality.md`.
    public func json() -> JSONValue {
        guard case .object(var members) = plainJSON(), feedback != nil else { return plainJSON() }
        members["platform_feedback"] = feedbackJSON()
        return .object(members)
    }

    func plainJSON() -> JSONValue {
        .object([
            "report": .string("match_quality"),
            "generated_at": .string(generatedAt.rfc3339),
            "since": .string(query.since.rfc3339),
            "until": .string(query.until.rfc3339),
            "period": .string(query.period.rawValue),
            "include_test": .bool(query.includeTest),
            "destination": query.destination.map(JSONValue.string) ?? .null,
            "event_name": query.eventName.map(JSONValue.string) ?? .null,
            "source": query.source.map(JSONValue.string) ?? .null,
            "by": query.breakdown.map { .string($0.rawValue) } ?? .null,
            "score_note": .string(Self.estimateNote),
            "series": .array(series.map { Self.json(series: $0, breakdown: query.breakdown) }),
        ])
    }

    static func json(series: Series, breakdown: ReportBreakdown?) -> JSONValue {
        var object = json(series: series)
        if let breakdown, case .object(var members) = object {
            members[breakdown.rawValue] = series.group.map(JSONValue.string) ?? .null
            object = .object(members)
        }
        return object
    }

    static func json(series: Series) -> JSONValue {
        .object([
            "destination": .string(series.destination),
            "event_name": .string(series.eventName),
            "platform": series.platform.map { .string($0.rawValue) } ?? .null,
            "score_model": series.model.map { .string($0.name) } ?? .null,
            "total": json(line: series.total, series: series),
            "periods": .array(series.periods.map { json(line: $0, series: series) }),
            "recommendations": .array(
                series.recommendations.enumerated().map { index, recommendation in
                    var object: [String: JSONValue] = [
                        "rank": .number(String(index + 1)), "kind": .string(recommendation.kind.rawValue),
                        "share": number(recommendation.share, places: 4), "text": .string(recommendation.text),
                    ]
                    if !recommendation.identifiers.isEmpty {
                        object["identifiers"] = .array(recommendation.identifiers.map { .string($0.description) })
                    }
                    if let lift = recommendation.scoreLift { object["score_lift"] = number(lift, places: 2) }
                    return .object(object)
                }),
        ])
    }

    static func json(line: Line, series: Series) -> JSONValue {
        let tally = line.tally
        var coverage: [String: JSONValue] = [:]
        var added: [String: JSONValue] = [:]
        for key in series.keys {
            coverage[key.description] = .object([
                "events": count(tally.coverage(key)), "share": number(line.shareOfSent(tally.coverage(key)), places: 4),
            ])
            if tally.enriched(key) > 0 { added[key.description] = count(tally.enriched(key)) }
        }
        var byProvider: [String: JSONValue] = [:]
        for provider in series.providers {
            guard let counts = tally.enrichedByProvider[provider] else { continue }
            var keys: [String: JSONValue] = [:]
            for key in IdentifierKey.allCases where counts[key.rawValue] > 0 { keys[key.description] = count(counts[key.rawValue]) }
            byProvider[provider] = .object(keys)
        }
        var object: [String: JSONValue] = [
            "received": count(tally.received), "sent": count(tally.sent), "sent_limited": count(tally.sentLimited),
            "pending": count(tally.pending), "suppressed": count(tally.suppressed),
            "suppressed_by_reason": .object(tally.suppressedByReason.mapValues(count)),
            "skipped": count(tally.skipped), "skipped_by_reason": .object(tally.skippedByReason.mapValues(count)),
            "dead_lettered": count(tally.deadLettered), "dead_letters_by_code": .object(tally.deadByCode.mapValues(count)),
            "retried": count(tally.retried), "coverage": .object(coverage),
            "enrichment": .object(["added": .object(added), "by_provider": .object(byProvider)]),
            "score": line.score.map { number($0, places: 2) } ?? .null,
            "score_without_enrichment": line.scoreWithoutEnrichment.map { number($0, places: 2) } ?? .null,
            "latency_ms": line.latency.map {
                .object(["p50": count($0.p50), "p95": count($0.p95), "p99": count($0.p99), "delivered": count($0.count)])
            } ?? .null,
        ]
        if let start = line.periodStart { object["period_start"] = .string(start.rfc3339) }
        return .object(object)
    }

    static func count(_ value: Int) -> JSONValue { .number(String(value)) }
    static func count(_ value: Int64) -> JSONValue { .number(String(value)) }
    static func number(_ value: Double, places: Int) -> JSONValue { .number(ReportRecommendation.fixed(value, places: places)) }
}
