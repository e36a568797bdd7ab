import BridgeCore
import BridgePipeline

extension EventJourney {
    /// The human form (`events show`, default): the event, its arrival,
    /// enrichment, one block per destination with its attempts, and the
    /// audit entries.
    public var table: String {
        var lines: [String] = []
        lines.append("event      \(eventID)  (\(eventName)\(isTest ? ", test" : ""))")
        lines.append("source     \(source) (\(sourceKind), \(arrival.route))")
        lines.append("order      \(orderID ?? "-")   value \(value.map { "\($0) \(currency ?? "")" } ?? "-")")
        lines.append("event time \(eventTime.rfc3339)")
        lines.append("")
        lines.append("ARRIVAL")
        lines.append("  received   \(arrival.receivedAt.rfc3339)  (outbox #\(arrival.sequence))")
        lines.append("  keys       \(arrival.deliveryKeys.isEmpty ? "-" : arrival.deliveryKeys.joined(separator: ", "))")
        var duplicates = "\(arrival.duplicatesSeen)"
        if let last = arrival.lastDuplicateAt { duplicates += ", last at \(last.rfc3339)" }
        if !arrival.duplicateKeys.isEmpty { duplicates += " (keys: \(arrival.duplicateKeys.joined(separator: ", ")))" }
        lines.append("  duplicates \(duplicates)")
        lines.append("  prepared   \(arrival.preparedAt?.rfc3339 ?? "not yet")\(arrival.identifiersSealed ? "  (identifiers still sealed)" : "")")
        lines.append("")
        lines.append("ENRICHMENT")
        if enrichment.isEmpty { lines.append("  nothing added") }
        for entry in enrichment {
            lines.append("  \(entry.provider): \(entry.identifiers.joined(separator: ", "))  (for \(entry.destinations.joined(separator: ", ")))")
        }
        lines.append("")
        lines.append("DESTINATIONS")
        if destinations.isEmpty { lines.append("  none yet (the event is not prepared)") }
        for destination in destinations {
            var head = "  \(destination.name): \(destination.state)"
            if let at = destination.deliveredAt { head += " at \(at.rfc3339)" }
            if let batch = destination.batchID { head += " (batch \(batch))" }
            lines.append(head)
            lines.append("    consent     \(destination.consentAction) (\(destination.consentReason))\(destination.skipReason.map { "; skipped: \($0)" } ?? "")")
            lines.append("    identifiers \(destination.identifiersSent.isEmpty ? "-" : destination.identifiersSent.joined(separator: ", "))")
            if !destination.identifiersDropped.isEmpty { lines.append("    dropped     \(destination.identifiersDropped.joined(separator: ", "))") }
            for (provider, identifiers) in destination.enrichedBy {
                lines.append("    enriched    \(provider): \(identifiers.joined(separator: ", "))")
            }
            lines.append("    attempts    \(destination.attemptCount)\(destination.nextAttemptAt.map { "; next at \($0.rfc3339)" } ?? "")")
            for attempt in destination.attempts {
                let status = attempt.status.map { "HTTP \($0)" } ?? "no answer"
                lines.append("      \(attempt.at.rfc3339)  \(attempt.outcome)  \(status)  \(attempt.detail)")
            }
            if let dead = destination.deadLetter {
                lines.append("    dead letter \(dead.code)\(dead.at.map { " at \($0.rfc3339)" } ?? ""): \(dead.message)")
            }
        }
        lines.append("")
        lines.append("AUDIT")
        if let audit {
            if audit.entries.isEmpty { lines.append("  no entries in \(audit.filesSearched.count) file(s) searched") }
            for entry in audit.entries {
                let status = entry.responseStatus.map { " \($0)" } ?? ""
                lines.append(
                    "  \(entry.file):\(entry.line)  seq \(entry.sequence)  \(entry.kind)\(status)  \(entry.destination)  \(entry.at.rfc3339)  \(entry.hash)")
            }
            if audit.truncated { lines.append("  (more day files fall in the event's window than were searched)") }
        } else {
            lines.append("  not searched")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
