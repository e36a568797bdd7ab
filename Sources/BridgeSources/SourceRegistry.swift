import BridgeCore

/// The source kinds the bridge knows, by their configuration name. Adding a
/// source means one adapter file and one line here.
public enum SourceRegistry {
    /// Creates the adapter for a configured source kind, or `nil` when the kind
    /// is unknown.
    public static func make(kind: String, settings: SourceSettings) -> (any WebhookSource)? {
        switch kind {
        case "shopify": return ShopifySource(settings: settings)
        case "stripe": return StripeSource(settings: settings)
        case "woocommerce": return WooCommerceSource(settings: settings)
        case "standard-webhooks": return StandardWebhooksSource(settings: settings)
        default: return nil
        }
    }

    /// Every known kind, for configuration errors.
    public static let kinds = ["shopify", "stripe", "woocommerce", "standard-webhooks"]
}
