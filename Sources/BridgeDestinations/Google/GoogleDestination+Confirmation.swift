import BridgeCore

extension GoogleDestination {
    /// Data Manager processes events after answering 200: each request's
    /// status is looked up until final (unless `validate_only`, which ingests nothing).
    public var confirmer: (any DeliveryConfirmer)? {
        validateOnly ? nil : DataManagerRequestStatus(baseURL: baseURL)
    }
}

/// Data Manager's `requestStatus:retrieve` (`docs/destinations/google.md`,
/// "Confirmed delivery"):
///
/// `GET {base}/v1/requestStatus:retrieve?requestId=<id>` (OAuth scope
/// `datamanager`, empty body) answers
/// `{"requestStatusPerDestination": [{"destination": {…}, "requestStatus":
/// "SUCCESS" | "PROCESSING" | "FAILED" | "PARTIAL_SUCCESS",
/// "errorInfo": {"errorCounts": [{"recordCount": "2", "reason":
/// "PROCESSING_ERROR_REASON_INVALID_GCLID"}]}, "warningInfo":
/// {"warningCounts": […]}, "eventsIngestionStatus": {"recordCount": "5"}}]}`,
/// one entry per destination of the request in order (the bridge sends one).
/// The status counts failed rows per reason; it never names which rows.
///
/// | answer | verdict |
/// |---|---|
/// | every entry `SUCCESS` | `confirmed` |
/// | any entry `PROCESSING` or `REQUEST_STATUS_UNKNOWN` | `processing` |
/// | `FAILED` (or `FAILURE`) | `rejected` with the error counts |
/// | `PARTIAL_SUCCESS` | `partlyRejected` with the error counts |
/// | 401, 403, 404, 400 (Google error envelope) | `refused` |
/// | 429, 5xx, no JSON | `retry` |
struct DataManagerRequestStatus: DeliveryConfirmer {
    let baseURL: String

    func requestID(in reply: HTTPReply) -> String? {
        guard (200..<300).contains(reply.status), let json = try? JSONParser.parse(reply.body) else { return nil }
        return json["requestId"]?.nonBlankString
    }

    func statusRequest(requestID: String) -> OutboundRequest {
        let url = "\(baseURL)/v1/requestStatus:retrieve?requestId=" + QueryText.encode(requestID)
        return OutboundRequest(method: "GET", url: url, headers: [HeaderPair("accept", "application/json")], opaqueBody: [], auditURL: url)
    }

    func readStatus(_ reply: HTTPReply) -> ConfirmationVerdict {
        let json = try? JSONParser.parse(reply.body)
        let summary = ResponseSummary.make(body: reply.body, limit: 200)
        switch reply.status {
        case 200..<300: break
        case 429, 408, 500..<600: return .retry(reason: "HTTP \(reply.status): \(summary)")
        default: return .refused(message: "HTTP \(reply.status): \(summary)")
        }
        guard let entries = json?["requestStatusPerDestination"]?.arrayValue, !entries.isEmpty else {
            return .retry(reason: "HTTP \(reply.status) without requestStatusPerDestination")
        }
        var byReason: [String: Int] = [:]
        var records = 0
        var hasRecords = false
        var statuses: [String] = []
        for entry in entries {
            statuses.append(entry["requestStatus"]?.stringValue ?? "REQUEST_STATUS_UNKNOWN")
            for count in entry["errorInfo"]?["errorCounts"]?.arrayValue ?? [] {
                let reason = count["reason"]?.nonBlankString ?? "PROCESSING_ERROR_REASON_UNSPECIFIED"
                byReason[reason, default: 0] += count["recordCount"]?.scalarText.flatMap { Int($0) } ?? 0
            }
            if let text = entry["eventsIngestionStatus"]?["recordCount"]?.scalarText, let n = Int(text) {
                records += n
                hasRecords = true
            }
        }
        if statuses.contains(where: { $0 == "PROCESSING" || $0 == "REQUEST_STATUS_UNKNOWN" }) { return .processing }
        let counts = RejectionCounts(byReason: byReason, recordCount: hasRecords ? records : nil)
        if statuses.allSatisfy({ $0 == "SUCCESS" }) { return .confirmed }
        if statuses.allSatisfy({ $0 == "FAILED" || $0 == "FAILURE" }) { return .rejected(counts) }
        return .partlyRejected(counts)
    }
}
