import BridgeCore
import BridgePipeline
import BridgeSources
import BridgeStore
import Foundation
import Synchronization

/// The front door: verifies, maps, validates and durably stores incoming
/// conversions. Independent of HTTP so that routes, the demo and tests share
/// it.
public final class IngestService: Sendable {
    private let sources: [String: SourceEntry]
    private let store: any EventStore
    private let sealer: IdentifierSealer
    private let schema: JSONSchema
    private let eventsAPISource: String
    private let eventsAPITokens: BearerTokens
    private let eventsAPIUnknownProperties: JSONSchema.UnknownProperties
    private let privacy: PrivacyRequestService?
    private let metrics: BridgeMetrics
    private let now: @Sendable () -> Timestamp
    private let maxInFlight: Int
    private let inFlight = Atomic<Int>(0)

    struct SourceEntry: Sendable {
        let kind: String
        let adapter: any WebhookSource
    }

    /// - Parameters:
    ///   - sources: configured sources (adapters are built here).
    ///   - eventsAPI: the `POST /v1/events` settings.
    ///   - store: the outbox.
    ///   - sealer: seals raw identifiers before they are written.
    ///   - metrics: the metrics catalog.
    ///   - privacy: carries out privacy requests (Shopify's compliance
    ///     webhooks); without it they are answered 503, never acknowledged unhandled.
    ///   - maxInFlight: requests waiting for the store beyond which ingest answers 429.
    ///   - now: the clock (a parameter so tests control time).
    public init(
        sources: [SourceConfig],
        eventsAPI: EventsAPIConfig,
        store: any EventStore,
        sealer: IdentifierSealer,
        metrics: BridgeMetrics,
        schema: JSONSchema = CanonicalEventSchema.compiled,
        privacy: PrivacyRequestService? = nil,
        maxInFlight: Int = 8192,
        now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) {
        var entries: [String: SourceEntry] = [:]
        for source in sources {
            let settings = SourceSettings(
                name: source.name, secrets: source.secrets, toleranceSeconds: source.toleranceSeconds, options: source.options,
                strict: source.strict)
            if let adapter = SourceRegistry.make(kind: source.kind, settings: settings) {
                entries[source.name] = SourceEntry(kind: source.kind, adapter: adapter)
            }
        }
        self.sources = entries
        self.store = store
        self.sealer = sealer
        self.schema = schema
        self.eventsAPISource = eventsAPI.sourceName
        self.eventsAPITokens = BearerTokens(eventsAPI.tokens)
        self.eventsAPIUnknownProperties = eventsAPI.strict ? .refuse : .ignore
        self.privacy = privacy
        self.metrics = metrics
        self.maxInFlight = maxInFlight
        self.now = now
    }

    /// Longest delivery id (`webhook-id`, …) or `Idempotency-Key` accepted, in
    /// bytes: they become stored idempotency keys, so a longer one is refused
    /// rather than stored or silently dropped.
    public static let maxKeyBytes = 256

    /// Headers whose value identifies a delivery and is kept as an idempotency key.
    static let deliveryIDHeaders = [
        "webhook-id", "svix-id", "idempotency-key", "shopify-webhook-id", "x-shopify-webhook-id", "shopify-event-id", "x-shopify-event-id",
    ]

    /// The source name `POST /v1/events` stores its events under.
    public var eventsAPISourceName: String { eventsAPISource }

    /// Whether `name` is a configured webhook source.
    public func hasSource(_ name: String) -> Bool { sources[name] != nil }

    /// Handles `POST /v1/webhooks/{name}`; `trace` is the request's valid
    /// `traceparent`, whose trace the events are stored in (a new trace when `nil`).
    public func receiveWebhook(source name: String, headers: HeaderFields, body: [UInt8], trace: TraceParent? = nil)
        async throws(IngestError) -> IngestResponse
    {
        guard let entry = sources[name] else {
            metrics.ingestRequest(source: "unknown", outcome: .unknownSource)
            throw .unknownSource(name)
        }
        do throws(IngestError) {
            for header in Self.deliveryIDHeaders { try checkKeyLength(headers[header], header: header) }
            try checkContentType(headers["content-type"], allowForm: entry.kind == "woocommerce")
            let outcome: WebhookOutcome
            do { outcome = try entry.adapter.handle(WebhookRequest(headers: headers, body: body), now: now()) } catch {
                throw IngestError.source(error)
            }
            switch outcome {
            case .ping:
                metrics.ingestRequest(source: name, outcome: .ping)
                return IngestResponse(status: .ok, reason: "ping")
            case .ignored(let reason):
                metrics.ingestRequest(source: name, outcome: .ignored)
                return IngestResponse(status: .ignored, reason: reason)
            case .accepted(let batch):
                if entry.kind != "standard-webhooks" { try validateMapped(batch) }
                return try await store(batch, source: name, trace: trace)
            case .privacy(let request):
                guard let privacy else { throw IngestError.privacyUnavailable }
                let response = try await privacy.handle(request, source: name)
                metrics.ingestRequest(source: name, outcome: .privacy)
                return response
            }
        } catch {
            metrics.ingestRequest(source: name, outcome: BridgeMetrics.IngestOutcome(error))
            throw error
        }
    }

    /// Handles `POST /v1/events` (bearer token, canonical events); `trace`
    /// is the request's valid `traceparent` (a new trace when `nil`).
    public func receiveEvents(authorization: String?, idempotencyKey: String?, contentType: String?, body: [UInt8], trace: TraceParent? = nil)
        async throws(IngestError) -> IngestResponse
    {
        let source = eventsAPISource
        do throws(IngestError) {
            try authorize(authorization)
            try checkKeyLength(idempotencyKey, header: "idempotency-key")
            try checkContentType(contentType, allowForm: false)
            let batch: IngestBatch
            do {
                batch = try EventsBatch.parse(
                    body, source: source, idempotencyKey: idempotencyKey, schema: schema, unknownProperties: eventsAPIUnknownProperties)
            } catch {
                throw IngestError.source(.payload(error))
            }
            return try await store(batch, source: source, trace: trace)
        } catch {
            metrics.ingestRequest(source: source, outcome: BridgeMetrics.IngestOutcome(error))
            throw error
        }
    }

    private func authorize(_ header: String?) throws(IngestError) {
        guard !eventsAPITokens.isEmpty else { throw .unauthorized("the events API has no token configured") }
        guard BearerTokens.isBearer(header) else { throw .unauthorized("missing bearer token") }
        guard eventsAPITokens.accepts(authorization: header) else { throw .unauthorized("the bearer token is not valid") }
    }

    private func checkKeyLength(_ value: String?, header: String) throws(IngestError) {
        if let value, value.utf8.count > Self.maxKeyBytes { throw .keyTooLong(header: header, limit: Self.maxKeyBytes) }
    }

    private func checkContentType(_ value: String?, allowForm: Bool) throws(IngestError) {
        guard let value else { throw .unsupportedMediaType(nil) }
        let mediaType = value.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace().lowercased() } ?? ""
        if mediaType == "application/json" { return }
        if allowForm, mediaType == "application/x-www-form-urlencoded" { return }
        throw .unsupportedMediaType(mediaType.isEmpty ? nil : String(mediaType.prefix(100)))
    }

    /// Validates events mapped from a source's own format against the canonical schema.
    func validateMapped(_ batch: IngestBatch) throws(IngestError) {
        for ingestEvent in batch.events where !ingestEvent.event.certainlyMatchesCanonicalSchema {
            let violations = schema.validate(ingestEvent.event.canonicalJSON())
            if !violations.isEmpty { throw .mappedEventInvalid(EventValidationError(violations)) }
        }
    }

    /// Stores `batch` inside an ingest span, child of `trace` when the
    /// request carried one; the events keep the span's trace context (a
    /// new trace when there is neither a parent nor a tracer).
    func store(_ batch: IngestBatch, source: String, trace: TraceParent?) async throws(IngestError) -> IngestResponse {
        let outcome = await TraceSpan.run("ingest \(source)", kind: .server, parent: trace, attributes: ["source.name": source]) {
            own -> Result<IngestResponse, IngestError> in
            let stored = own ?? .start()
            do throws(IngestError) {
                var response = try await store(batch, source: source, stored: stored)
                response.traceParent = stored
                return .success(response)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    private func store(_ batch: IngestBatch, source: String, stored trace: TraceParent) async throws(IngestError) -> IngestResponse {
        let started = ContinuousClock.now
        let records = batch.events.map { OutboxRecord($0, sealer: sealer) }
        let request = IngestRequest(source: source, deliveryKeys: batch.deliveryKeys, records: records, receivedAt: now(), traceParent: trace)
        let waiting = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        defer { inFlight.wrappingSubtract(1, ordering: .relaxed) }
        guard waiting <= maxInFlight else { throw .overloaded }
        let result: IngestResult
        do { result = try await store.ingest(request) } catch { throw .store(error) }
        let elapsed = ContinuousClock.now - started
        metrics.ingestAcknowledged(source: source, nanoseconds: elapsed.nanoseconds)
        metrics.ingestIgnoredProperties(source: source, count: batch.ignoredProperties.count)
        switch result {
        case .duplicateDelivery:
            metrics.ingestRequest(source: source, outcome: .duplicate)
            metrics.ingestEvents(source: source, accepted: 0, duplicates: records.count)
            return IngestResponse(
                status: .duplicate, events: records.map { ($0.eventID, .duplicate) }, ignoredProperties: batch.ignoredProperties)
        case .stored(let outcomes):
            let accepted = outcomes.filter { $0 == .accepted }.count
            metrics.ingestEvents(source: source, accepted: accepted, duplicates: outcomes.count - accepted)
            metrics.ingestRequest(source: source, outcome: accepted > 0 ? .accepted : .duplicate)
            let events = zip(records, outcomes).map { (id: $0.0.eventID, outcome: $0.1) }
            return IngestResponse(status: accepted > 0 ? .accepted : .duplicate, events: events, ignoredProperties: batch.ignoredProperties)
        }
    }
}

extension BridgeMetrics.IngestOutcome {
    init(_ error: IngestError) {
        switch error {
        case .unknownSource: self = .unknownSource
        case .unsupportedMediaType: self = .unsupportedMediaType
        case .unauthorized: self = .unauthorized
        case .bodyTooLarge: self = .tooLarge
        case .keyTooLong: self = .invalidPayload
        case .source(.signature(.timestampOutsideTolerance)): self = .staleTimestamp
        case .source(.signature): self = .badSignature
        case .source(.payload), .mappedEventInvalid: self = .invalidPayload
        case .overloaded: self = .overloaded
        case .store, .privacyUnavailable: self = .storeUnavailable
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : product + attoseconds / 1_000_000_000
    }
}

extension Timestamp {
    /// The current wall-clock time.
    public static func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
