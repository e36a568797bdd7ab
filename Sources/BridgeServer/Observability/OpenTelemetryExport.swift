import Logging
import ServiceLifecycle

#if OpenTelemetry
import OTel
#endif

/// OpenTelemetry export of the bridge's spans (`TraceSpan`: ingest
/// requests, platform requests) over OTLP/HTTP with swift-otel. Compiled in
/// only by `swift build --traits OpenTelemetry`; the default build never
/// fetches or compiles swift-otel, and there `telemetry.otlp.endpoint` is
/// read, checked and ignored with a warning.
public enum OpenTelemetryExport {
    /// Whether this build can export (the `OpenTelemetry` package trait).
    public static var isBuiltIn: Bool {
        #if OpenTelemetry
        return true
        #else
        return false
        #endif
    }

    /// Bootstraps the process's tracer to export to `telemetry.otlp.endpoint`
    /// (traces only: metrics stay on `/metrics`, logs on standard error) and
    /// returns the exporter's service, to run in the service group. `nil`
    /// when no endpoint is set, or when this build cannot export (warned).
    public static func bootstrap(_ telemetry: TelemetryConfig, logger: Logger) throws -> (any Service)? {
        guard let endpoint = telemetry.otlpEndpoint else { return nil }
        #if OpenTelemetry
        var configuration = OTel.Configuration.default
        configuration.serviceName = "capi-bridge"
        configuration.propagators = [.traceContext]
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.endpoint = tracesURL(endpoint)
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        let service = try OTel.bootstrap(configuration: configuration)
        logger.info("exporting traces over OTLP/HTTP (telemetry.otlp.endpoint)")
        return service
        #else
        _ = tracesURL(endpoint)
        logger.warning("telemetry.otlp.endpoint is set, but this build has no OpenTelemetry export (build with --traits OpenTelemetry); ignored")
        return nil
        #endif
    }

    /// The OTLP/HTTP traces URL of a collector endpoint: `/v1/traces`
    /// appended, unless the endpoint already names it.
    public static func tracesURL(_ endpoint: String) -> String {
        var base = Substring(endpoint)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base.hasSuffix("/v1/traces") ? String(base) : base + "/v1/traces"
    }
}
