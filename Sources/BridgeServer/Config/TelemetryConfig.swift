import BridgeCore

/// `telemetry:` — OpenTelemetry export (docs/observability.md). Only a build
/// with the `OpenTelemetry` package trait exports; the default build reads
/// and checks the section, and `serve` warns that it is ignored.
public struct TelemetryConfig: Sendable {
    /// Where spans are sent over OTLP/HTTP (protobuf), e.g. a collector on
    /// loopback: `http://127.0.0.1:4318` (`/v1/traces` is appended). `nil`
    /// (the default) exports nothing.
    public var otlpEndpoint: String?

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        if var otlp = reader.section("otlp", problems: &problems) {
            otlpEndpoint = otlp.text("endpoint", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
            otlp.rejectUnknown(problems: &problems)
        }
        reader.rejectUnknown(problems: &problems)
    }

    /// The endpoint must be an `https://` URL, or `http://` to a loopback host.
    func validate(problems: inout [ConfigProblem]) {
        guard let otlpEndpoint else { return }
        do { try OutboundURLPolicy.check(otlpEndpoint, allowInsecure: false) } catch {
            problems.append(ConfigProblem("telemetry.otlp.endpoint", error.description))
        }
    }
}
