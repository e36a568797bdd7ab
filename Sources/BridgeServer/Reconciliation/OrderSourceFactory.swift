import BridgeCore
import BridgeReconcile
import BridgeSources
import Logging

/// Builds the client that reads a configured source's own records, from its
/// `reconciliation.sources` entry (or an order file for a custom backend).
enum OrderSourceFactory {
    /// - Throws: `ReconciliationRequestError` when the source is unknown, has no
    ///   entry, or is given a file it does not take; `SourceClientError` when a URL is refused.
    static func make(
        source name: String, ordersFile: String?, config: BridgeConfig, http: SourceHTTP, logger: Logger
    ) throws -> any OrderSource {
        guard let kind = ReconciliationConfig.kind(of: name, in: config) else { throw ReconciliationRequestError.unknownSource(name) }
        let custom = kind == "standard-webhooks" || kind == "events-api"
        if let ordersFile {
            guard custom else { throw ReconciliationRequestError.ordersFileNotApplicable(source: name, kind: kind) }
            return OrderFileSource(path: ordersFile)
        }
        guard let entry = config.reconciliation.entry(for: name) else { throw ReconciliationRequestError.notConfigured(source: name, kind: kind) }
        let settings = sourceSettings(name, config: config)
        switch kind {
        case "shopify":
            guard let url = entry.apiURL, let token = entry.accessToken else { throw ReconciliationRequestError.notConfigured(source: name, kind: kind) }
            return try ShopifyOrdersClient(
                settings: settings, apiURL: url, apiVersion: entry.apiVersion ?? "2025-10", accessToken: token, http: http, logger: logger)
        case "stripe":
            guard let key = entry.apiKey else { throw ReconciliationRequestError.notConfigured(source: name, kind: kind) }
            let kinds = (entry.objects ?? []).compactMap(StripeObjectListing.Kind.init(rawValue:))
            return try StripeListClient(
                source: name, secretKey: key, kinds: kinds.isEmpty ? StripeObjectListing.Kind.allCases : kinds,
                apiURL: entry.apiURL ?? "https://api.stripe.com", http: http, logger: logger)
        case "woocommerce":
            guard let url = entry.baseURL, let key = entry.consumerKey, let secret = entry.consumerSecret else {
                throw ReconciliationRequestError.notConfigured(source: name, kind: kind)
            }
            return try WooCommerceOrdersClient(settings: settings, baseURL: url, consumerKey: key, consumerSecret: secret, http: http, logger: logger)
        default:
            guard let url = entry.ordersURL else { throw ReconciliationRequestError.notConfigured(source: name, kind: kind) }
            return try OrdersEndpointClient(url: url, token: entry.token, http: http, logger: logger)
        }
    }

    /// The webhook adapter's settings of `name` (its options decide which statuses count).
    static func sourceSettings(_ name: String, config: BridgeConfig) -> SourceSettings {
        guard let source = config.sources.first(where: { $0.name == name }) else { return SourceSettings(name: name, secrets: []) }
        return SourceSettings(name: source.name, secrets: source.secrets, toleranceSeconds: source.toleranceSeconds, options: source.options)
    }
}
