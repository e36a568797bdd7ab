import BridgeCore
import Instrumentation
import ServiceContextModule
import Tracing

/// One span of the bridge's work (an ingest request, a request to a
/// platform) through swift-distributed-tracing: a child of the stored or
/// received `traceparent`, recorded by whatever tracer the process
/// bootstrapped. The default build has none (the no-op tracer), so only the
/// trace context itself travels; a build with the `OpenTelemetry` trait and
/// `telemetry.otlp.endpoint` exports the spans (docs/observability.md).
public enum TraceSpan {
    /// Which side of a request the span is.
    public enum Kind: Sendable {
        /// A request the bridge serves (ingest).
        case server
        /// A request the bridge makes (to a platform).
        case client

        var spanKind: SpanKind { self == .server ? .server : .client }
    }

    /// Runs `body` inside a span named `name`, handing it the `traceparent`
    /// that names the span: the tracer's, or without a tracer a new span id
    /// of `parent`'s trace (`nil` when there is neither a parent nor a tracer).
    public static func run<Result>(
        _ name: String, kind: Kind, parent: TraceParent?, attributes: [String: String] = [:],
        _ body: (TraceParent?) async throws -> Result
    ) async rethrows -> Result {
        var context = ServiceContext.topLevel
        if let parent { InstrumentationSystem.instrument.extract(["traceparent": parent.header], into: &context, using: HeaderCarrier()) }
        let span = startSpan(name, context: context, ofKind: kind.spanKind)
        defer { span.end() }
        for (key, value) in attributes { span.attributes[key] = value }
        var injected: [String: String] = [:]
        InstrumentationSystem.instrument.inject(span.context, into: &injected, using: HeaderCarrier())
        let own = injected["traceparent"].flatMap(TraceParent.init(header:)) ?? parent?.child()
        do {
            return try await body(own)
        } catch {
            span.recordError(error)
            throw error
        }
    }

    /// Reads and writes trace headers in a dictionary.
    struct HeaderCarrier: Extractor, Injector {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    }
}
