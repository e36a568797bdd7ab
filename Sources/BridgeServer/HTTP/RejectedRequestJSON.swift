import BridgeCore
import BridgeStore

/// The JSON form of a partly rejected request in the dead-letter list
/// (`GET /v1/dead-letters`, `capi-bridge dlq list --json`): the platform
/// counted failed rows per reason without naming them, so the request is
/// listed whole and replayed whole (`requests` in the replay body,
/// `dlq replay --request`).
public enum RejectedRequestJSON {
    public static func object(_ request: RejectedRequest) -> JSONValue {
        .object([
            "kind": .string("rejected_request"), "id": .number(String(request.id)), "destination": .string(request.destination),
            "request_id": .string(request.requestID), "batch_id": .string(request.batchID), "events": .number(String(request.eventCount)),
            "rejected_rows": .number(String(request.rejectedCount)), "reasons": .string(request.reasons), "message": .string(request.message),
            "sent_at": .string(request.sentAt.rfc3339), "resolved_at": .string(request.resolvedAt.rfc3339),
            "delivery_ids": .array(request.deliveryIDs.map { .number(String($0)) }),
        ])
    }

    /// Whether the dead-letter list with this code filter shows rejected requests.
    public static func listed(forCode code: String?) -> Bool { code == nil || code == "partly_rejected" }
}
