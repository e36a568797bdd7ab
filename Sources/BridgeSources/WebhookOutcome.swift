import BridgeCore

/// What a verified webhook amounts to.
public enum WebhookOutcome: Sendable {
    /// Conversions to store. `deliveryKeys` identify this delivery (the
    /// sender's delivery id, a body digest…); a key seen before makes the whole
    /// delivery a duplicate.
    case accepted(IngestBatch)
    /// A verified delivery that is not a conversion (a topic we do not count, an
    /// unpaid order): answered 200 `"ignored"`, nothing stored.
    case ignored(reason: String)
    /// An unsigned activation ping (WooCommerce): answered 200, nothing stored.
    case ping
    /// A verified privacy request (Shopify's compliance webhooks): carried
    /// out by the server, answered 200.
    case privacy(PrivacyRequest)
}
