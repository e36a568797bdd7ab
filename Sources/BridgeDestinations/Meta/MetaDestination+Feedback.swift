import BridgeCore

/// Meta's answers beyond the verdict (`docs/destinations.md`, Meta):
/// `events_received` differing from the events sent is recorded per request
/// (the verdict still retries the batch), and the Dataset Quality API is
/// this destination's score source.
extension MetaDestination {
    public func diagnostics(of reply: HTTPReply, itemCount: Int) -> [DeliveryDiagnostic] {
        guard (200..<300).contains(reply.status), let json = try? JSONParser.parse(reply.body),
            let text = json["events_received"]?.scalarText, let received = Int(text), received != itemCount
        else { return [] }
        return [
            DeliveryDiagnostic(
                kind: .eventsReceivedMismatch, code: "events_received", detail: "Meta acknowledged \(received) of \(itemCount) events sent")
        ]
    }

    public var scoreSource: (any PlatformScoreSource)? {
        MetaDatasetQuality(baseURL: baseURL, apiVersion: apiVersion, datasetID: pixelID, agentName: partnerAgent, accessToken: accessToken)
    }
}

/// Meta's Dataset Quality API for one dataset (`docs/destinations.md`, Meta):
///
/// `GET {base}/{version}/dataset_quality?dataset_id=…&agent_name=…&fields=web{…}&access_token=…`
/// answers `{"web": [{"event_name": "Purchase", "event_match_quality":
/// {"composite_score": 8.3, "match_key_feedback": [{"identifier": "email",
/// "coverage": {"percentage": 92.5}, "potential_aly_acr_increase":
/// {"percentage": 12.1, "description": "…"}}], "diagnostics": [{"name",
/// "description", "solution", "percentage", "affected_event_count",
/// "total_event_count"}]}, "event_coverage": {"percentage", "goal_percentage"},
/// "data_freshness": {"upload_frequency"}}]}`. A Graph error with code 10,
/// 200–299 or 190 means the token lacks `ads_read` (or "Use events dataset"):
/// `permission_missing`; codes 4, 17, 32, 613, 80004 `throttled`.
struct MetaDatasetQuality: PlatformScoreSource {
    let baseURL: String
    let apiVersion: String
    let datasetID: String
    let agentName: String
    let accessToken: SecretText

    static let fields =
        "web{event_name,event_match_quality{composite_score,match_key_feedback{identifier,coverage{percentage},potential_aly_acr_increase{percentage,description}},diagnostics},event_coverage{percentage,goal_percentage},dedupe_key_feedback,data_freshness{upload_frequency}}"

    var endpoint: String { "\(baseURL)/\(apiVersion)/dataset_quality" }

    func scoreRequest(now: Timestamp) -> OutboundRequest {
        let query = "dataset_id=\(QueryText.encode(datasetID))&agent_name=\(QueryText.encode(agentName))&fields=\(QueryText.encode(Self.fields))"
        return OutboundRequest(
            method: "GET", url: endpoint + "?" + query + "&access_token=" + QueryText.encode(accessToken.value),
            headers: [HeaderPair("accept", "application/json")], opaqueBody: [], auditURL: endpoint + "?" + query)
    }

    func readScores(_ reply: HTTPReply, destination: String, now: Timestamp) -> PlatformScoreReading {
        let json = try? JSONParser.parse(reply.body)
        if let error = json?["error"], case .object = error {
            let code = error["code"]?.scalarText.flatMap { Int($0) } ?? -1
            let message = ResponseSummary.make(body: Array("Meta \(code): \(error["message"]?.stringValue ?? "")".utf8), limit: 200)
            if code == 10 || code == 190 || (200...299).contains(code) { return .notAvailable(.permissionMissing, detail: message) }
            if [4, 17, 32, 613, 80004].contains(code) { return .notAvailable(.throttled, detail: message) }
            return .notAvailable(.unavailable, detail: message)
        }
        guard (200..<300).contains(reply.status), let rows = json?["web"]?.arrayValue else { return .failure(reply) }
        let day = PlatformScore.day(of: now)
        let scores = rows.compactMap { row -> PlatformScore? in
            guard let name = row["event_name"]?.nonBlankString else { return nil }
            let quality = row["event_match_quality"]
            let keys = (quality?["match_key_feedback"]?.arrayValue ?? []).compactMap { key -> PlatformScore.MatchKey? in
                guard let identifier = key["identifier"]?.nonBlankString else { return nil }
                let uplift = key["potential_aly_acr_increase"]
                let note = uplift?["percentage"]?.scalarText.flatMap(Double.init).map {
                    "potential +\(ReportRecommendation.decimal($0)) % conversions reported" + (uplift?["description"]?.nonBlankString.map { ": \($0)" } ?? "")
                }
                return PlatformScore.MatchKey(
                    identifier: identifier, coveragePercent: key["coverage"]?["percentage"]?.scalarText.flatMap(Double.init), note: note)
            }
            var recommendations = (quality?["diagnostics"]?.arrayValue ?? []).compactMap { diagnostic -> String? in
                guard let title = diagnostic["name"]?.nonBlankString ?? diagnostic["description"]?.nonBlankString else { return nil }
                let solution = diagnostic["solution"]?.nonBlankString.map { ": \($0)" } ?? ""
                return String((title + solution).prefix(300))
            }
            if let coverage = row["event_coverage"]?["percentage"]?.scalarText.flatMap(Double.init) {
                let goal = row["event_coverage"]?["goal_percentage"]?.scalarText.flatMap(Double.init)
                recommendations.append(
                    "event coverage \(ReportRecommendation.decimal(coverage)) %" + (goal.map { " (goal \(ReportRecommendation.decimal($0)) %)" } ?? ""))
            }
            let score = quality?["composite_score"]?.scalarText.flatMap(Double.init)
            return PlatformScore(
                day: day, destination: destination, eventName: name, availability: .available, score: score, matchKeys: keys,
                recommendations: recommendations, fetchedAt: now)
        }
        return .scores(scores)
    }
}
