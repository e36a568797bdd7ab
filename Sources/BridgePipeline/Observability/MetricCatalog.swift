/// The help text of every metric family `/metrics` exports, the names that
/// libraries' metrics are exported under, and the histograms whose buckets
/// differ from the default. `ConventionalMetricsFactory` applies it, so every
/// family carries `# HELP` and `# TYPE` lines. Listed, with types and labels,
/// in docs/observability.md.
public enum MetricCatalog {
    /// Help text by exported name.
    public static let help: [String: String] = BridgeMetrics.healthHelp.merging(bridgeHelp) { health, _ in health }
        .merging(BridgeMetrics.feedbackHelp) { known, _ in known }

    /// Metrics made by libraries (Hummingbird's `MetricsMiddleware`), renamed
    /// to follow Prometheus conventions (counters end `_total`, durations `_seconds`).
    public static let renamed: [String: String] = [
        "hb.requests": "capi_bridge_http_requests_total",
        "hb.request.errors": "capi_bridge_http_request_errors_total",
        "http.server.request.duration": "capi_bridge_http_request_duration_seconds",
        "http.server.active_requests": "capi_bridge_http_active_requests",
    ]

    /// Buckets of the end-to-end latency histogram: from 100 ms to 48 hours,
    /// the horizon over which a delivery may still be retried.
    public static let endToEndBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300),
        .seconds(900), .seconds(3_600), .seconds(3 * 3_600), .seconds(6 * 3_600), .seconds(12 * 3_600),
        .seconds(24 * 3_600), .seconds(48 * 3_600),
    ]

    /// Histogram buckets by exported name, where the default (5 ms to 10 s) does not fit.
    public static let durationBuckets: [String: [Duration]] = ["capi_bridge_end_to_end_seconds": endToEndBuckets]

    private static let bridgeHelp: [String: String] = [
        "capi_bridge_build_info": "Always 1; the version label names the running capi-bridge build",
        "capi_bridge_ingest_requests_total": "Webhook and events-API requests by source and outcome",
        "capi_bridge_ingest_events_total": "Events stored (accepted) or recognised as duplicates, by source",
        "capi_bridge_ingest_ignored_properties_total": "Undeclared properties of canonical events ignored (not stored), by source",
        "capi_bridge_privacy_requests_total": "Privacy requests (compliance webhooks) received, by source and topic",
        "capi_bridge_ingest_ack_seconds": "Time from request to durable acknowledgement, by source",
        "capi_bridge_prepare_deliveries_total": "Deliveries written by the prepare stage, by destination, source and state",
        "capi_bridge_consent_decisions_total": "Consent decisions per delivery, by destination, action and reason",
        "capi_bridge_deliveries_total": "Delivery outcomes (delivered, retry, dead_letter) by destination",
        "capi_bridge_delivery_requests_total": "Requests sent to a destination, by verdict",
        "capi_bridge_delivery_request_seconds": "Duration of one request to a destination",
        "capi_bridge_end_to_end_seconds": "Time from receipt to acknowledgement by the platform, per delivered event (buckets up to 48 h)",
        "capi_bridge_outbox_pending_events": "Deliveries waiting to be sent, by destination",
        "capi_bridge_dead_letters": "Dead letters currently held, by destination",
        "capi_bridge_outbox_oldest_age_seconds": "Age of the oldest undelivered delivery, by destination",
        "capi_bridge_outbox_unprepared_events": "Events received and not yet prepared",
        "capi_bridge_audit_torn_segments_total": "Torn segments (interrupted writes) moved out of audit files",
        "capi_bridge_audit_write_failures_total": "Audit entries that could not be written (their deliveries stay pending), by destination",
        "capi_bridge_circuit_state": "Circuit breaker per destination: 0 closed, 1 open, 2 paused",
        "capi_bridge_enrichment_lookups_total": "Enrichment lookups by provider and outcome",
        "capi_bridge_enrichment_identifiers_added_total": "Identifiers added by enrichment, by provider and identifier",
        "capi_bridge_enrichment_seconds": "Time spent in one enrichment provider for one event",
        "capi_bridge_reconciliation_runs_total": "Reconciliation runs by source, trigger and outcome",
        "capi_bridge_reconciliation_orders": "Orders of the last reconciliation run, by source and category",
        "capi_bridge_reconciliation_backfilled_events_total": "Missing orders stored through ingest by a reconciliation backfill, by source",
        "capi_bridge_reconciliation_alert_active": "1 while the reconciliation alert for this source is raised, else 0",
        "capi_bridge_http_requests_total": "HTTP requests served, by route, method and status code",
        "capi_bridge_http_request_errors_total": "HTTP requests that ended in an error, by route and method",
        "capi_bridge_http_request_duration_seconds": "Duration of HTTP requests served, by route, method and status code",
        "capi_bridge_http_active_requests": "HTTP requests in progress, by method",
    ]
}
