import BridgeCore

/// One entry of `sources:` — a webhook sender and its secrets.
public struct SourceConfig: Sendable {
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

    /// `expect_events_within`, or `nil` when unset (never a silence alert)
    /// or invalid (reported by the config loader).
    public var expectEventsWithin: Duration? { expectEventsWithinText.flatMap(ConfigDuration.parse) }

    /// A missing `name` or `kind` is a problem and reads as empty.
    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        let name = reader.string("name", required: true, problems: &problems)
        let kind = reader.string("kind", required: true, problems: &problems)
        secrets = (reader.strings("secrets", problems: &problems) ?? []).filter { !$0.isEmpty }
        toleranceSeconds = reader.integer("tolerance_seconds", problems: &problems).map(Int64.init) ?? 300
        expectEventsWithinText = reader.text("expect_events_within", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        var options: [String: [String]] = [:]
        if var section = reader.section("options", problems: &problems) {
            for key in section.unreadKeys {
                options[key] = section.stringOrList(key, problems: &problems)?.map(\.value) ?? []
            }
        }
        self.options = options
        reader.rejectUnknown(problems: &problems)
        // Kept when missing, so later entries keep their indices; the
        // problem is already recorded and validation does not repeat it.
        self.name = name ?? ""
        self.kind = kind ?? ""
    }
}
