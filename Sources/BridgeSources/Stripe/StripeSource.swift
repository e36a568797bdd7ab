import BridgeCore

/// Stripe events (`stripe.md`), verified with `StripeSignature`.
///
/// - Purchases: `checkout.session.completed` (paid sessions only),
///   `payment_intent.succeeded`, `invoice.paid` — one event id per sale, so a
///   session and its PaymentIntent count once (see `StripePurchaseMapping`).
/// - Refunds: `charge.refunded`, as a cumulative refund (`StripeRefundMapping`).
/// - Every other type is verified and ignored.
/// - `livemode: false` marks the event as a test; amounts use Stripe's own
///   currency exponents (`StripeCurrencyExponent`).
///
/// Delivery key: `stripe-event:<evt id>` (retries resend the same event id).
public struct StripeSource: WebhookSource {
    public let name: String
    let signature: StripeSignature

    /// The event types that are conversions.
    static let handledTypes: Set<String> = [
        "checkout.session.completed", "payment_intent.succeeded", "invoice.paid", "charge.refunded",
    ]

    public init(settings: SourceSettings) {
        self.name = settings.name
        self.signature = StripeSignature(secrets: settings.secrets, toleranceSeconds: settings.toleranceSeconds)
    }

    public func handle(_ request: WebhookRequest, now: Timestamp) throws(SourceError) -> WebhookOutcome {
        do { try signature.verify(headers: request.headers, body: request.body, now: now) } catch { throw .signature(error) }
        let document = try SourceMapping.object(request.body)
        guard let type = document["type"]?.stringValue else {
            throw SourceMapping.invalid(JSONPointer(["type"]), "required string 'type' is missing")
        }
        guard StripeSource.handledTypes.contains(type) else {
            return .ignored(reason: "event type \(SourceMapping.describe(type)) is not a conversion")
        }
        let envelope = try StripeEnvelope(document: document, source: name, now: now)
        switch type {
        case "checkout.session.completed": return try envelope.checkoutSession()
        case "payment_intent.succeeded": return try envelope.paymentIntent()
        case "invoice.paid": return try envelope.invoice()
        default: return try envelope.chargeRefunded()
        }
    }
}
