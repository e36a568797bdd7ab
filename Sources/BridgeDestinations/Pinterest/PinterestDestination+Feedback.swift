import BridgeCore

extension PinterestDestination {
    /// Pinterest's Event Quality Score for this ad account.
    public var scoreSource: (any PlatformScoreSource)? {
        PinterestEventQuality(baseURL: baseURL, adAccountID: adAccountID, accessToken: accessToken)
    }
}

/// Pinterest's Event Quality Score (`docs/destinations/pinterest.md`):
///
/// `GET {base}/v5/ad_accounts/{ad_account_id}/conversion_eqs?lookback_period=14d&source_platform=WEB&ingestion_source=CONVERSIONS_API`
/// with `Authorization: Bearer …` (scope `ads:read`) answers an
/// `EventQualityScore`: `{"ingestion_source", "lookback_period",
/// "source_platform", "overall_status": "GOOD" | "FAIR" | "NEEDS_IMPROVEMENT",
/// "quality_components": {"<key>": {"<event type>": {"coverage": 80.5,
/// "overlap": 12.0, "issues": [{"id", "name", "reason"}]}}}}` (a list of
/// them is read too). Pinterest publishes no numeric score: the status and
/// each key's coverage and issues are shown. 401/403 (or code 2/3) mean the
/// token lacks `ads:read`: `permission_missing`; 429 `throttled`.
struct PinterestEventQuality: PlatformScoreSource {
    let baseURL: String
    let adAccountID: String
    let accessToken: SecretText

    var url: String {
        "\(baseURL)/v5/ad_accounts/\(adAccountID)/conversion_eqs?lookback_period=14d&source_platform=WEB&ingestion_source=CONVERSIONS_API"
    }

    func scoreRequest(now: Timestamp) -> OutboundRequest {
        OutboundRequest(
            method: "GET", url: url,
            headers: [HeaderPair("authorization", "Bearer " + accessToken.value), HeaderPair("accept", "application/json")],
            opaqueBody: [], auditURL: url)
    }

    func readScores(_ reply: HTTPReply, destination: String, now: Timestamp) -> PlatformScoreReading {
        let json = try? JSONParser.parse(reply.body)
        guard (200..<300).contains(reply.status), let json else {
            let code = json?["code"]?.scalarText.flatMap { Int($0) }
            return .failure(reply, permissionDenied: code == 2 || code == 3)
        }
        let sources = json.arrayValue ?? json["items"]?.arrayValue ?? [json]
        var byEvent: [String: (keys: [PlatformScore.MatchKey], issues: [String])] = [:]
        var status: String?
        for source in sources {
            if let overall = source["overall_status"]?.nonBlankString { status = status ?? overall }
            for (key, events) in source["quality_components"]?.objectValue ?? [:] {
                for (event, stats) in events.objectValue ?? [:] {
                    let coverage = stats["coverage"]?.scalarText.flatMap(Double.init)
                    let overlap = stats["overlap"]?.scalarText.flatMap(Double.init).map { "overlap \(ReportRecommendation.decimal($0)) %" }
                    byEvent[event, default: ([], [])].keys.append(PlatformScore.MatchKey(identifier: key, coveragePercent: coverage, note: overlap))
                    for issue in stats["issues"]?.arrayValue ?? [] {
                        let name = issue["name"]?.nonBlankString ?? issue["id"]?.scalarText ?? "issue"
                        let reason = issue["reason"]?.nonBlankString.map { ": \($0)" } ?? ""
                        byEvent[event, default: ([], [])].issues.append(String("\(key): \(name)\(reason)".prefix(300)))
                    }
                }
            }
        }
        let day = PlatformScore.day(of: now)
        if byEvent.isEmpty {
            guard let status else { return .notAvailable(.unavailable, detail: "no event quality data in the answer") }
            return .scores([PlatformScore(day: day, destination: destination, eventName: "*", availability: .available, status: status, fetchedAt: now)])
        }
        return .scores(
            byEvent.keys.sorted().map { event in
                let found = byEvent[event] ?? ([], [])
                return PlatformScore(
                    day: day, destination: destination, eventName: event, availability: .available, status: status,
                    matchKeys: found.keys.sorted { $0.identifier < $1.identifier }, recommendations: found.issues, fetchedAt: now)
            })
    }
}
