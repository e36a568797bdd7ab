import BridgeCore
import BridgeSources

/// `reconciliation:` — where each source's own records are read, when
/// `serve` reconciles on its own, and when that raises an alert.
///
/// Without `daily_at`, nothing runs on a schedule; `capi-bridge reconcile`
/// and `POST /v1/reconciliations` still work for every source listed here
/// (and, with `--orders FILE`, for any custom backend).
public struct ReconciliationConfig: Sendable {
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

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        dailyAt = reader.text("daily_at", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        windowHours = reader.number("window_hours", problems: &problems) ?? windowHours
        backfill = reader.bool("backfill", problems: &problems) ?? backfill
        alertMissingOrders = reader.integer("alert_missing_orders", problems: &problems) ?? alertMissingOrders
        if let value = reader.value("alert_undelivered_value") {
            // Written as a number (100) or a string ("100.00").
            if let text = value.scalarText { alertUndeliveredValue = text } else {
                problems.append(ConfigProblem(reader.keyPath("alert_undelivered_value"), "must be a decimal number like 100.00"))
            }
        }
        sources = reader.entries("sources", problems: &problems)?.compactMap { ReconciliationSourceConfig($0, problems: &problems) } ?? []
        reader.rejectUnknown(problems: &problems)
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
public struct ReconciliationSourceConfig: Sendable {
    /// A configured `sources[].name`, or `events_api.source_name`.
    public var source: String
    /// Where the entry was written (`reconciliation.sources[1]`), for problems.
    public var path: String
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

    enum CodingKeys: String, CaseIterable {
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

    /// Reads one entry; `nil` (with a problem) when it names no source.
    init?(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        func text(_ key: CodingKeys) -> String? { reader.text(key.rawValue, problems: &problems).flatMap { $0.isEmpty ? nil : $0 } }
        path = reader.path
        let source = reader.string(CodingKeys.source.rawValue, required: true, problems: &problems)
        apiURL = text(.apiURL)
        apiVersion = text(.apiVersion)
        accessToken = text(.accessToken)
        apiKey = text(.apiKey)
        objects = reader.stringOrList(CodingKeys.objects.rawValue, problems: &problems)?.map(\.value)
        baseURL = text(.baseURL)
        consumerKey = text(.consumerKey)
        consumerSecret = text(.consumerSecret)
        ordersURL = text(.ordersURL)
        token = text(.token)
        reader.rejectUnknown(problems: &problems)
        guard let source else { return nil }
        self.source = source
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
