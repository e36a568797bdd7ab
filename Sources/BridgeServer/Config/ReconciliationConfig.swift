import BridgeCore
import BridgeSources

/// `reconciliation:` — where each source's own records are read, when
/// `serve` reconciles on its own, and when that raises an alert.
///
/// Without `daily_at`, nothing runs on a schedule; `capi-bridge reconcile`
/// and `POST /v1/reconciliations` still work for every source listed here
/// (and, with `--orders FILE`, for any custom backend).
public struct ReconciliationConfig: Sendable, Decodable {
    /// `HH:MM`, UTC: the daily run; `nil`: no schedule.
    public var dailyAt: String?
    /// How far back each scheduled run looks (default 48 h).
    public var windowHours: Double = 48
    /// Whether scheduled runs backfill missing orders (default false: report only).
    public var backfill = false
    /// A scheduled run finding more missing orders than this raises the alert (default 0).
    public var alertMissingOrders = 0
    /// …or more missing plus dead-lettered value than this in one currency (default: not watched).
    public var alertUndeliveredValue: String?
    /// Per source: where its records are read.
    public var sources: [ReconciliationSourceConfig] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dailyAt = "daily_at"
        case windowHours = "window_hours"
        case backfill
        case alertMissingOrders = "alert_missing_orders"
        case alertUndeliveredValue = "alert_undelivered_value"
        case sources
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dailyAt = try c.decodeIfPresent(String.self, forKey: .dailyAt).flatMap { $0.isEmpty ? nil : $0 }
        windowHours = try c.decodeIfPresent(Double.self, forKey: .windowHours) ?? windowHours
        backfill = try c.decodeIfPresent(Bool.self, forKey: .backfill) ?? backfill
        alertMissingOrders = try c.decodeIfPresent(Int.self, forKey: .alertMissingOrders) ?? alertMissingOrders
        alertUndeliveredValue = try c.decodeIfPresent(StringOrNumber.self, forKey: .alertUndeliveredValue)?.text
        sources = try c.decodeIfPresent([ReconciliationSourceConfig].self, forKey: .sources) ?? []
    }

    /// The schedule, when `daily_at` is set and valid.
    public var schedule: ReconciliationSchedule? {
        guard let dailyAt else { return nil }
        return try? ReconciliationSchedule(dailyAt: dailyAt, window: .seconds(Int64(windowHours * 3600)))
    }

    /// The alert thresholds.
    public var alertPolicy: ReconciliationAlertPolicy {
        ReconciliationAlertPolicy(missingOrders: alertMissingOrders, undeliveredValue: alertUndeliveredValue.flatMap { Money.Amount($0) })
    }

    /// The entry for `source`, if any.
    public func entry(for source: String) -> ReconciliationSourceConfig? { sources.first { $0.source == source } }
}

/// One entry of `reconciliation.sources`: which configured source, and the
/// keys of its kind's API (credentials from the environment, `${VAR}`).
///
/// | source kind | keys |
/// |---|---|
/// | `shopify` | `api_url` (`https://<shop>.myshopify.com`), `access_token`, `api_version` (default `2025-10`) |
/// | `stripe` | `api_key` (a restricted key with read access), `objects` (default both), `api_url` (tests) |
/// | `woocommerce` | `base_url`, `consumer_key`, `consumer_secret` |
/// | `standard-webhooks`, the events API | `orders_url`, `token` (optional) |
public struct ReconciliationSourceConfig: Sendable, Decodable {
    /// A configured `sources[].name`, or `events_api.source_name`.
    public var source: String
    public var apiURL: String?
    public var apiVersion: String?
    public var accessToken: String?
    public var apiKey: String?
    public var objects: [String]?
    public var baseURL: String?
    public var consumerKey: String?
    public var consumerSecret: String?
    public var ordersURL: String?
    public var token: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case source
        case apiURL = "api_url"
        case apiVersion = "api_version"
        case accessToken = "access_token"
        case apiKey = "api_key"
        case objects
        case baseURL = "base_url"
        case consumerKey = "consumer_key"
        case consumerSecret = "consumer_secret"
        case ordersURL = "orders_url"
        case token
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? { try c.decodeIfPresent(String.self, forKey: key).flatMap { $0.isEmpty ? nil : $0 } }
        source = try c.decode(String.self, forKey: .source)
        apiURL = try text(.apiURL)
        apiVersion = try text(.apiVersion)
        accessToken = try text(.accessToken)
        apiKey = try text(.apiKey)
        objects = try c.decodeIfPresent(StringOrList.self, forKey: .objects)?.values
        baseURL = try text(.baseURL)
        consumerKey = try text(.consumerKey)
        consumerSecret = try text(.consumerSecret)
        ordersURL = try text(.ordersURL)
        token = try text(.token)
    }

    /// The keys each source kind uses, and which of them are required.
    static func keys(forKind kind: String) -> (required: [CodingKeys], optional: [CodingKeys]) {
        switch kind {
        case "shopify": return ([.apiURL, .accessToken], [.apiVersion])
        case "stripe": return ([.apiKey], [.objects, .apiURL])
        case "woocommerce": return ([.baseURL, .consumerKey, .consumerSecret], [])
        default: return ([.ordersURL], [.token])
        }
    }

    /// The keys set in this entry (besides `source`).
    var setKeys: [CodingKeys] {
        var keys: [CodingKeys] = []
        if apiURL != nil { keys.append(.apiURL) }
        if apiVersion != nil { keys.append(.apiVersion) }
        if accessToken != nil { keys.append(.accessToken) }
        if apiKey != nil { keys.append(.apiKey) }
        if objects != nil { keys.append(.objects) }
        if baseURL != nil { keys.append(.baseURL) }
        if consumerKey != nil { keys.append(.consumerKey) }
        if consumerSecret != nil { keys.append(.consumerSecret) }
        if ordersURL != nil { keys.append(.ordersURL) }
        if token != nil { keys.append(.token) }
        return keys
    }
}

/// A YAML scalar read as text whether it was written as a number or a string (`100` or `"100.00"`).
struct StringOrNumber: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = String(describing: try container.decode(Double.self))
        }
    }
}
