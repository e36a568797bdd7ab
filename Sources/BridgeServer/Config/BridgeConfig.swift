import BridgeCore
import BridgeStore

/// The whole configuration file (`config/bridge.yaml`), decoded once and
/// passed down. Keys are snake_case in YAML; see `config/bridge.example.yaml`
/// for every option with its default.
public struct BridgeConfig: Sendable, Decodable {
    public var server: ServerConfig
    public var store: StoreConfig
    public var sources: [SourceConfig]
    public var eventsAPI: EventsAPIConfig
    public var destinations: [DestinationConfig]
    /// Consent policy per destination (interpreted by the consent stage).
    public var consent: JSONValue?
    /// Enrichment providers, in order (interpreted by the enrichment stage).
    public var enrichment: JSONValue?
    public var audit: AuditConfig
    public var alerts: AlertsConfig
    public var logging: LoggingConfig
    public var retention: RetentionConfig

    enum CodingKeys: String, CodingKey, CaseIterable {
        case server, store, sources, destinations, consent, enrichment, audit, alerts, logging, retention
        case eventsAPI = "events_api"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        server = try c.decodeIfPresent(ServerConfig.self, forKey: .server) ?? ServerConfig()
        store = try c.decodeIfPresent(StoreConfig.self, forKey: .store) ?? StoreConfig()
        sources = try c.decodeIfPresent([SourceConfig].self, forKey: .sources) ?? []
        eventsAPI = try c.decodeIfPresent(EventsAPIConfig.self, forKey: .eventsAPI) ?? EventsAPIConfig()
        destinations = try c.decodeIfPresent([DestinationConfig].self, forKey: .destinations) ?? []
        consent = try c.decodeIfPresent(JSONValue.self, forKey: .consent)
        enrichment = try c.decodeIfPresent(JSONValue.self, forKey: .enrichment)
        audit = try c.decodeIfPresent(AuditConfig.self, forKey: .audit) ?? AuditConfig()
        alerts = try c.decodeIfPresent(AlertsConfig.self, forKey: .alerts) ?? AlertsConfig()
        logging = try c.decodeIfPresent(LoggingConfig.self, forKey: .logging) ?? LoggingConfig()
        retention = try c.decodeIfPresent(RetentionConfig.self, forKey: .retention) ?? RetentionConfig()
    }
}

/// `retention:` — how long personal data and payloads are kept.
public struct RetentionConfig: Sendable, Decodable {
    /// Sealed raw identifiers (default 7 days, even when undelivered).
    public var sealedIdentifiersDays: Double = 7
    /// Delivered (hashed) payloads (default 30 days).
    public var deliveredPayloadDays: Double = 30
    /// Audit files (default 400 days).
    public var auditDays: Double = 400
    /// How often the sweep runs (default 600 s).
    public var sweepIntervalSeconds: Double = 600

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sealedIdentifiersDays = "sealed_identifiers_days"
        case deliveredPayloadDays = "delivered_payload_days"
        case auditDays = "audit_days"
        case sweepIntervalSeconds = "sweep_interval_seconds"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sealedIdentifiersDays = try c.decodeIfPresent(Double.self, forKey: .sealedIdentifiersDays) ?? sealedIdentifiersDays
        deliveredPayloadDays = try c.decodeIfPresent(Double.self, forKey: .deliveredPayloadDays) ?? deliveredPayloadDays
        auditDays = try c.decodeIfPresent(Double.self, forKey: .auditDays) ?? auditDays
        sweepIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .sweepIntervalSeconds) ?? sweepIntervalSeconds
    }

    /// The store's policy.
    public var policy: RetentionPolicy {
        RetentionPolicy(
            sealedIdentifiers: .seconds(Int64(sealedIdentifiersDays * 86_400)),
            deliveredPayloads: .seconds(Int64(deliveredPayloadDays * 86_400)),
            auditFiles: .seconds(Int64(auditDays * 86_400)))
    }
}

/// `server:` — the HTTP listener.
public struct ServerConfig: Sendable, Decodable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest accepted request body; larger ones get 413.
    public var maxBodyBytes = 1_048_576
    /// Bearer token for the admin routes; admin routes answer 401 without one configured.
    public var adminToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port
        case maxBodyBytes = "max_body_bytes"
        case adminToken = "admin_token"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        adminToken = try c.decodeIfPresent(String.self, forKey: .adminToken).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `store:` — where the outbox lives and how identifiers are sealed.
public struct StoreConfig: Sendable, Decodable {
    public enum Kind: String, Sendable, Decodable, CaseIterable {
        case sqlite
        case postgres
    }

    public var kind = Kind.sqlite
    /// SQLite file (relative paths are relative to the working directory).
    public var path = "data/bridge.sqlite"
    /// PostgreSQL connection URL.
    public var url: String?
    /// Base64 of 32 bytes: the AES-GCM key sealing raw identifiers.
    public var sealKey: String?
    /// Explicit opt-in to a random per-process key when `seal_key` is empty:
    /// for development only, loudly logged.
    public var ephemeralSealKey = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, path, url
        case sealKey = "seal_key"
        case ephemeralSealKey = "ephemeral_seal_key"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? kind
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
        url = try c.decodeIfPresent(String.self, forKey: .url)
        sealKey = try c.decodeIfPresent(String.self, forKey: .sealKey).flatMap { $0.isEmpty ? nil : $0 }
        ephemeralSealKey = try c.decodeIfPresent(Bool.self, forKey: .ephemeralSealKey) ?? false
    }
}

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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, secrets, options
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
    }
}

/// `events_api:` — `POST /v1/events`.
public struct EventsAPIConfig: Sendable, Decodable {
    /// Accepted bearer tokens; the route answers 401 to everything when empty.
    public var tokens: [String] = []
    /// The source name events posted here are stored under.
    public var sourceName = "events-api"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tokens
        case sourceName = "source_name"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tokens = (try c.decodeIfPresent([String].self, forKey: .tokens) ?? []).filter { !$0.isEmpty }
        sourceName = try c.decodeIfPresent(String.self, forKey: .sourceName) ?? sourceName
    }
}

/// One entry of `destinations:`. The keys beyond `name` and `kind` depend on
/// the kind and are read by that destination.
public struct DestinationConfig: Sendable, Decodable {
    public var name: String
    public var kind: String
    /// Every other key, as written.
    public var settings: [String: JSONValue]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.decode(String.self, forKey: AnyCodingKey("name"))
        kind = try c.decode(String.self, forKey: AnyCodingKey("kind"))
        var settings: [String: JSONValue] = [:]
        for key in c.allKeys where key.stringValue != "name" && key.stringValue != "kind" {
            settings[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.settings = settings
    }
}

/// `audit:` — the tamper-evident log of what was sent.
public struct AuditConfig: Sendable, Decodable {
    public var dir = "data/audit"
    /// HMAC key for the digests that replace clear fields in the audit log.
    public var digestKey: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dir
        case digestKey = "digest_key"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dir = try c.decodeIfPresent(String.self, forKey: .dir) ?? dir
        digestKey = try c.decodeIfPresent(String.self, forKey: .digestKey).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `alerts:` — where operator alerts go and when they fire.
public struct AlertsConfig: Sendable, Decodable {
    /// Slack-compatible incoming webhook; no alerts are posted without one.
    public var webhookURL: String?
    /// Dead letters per destination above which an alert fires (default 100).
    public var deadLetterThreshold = 100
    /// Age of the oldest undelivered event above which an alert fires (default 60 min).
    public var oldestUndeliveredMinutes: Double = 60
    /// How long a condition must stay clear before it is resolved (default 5 min).
    public var clearAfterMinutes: Double = 5

    enum CodingKeys: String, CodingKey, CaseIterable {
        case webhookURL = "webhook_url"
        case deadLetterThreshold = "dead_letter_threshold"
        case oldestUndeliveredMinutes = "oldest_undelivered_minutes"
        case clearAfterMinutes = "clear_after_minutes"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhookURL = try c.decodeIfPresent(String.self, forKey: .webhookURL).flatMap { $0.isEmpty ? nil : $0 }
        deadLetterThreshold = try c.decodeIfPresent(Int.self, forKey: .deadLetterThreshold) ?? deadLetterThreshold
        oldestUndeliveredMinutes = try c.decodeIfPresent(Double.self, forKey: .oldestUndeliveredMinutes) ?? oldestUndeliveredMinutes
        clearAfterMinutes = try c.decodeIfPresent(Double.self, forKey: .clearAfterMinutes) ?? clearAfterMinutes
    }

    /// The alert policy these settings describe (validated by the config loader).
    public var policy: AlertPolicy {
        let configuration = (try? AlertPolicy.Configuration(
            deadLetterThreshold: deadLetterThreshold, oldestUndeliveredThreshold: .seconds(Int64(oldestUndeliveredMinutes * 60)),
            clearAfter: .seconds(Int64(clearAfterMinutes * 60)))) ?? .standard
        return AlertPolicy(configuration: configuration)
    }
}

/// `logging:` — JSON-lines logs on standard error.
public struct LoggingConfig: Sendable, Decodable {
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var level = "info"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case level
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decodeIfPresent(String.self, forKey: .level) ?? level
    }
}
