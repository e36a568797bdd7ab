import BridgeCore

/// The whole configuration file (`config/bridge.yaml`), decoded once and
/// passed down. Keys are snake_case in YAML; see `config/bridge.example.yaml`
/// for every option with its default.
public struct BridgeConfig: Sendable {
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
    /// OpenTelemetry export (`--traits OpenTelemetry` builds).
    public var telemetry: TelemetryConfig
    public var retention: RetentionConfig
    /// Reconciliation against the sources' own records (`docs/reconciliation.md`).
    public var reconciliation: ReconciliationConfig
    /// Confirmed delivery and the platforms' own scores (`docs/platform-feedback.md`).
    public var platformFeedback: PlatformFeedbackConfig
    /// The browser console (`docs/console.md`).
    public var console: ConsoleConfig = ConsoleConfig()
    /// Values that came from a non-empty `${VAR:-fallback}` fallback, set by
    /// `ConfigLoader.parse` (not a key of the file).
    public var fallbacks: [ConfigFallback] = []

    /// Reads the whole file; every section keeps its defaults where it is
    /// absent or a value does not fit (a problem then).
    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        server = reader.section("server", problems: &problems).map { ServerConfig($0, problems: &problems) } ?? ServerConfig()
        store = reader.section("store", problems: &problems).map { StoreConfig($0, problems: &problems) } ?? StoreConfig()
        sources = reader.entries("sources", problems: &problems)?.map { SourceConfig($0, problems: &problems) } ?? []
        eventsAPI = reader.section("events_api", problems: &problems).map { EventsAPIConfig($0, problems: &problems) } ?? EventsAPIConfig()
        destinations = reader.entries("destinations", problems: &problems)?.map { DestinationConfig($0, problems: &problems) } ?? []
        consent = reader.value("consent")
        enrichment = reader.value("enrichment")
        audit = reader.section("audit", problems: &problems).map { AuditConfig($0, problems: &problems) } ?? AuditConfig()
        alerts = reader.section("alerts", problems: &problems).map { AlertsConfig($0, problems: &problems) } ?? AlertsConfig()
        logging = reader.section("logging", problems: &problems).map { LoggingConfig($0, problems: &problems) } ?? LoggingConfig()
        telemetry = reader.section("telemetry", problems: &problems).map { TelemetryConfig($0, problems: &problems) } ?? TelemetryConfig()
        retention = reader.section("retention", problems: &problems).map { RetentionConfig($0, problems: &problems) } ?? RetentionConfig()
        reconciliation = reader.section("reconciliation", problems: &problems).map { ReconciliationConfig($0, problems: &problems) }
            ?? ReconciliationConfig()
        platformFeedback = reader.section("platform_feedback", problems: &problems).map { PlatformFeedbackConfig($0, problems: &problems) }
            ?? PlatformFeedbackConfig()
        console = reader.section("console", problems: &problems).map { ConsoleConfig($0, problems: &problems) } ?? ConsoleConfig()
        reader.rejectUnknown(problems: &problems)
    }
}
