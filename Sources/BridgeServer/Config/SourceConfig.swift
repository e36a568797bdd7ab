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
    /// Refuse canonical events carrying properties the schema does not
    /// declare, instead of ignoring and counting them (`standard-webhooks` only).
    public var strict: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, secrets, options, strict
        case toleranceSeconds = "tolerance_seconds"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(String.self, forKey: .kind)
        secrets = (try c.decodeIfPresent([String].self, forKey: .secrets) ?? []).filter { !$0.isEmpty }
        toleranceSeconds = try c.decodeIfPresent(Int64.self, forKey: .toleranceSeconds) ?? 300
        options = try c.decodeIfPresent([String: StringOrList].self, forKey: .options)?.mapValues(\.values) ?? [:]
        strict = try c.decodeIfPresent(Bool.self, forKey: .strict) ?? false
    }
}
