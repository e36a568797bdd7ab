import BridgeCore

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
    /// Reconciliation against the sources' own records (`docs/reconciliation.md`).
    public var reconciliation: ReconciliationConfig
    /// Values that came from a non-empty `${VAR:-fallback}` fallback, set by
    /// `ConfigLoader.parse` (not a key of the file).
    public var fallbacks: [ConfigFallback] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case server, store, sources, destinations, consent, enrichment, audit, alerts, logging, retention, reconciliation
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
        reconciliation = try c.decodeIfPresent(ReconciliationConfig.self, forKey: .reconciliation) ?? ReconciliationConfig()
    }
}
