import BridgeCore

/// Stripe's list endpoints, for reconciliation: `GET /v1/checkout/sessions`
/// and `GET /v1/payment_intents`, and the mapping of one listed object to
/// the event its webhook would have produced.
///
/// A listed object is the `data.object` of the webhook event about it, so it
/// is mapped by the webhook's own code (`StripeEnvelope.checkoutSession()`,
/// `.paymentIntent()`) inside an envelope carrying the object's `created`
/// and `livemode`: the sale id rules are the same (`StripePurchaseMapping`),
/// so a session and its PaymentIntent give one event id, as their webhooks do.
///
/// Counted: Checkout Sessions that are paid (`payment_status` `paid` or
/// `no_payment_required`, mode not `setup`); PaymentIntents with `status`
/// `succeeded`.
public enum StripeObjectListing {
    /// The list endpoints.
    public enum Kind: String, Sendable, CaseIterable {
        case checkoutSessions = "checkout_sessions"
        case paymentIntents = "payment_intents"

        /// The path under `https://api.stripe.com`.
        public var path: String {
            switch self {
            case .checkoutSessions: return "/v1/checkout/sessions"
            case .paymentIntents: return "/v1/payment_intents"
            }
        }
    }

    /// Objects per page (Stripe's maximum).
    public static let pageSize = 100

    /// The query of one page: objects created in `[since, until)` (Stripe's
    /// bounds are inclusive seconds: `created[gte]`, `created[lte]`), after
    /// the object `startingAfter`.
    public static func query(since: Timestamp, until: Timestamp, startingAfter: String?) -> [(String, String)] {
        var query = [
            ("created[gte]", String(since.secondsSinceEpoch)),
            ("created[lte]", String(max(since.secondsSinceEpoch, (until.millisecondsSinceEpoch - 1) / 1000))),
            ("limit", String(pageSize)),
        ]
        if let startingAfter { query.append(("starting_after", startingAfter)) }
        return query
    }

    /// The sale one listed object stands for, or `nil` when it is not a
    /// counted sale.
    /// - Throws: `SourceError.payload` naming the member when the object is malformed.
    public static func order(_ object: JSONValue, kind: Kind, source: String, now: Timestamp) throws(SourceError) -> ListedOrder? {
        guard case .object = object else { throw SourceMapping.invalid(.root, "a listed object must be an object") }
        let id = object["id"]?.stringValue ?? ""
        let document: JSONValue = .object([
            "id": .string(id.isEmpty ? "listed" : id), "created": object["created"] ?? .null, "livemode": object["livemode"] ?? .null,
            "data": .object(["object": object]),
        ])
        let envelope = try StripeEnvelope(document: document, source: source, now: now)
        let outcome: WebhookOutcome
        switch kind {
        case .checkoutSessions:
            outcome = try envelope.checkoutSession()
        case .paymentIntents:
            guard object["status"]?.stringValue == "succeeded" else { return nil }
            outcome = try envelope.paymentIntent()
        }
        guard case .accepted(let batch) = outcome, let event = batch.events.first?.event else { return nil }
        return ListedOrder(event: event)
    }
}
