import BridgeCore
import BridgeStore

/// One sale's journey on the Sales page: a summary table per destination
/// (consent, attempts, outcome) and everything `GET /v1/events/{id}` answers
/// below it. Identifiers appear as kinds only, as in the API.
enum JourneyView {
    static func html(_ journey: EventJourney) -> HTML {
        let waiting = journey.destinations.contains { $0.state == DeliveryState.pending.rawValue }
        let rows = journey.destinations.map { destination -> HTML in
            let outcome: String
            if let delivered = destination.deliveredAt {
                outcome = "delivered \(delivered.rfc3339)"
            } else if let dead = destination.deadLetter {
                outcome = "dead letter: \(dead.code) \(dead.message)"
            } else if let skip = destination.skipReason {
                outcome = "skipped: \(skip)"
            } else {
                outcome = destination.nextAttemptAt.map { "next attempt \($0.rfc3339)" } ?? "waiting"
            }
            return """
                <tr data-destination="\(destination.name)"><th scope="row">\(destination.name)</th><td data-state>\(destination.state)</td>\
                <td>\(destination.consentAction) (\(destination.consentReason))</td>\
                <td>\(destination.identifiersSent.joined(separator: ", "))</td><td>\(destination.identifiersAdded.joined(separator: ", "))</td>\
                <td class="num">\(destination.attemptCount)</td><td>\(outcome)</td></tr>
                """
        }
        let refresh: HTML = waiting ? "<p class=\"muted\" data-refresh-seconds=\"3\">Deliveries are pending: this page refreshes every 3 seconds.</p>" : ""
        return """
            <section class="journey" aria-labelledby="journey-\(journey.arrival.sequence)">
            <h2 id="journey-\(journey.arrival.sequence)">\(journey.eventName) \(journey.eventID)</h2>
            <p>Source <strong>\(journey.source)</strong>\(journey.orderID.map { ", order \($0)" } ?? ""), received \(journey.arrival.receivedAt.rfc3339), \
            \(journey.arrival.duplicatesSeen) duplicate(s) seen\(journey.isTest ? " (test event)" : "").</p>
            \(refresh)
            <div class="scroll"><table><caption>Per destination</caption>
            <thead><tr><th scope="col">Destination</th><th scope="col">State</th><th scope="col">Consent (reason)</th><th scope="col">Identifiers sent</th>\
            <th scope="col">Added by enrichment</th><th scope="col" class="num">Attempts</th><th scope="col">Outcome</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <details><summary>Everything stored about this sale (GET /v1/events/{id})</summary>\(JSONHTML.render(journey.json))</details>
            </section>
            """
    }
}
