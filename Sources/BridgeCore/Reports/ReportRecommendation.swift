/// One thing to do, in plain words, ranked by its estimated effect.
public struct ReportRecommendation: Sendable, Equatable {
    public enum Kind: String, Sendable, Hashable {
        /// Send an identifier the events lack.
        case identifier
        /// Events are being dead-lettered.
        case deadLetters = "dead_letters"
        /// Consent suppressed events for a configuration reason (region unknown, unreadable TC string).
        case consentConfiguration = "consent_configuration"
    }

    public let kind: Kind
    /// For `identifier`: what to send (the signal's identifiers).
    public let identifiers: [IdentifierKey]
    /// The share of events concerned (of sent events for identifiers, of received events otherwise).
    public let share: Double
    /// For `identifier`: how much the series' estimated score would rise if
    /// every sent event lacking the identifiers carried them.
    public let scoreLift: Double?
    /// What ranks recommendations: score points for identifiers; for events
    /// lost or suppressed, their share of the full 10-point scale.
    public let priority: Double
    public let text: String

    /// Most identifier recommendations per series.
    public static let maxIdentifierRecommendations = 5
    /// Below this estimated lift, an identifier is not worth a line.
    public static let minimumLift = 0.05
    /// Below this share of events, a problem is not worth a line.
    public static let minimumShare = 0.01

    /// The recommendations of one series, best first.
    /// - Parameters:
    ///   - sentMasks: identifier mask of sent events → how many.
    static func rank(
        series: ReportSeriesKey, total: MatchQualityReport.Line, sentMasks: [Int64: Int], model: MatchQualityModel?
    ) -> [ReportRecommendation] {
        var found: [ReportRecommendation] = []
        let tally = total.tally
        if let model, tally.sent > 0, let score = total.score {
            var candidates: [ReportRecommendation] = []
            for signal in model.signals {
                guard let alternative = signal.alternatives.first else { continue }
                var lacking = 0
                var gain = 0.0
                for (mask, count) in sentMasks where !signal.isPresent(in: mask) {
                    lacking += count
                    gain += Double(count) * (model.score(mask | alternative.mask) - model.score(mask))
                }
                let share = Double(lacking) / Double(tally.sent)
                let lift = gain / Double(tally.sent)
                guard lift >= minimumLift, share >= minimumShare else { continue }
                let keys = Array(alternative)
                candidates.append(
                    ReportRecommendation(
                        kind: .identifier, identifiers: keys, share: share, scoreLift: lift, priority: lift,
                        text: "Send \(signal.name): \(percent(share)) of \(series.eventName) events sent to \(series.destination) lack it; "
                            + "sending it with all of them would raise the estimated score by about \(decimal(lift)) "
                            + "(from \(decimal(score)) to \(decimal(min(10, score + lift)))). \(hint(for: keys))"))
            }
            found += candidates.sorted { $0.priority > $1.priority }.prefix(maxIdentifierRecommendations)
        }
        if tally.received > 0 {
            let deadShare = Double(tally.deadLettered) / Double(tally.received)
            if deadShare >= minimumShare {
                let code = tally.deadByCode.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "unknown"
                found.append(
                    ReportRecommendation(
                        kind: .deadLetters, identifiers: [], share: deadShare, scoreLift: nil, priority: deadShare * 10,
                        text: "\(percent(deadShare)) of \(series.eventName) events for \(series.destination) were dead-lettered "
                            + "(most often: \(code)) and never counted: inspect them with `capi-bridge dlq list --destination \(series.destination)`, "
                            + "fix the cause, then replay them."))
            }
            let configuration: [(String, String)] = [
                ("unknown_region", "the buyer's country was unknown: send customer.country, or set a default_region in the consent policy if your policy allows it"),
                ("malformed_tcf_string", "their TC string could not be decoded: check how the consent string is captured"),
            ]
            for (reason, advice) in configuration {
                let count = tally.suppressedByReason[reason] ?? 0
                let share = Double(count) / Double(tally.received)
                guard share >= minimumShare else { continue }
                found.append(
                    ReportRecommendation(
                        kind: .consentConfiguration, identifiers: [], share: share, scoreLift: nil, priority: share * 10,
                        text: "\(percent(share)) of \(series.eventName) events for \(series.destination) were suppressed because \(advice)."))
            }
        }
        return found.sorted { $0.priority > $1.priority }
    }

    /// Where the identifiers come from, in the canonical event's terms.
    static func hint(for keys: [IdentifierKey]) -> String {
        guard let first = keys.first else { return "" }
        switch first {
        case .email: return "Pass customer.email."
        case .phone: return "Pass customer.phone with its country code (or configure default_region)."
        case .firstName, .lastName: return "Pass customer.first_name and customer.last_name."
        case .city, .postalCode, .state, .country:
            return "Pass the billing address (customer.postal_code, customer.city, customer.country)."
        case .dateOfBirth: return "Pass customer.date_of_birth."
        case .gender: return "Pass customer.gender."
        case .externalID: return "Pass your customer id as customer.external_id, the same value your browser pixel sends."
        case .ipAddress: return "Forward the buyer's browser IP address as client.ip_address (not your server's)."
        case .userAgent: return "Forward the browser's user agent as client.user_agent."
        case .fbc, .fbclid:
            return "Forward the _fbc cookie, or the landing URL with its fbclid as client.landing_url (the click_ids enrichment provider builds fbc from it)."
        case .fbp: return "Forward the _fbp cookie as client.click_ids.fbp."
        case .gclid, .gbraid, .wbraid, .ttclid, .sccid, .epik, .liFatID, .rdtCID:
            return "Forward the landing URL as client.landing_url (the click_ids enrichment provider extracts \(first) from it) or pass it in client.click_ids."
        }
    }

    /// `42%`, `4.2%` below 10 %, `<0.1%` for tiny shares.
    public static func percent(_ share: Double) -> String {
        let value = share * 100
        if value > 0, value < 0.1 { return "<0.1%" }
        if value < 10, value != value.rounded() { return decimal(value) + "%" }
        return String(Int(value.rounded())) + "%"
    }

    /// One decimal place.
    public static func decimal(_ value: Double) -> String { fixed(value, places: 1) }

    /// `value` with exactly `places` decimals, rounded half away from zero (no Foundation).
    public static func fixed(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let integer = Int64(scaled)
        var text = String(integer)
        if places > 0 {
            while text.count <= places { text = "0" + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
        }
        return (value < 0 && integer != 0 ? "-" : "") + text
    }
}
