import BridgeCore
import BridgePipeline

extension EventJourney {
    /// The JSON form (`GET /v1/events/{id}`, `events show --format json`).
    /// Times are RFC 3339; absent facts are `null`; identifiers appear as
    /// kinds only.
    public var json: JSONValue {
        .object([
            "event_id": .string(eventID),
            "source": .string(source),
            "source_kind": .string(sourceKind),
            "event_name": .string(eventName),
            "event_time": .string(eventTime.rfc3339),
            "order_id": Self.optional(orderID),
            "value": Self.optional(value),
            "currency": Self.optional(currency),
            "test": .bool(isTest),
            "arrival": .object([
                "received_at": .string(arrival.receivedAt.rfc3339),
                "route": .string(arrival.route),
                "delivery_keys": .array(arrival.deliveryKeys.map(JSONValue.string)),
                "duplicates_seen": .number(String(arrival.duplicatesSeen)),
                "last_duplicate_at": Self.optional(arrival.lastDuplicateAt?.rfc3339),
                "duplicate_keys": .array(arrival.duplicateKeys.map(JSONValue.string)),
                "prepared_at": Self.optional(arrival.preparedAt?.rfc3339),
                "identifiers_sealed": .bool(arrival.identifiersSealed),
                "sequence": .number(String(arrival.sequence)),
            ]),
            "enrichment": .array(
                enrichment.map {
                    .object([
                        "provider": .string($0.provider), "identifiers": .array($0.identifiers.map(JSONValue.string)),
                        "destinations": .array($0.destinations.map(JSONValue.string)),
                    ])
                }),
            "destinations": .array(destinations.map(\.json)),
            "audit": audit.map(Self.auditJSON) ?? .null,
        ])
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func optional(_ number: Int?) -> JSONValue { number.map { .number(String($0)) } ?? .null }

    static func auditJSON(_ result: AuditLocator.Result) -> JSONValue {
        .object([
            "files_searched": .array(result.filesSearched.map(JSONValue.string)),
            "truncated": .bool(result.truncated),
            "entries": .array(
                result.entries.map { entry in
                    .object([
                        "file": .string(entry.file), "line": .number(String(entry.line)), "seq": .number(String(entry.sequence)),
                        "kind": .string(entry.kind), "at": .string(entry.at.rfc3339), "destination": .string(entry.destination),
                        "batch_id": .string(entry.batchID), "hash": .string(entry.hash), "response_status": optional(entry.responseStatus),
                    ])
                }),
        ])
    }
}

extension EventJourney.Destination {
    var json: JSONValue {
        .object([
            "destination": .string(name),
            "state": .string(state),
            "prepared_at": .string(preparedAt.rfc3339),
            "consent": .object(["action": .string(consentAction), "reason": .string(consentReason)]),
            "skip_reason": EventJourney.optional(skipReason),
            "identifiers_sent": .array(identifiersSent.map(JSONValue.string)),
            "identifiers_added": .array(identifiersAdded.map(JSONValue.string)),
            "identifiers_dropped": .array(identifiersDropped.map(JSONValue.string)),
            "enriched_by": .array(
                enrichedBy.map { .object(["provider": .string($0.provider), "identifiers": .array($0.identifiers.map(JSONValue.string))]) }),
            "attempt_count": .number(String(attemptCount)),
            "attempts": .array(
                attempts.map { attempt in
                    .object([
                        "at": .string(attempt.at.rfc3339), "outcome": .string(attempt.outcome), "status": EventJourney.optional(attempt.status),
                        "next_attempt_at": EventJourney.optional(attempt.nextAttemptAt?.rfc3339), "detail": .string(attempt.detail),
                    ])
                }),
            "next_attempt_at": EventJourney.optional(nextAttemptAt?.rfc3339),
            "last_status": EventJourney.optional(lastStatus),
            "delivered_at": EventJourney.optional(deliveredAt?.rfc3339),
            "batch_id": EventJourney.optional(batchID),
            "dead_letter": deadLetter.map { letter in
                .object(["code": .string(letter.code), "message": .string(letter.message), "at": EventJourney.optional(letter.at?.rfc3339)])
            } ?? .null,
        ])
    }
}
