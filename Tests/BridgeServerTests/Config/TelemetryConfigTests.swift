import BridgeServer
import Testing

@Suite("telemetry.otlp")
struct TelemetryConfigTests {
    static func parse(_ telemetry: String) throws -> TelemetryConfig {
        try ConfigLoader.parse("store: {ephemeral_seal_key: true}\ntelemetry: \(telemetry)", environment: [:]).telemetry
    }

    @Test("no endpoint by default; an https or loopback http endpoint is read")
    func reads() throws {
        #expect(try ConfigLoader.parse("store: {ephemeral_seal_key: true}", environment: [:]).telemetry.otlpEndpoint == nil)
        #expect(try Self.parse("{otlp: {endpoint: \"\"}}").otlpEndpoint == nil)
        #expect(try Self.parse("{otlp: {endpoint: \"http://127.0.0.1:4318\"}}").otlpEndpoint == "http://127.0.0.1:4318")
        #expect(try Self.parse("{otlp: {endpoint: \"https://otel.example.com\"}}").otlpEndpoint == "https://otel.example.com")
    }

    @Test("a plain-http endpoint off loopback, a non-URL and an unknown key are problems at their key paths")
    func refuses() {
        let base = "store: {ephemeral_seal_key: true}\n"
        #expect(ConfigReaderTests.problems(base + "telemetry: {otlp: {endpoint: \"http://otel.example.com:4318\"}}").map(\.path) == ["telemetry.otlp.endpoint"])
        #expect(ConfigReaderTests.problems(base + "telemetry: {otlp: {endpoint: collector}}").map(\.path) == ["telemetry.otlp.endpoint"])
        #expect(ConfigReaderTests.problems(base + "telemetry: {otlp: {endpoint: \"https://o.example.com\", headers: x}}").map(\.path) == ["telemetry.otlp.headers"])
    }

    @Test("OpenTelemetryExport says whether this build exports")
    func builtIn() {
        #if OpenTelemetry
        #expect(OpenTelemetryExport.isBuiltIn)
        #else
        #expect(!OpenTelemetryExport.isBuiltIn)
        #endif
    }
}

@Suite("OTLP traces URL")
struct OTLPTracesURLTests {
    @Test("the collector endpoint gets /v1/traces once")
    func appends() {
        #expect(OpenTelemetryExport.tracesURL("http://127.0.0.1:4318") == "http://127.0.0.1:4318/v1/traces")
        #expect(OpenTelemetryExport.tracesURL("http://127.0.0.1:4318/") == "http://127.0.0.1:4318/v1/traces")
        #expect(OpenTelemetryExport.tracesURL("https://otel.example.com/v1/traces") == "https://otel.example.com/v1/traces")
    }
}
