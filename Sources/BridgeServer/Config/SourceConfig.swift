import BridgeCore

/// One entry of `sources:` — a webhook sender and its secrets.
public struct SourceConfig: Sendable, Decodable {
    /// Route name: `POST /v1/webhooks/{name}`.
    public var name: String
    /// `shopify`, `stripe`, `woocommerce` or `standard-webhooks`.
    public var kind: String
    /// Active secrets, several while rotating.
    public var secrets: [String]
    /// Signed-timestamp tolerance in seconds (Stripe, Standard Webhooks).
    public var toleranceSeconds: Int64
    /// Source-specific options (`count_financial_statuses`, `purchase_statuses`).
    public var options: [String: [String]]
    /// `expect_events_within` as written (`6h`): the source is expected to
    /// post at least this often; longer silence raises `source_silent`.
    public var expectEventsWithinText: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, secrets, options
        case toleranceSeconds = "tolerance_seconds"
        case expectEventsWithin = "expect_events_within"
    }

    /// `expect_events_within`, or `nil` when unset (never a silence alert)
    /// or invalid (reported by the config loader).
    public var expectEventsWithin: Duration? { expectEventsWithinText.flatMap(ConfigDuration.parse) }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(String.self, forKey: .kind)
        secrets = (try c.decodeIfPresent([String].self, forKey: .secrets) ?? []).filter { !$0.isEmpty }
        toleranceSeconds = try c.decodeIfPresent(Int64.self, forKey: .toleranceSeconds) ?? 300
        options = try c.decodeIfPresent([String: StringOrList].self, forKey: .options)?.mapValues(\.values) ?? [:]
        expectEventsWithinText = try c.decodeIfPresent(String.self, forKey: .expectEventsWithin).flatMap { $0.isEmpty ? nil : $0 }
    }
}
