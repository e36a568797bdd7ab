import BridgeCore

/// `POST /v1/events`: canonical events in `{"events": [...]}`, authenticated
/// by a bearer token (checked by the server), at most `limit` per request.
public enum EventsBatch {
    /// The largest batch accepted.
    public static let limit = 1000

    /// Parses and validates a batch. One invalid event refuses the whole batch,
    /// so a request is stored entirely or not at all.
    /// - Parameters:
    ///   - body: the raw request body.
    ///   - source: the source name the events are stored under.
    ///   - idempotencyKey: the request's `Idempotency-Key` header, if any.
    ///   - unknownProperties: members the schema does not declare (in the
    ///     body or its events) are listed in `IngestBatch.ignoredProperties`
    ///     (`.ignore`) or refused (`.refuse`, `events_api.strict: true`).
    /// - Throws: `PayloadError` with the pointer of the first problem.
    public static func parse(
        _ body: [UInt8], source: String, idempotencyKey: String?, schema: JSONSchema = CanonicalEventSchema.compiled,
        unknownProperties: JSONSchema.UnknownProperties = .ignore
    ) throws(PayloadError) -> IngestBatch {
        let keys = idempotencyKey.map { ["idempotency:" + $0] } ?? []
        // One pass straight into typed events when the body is certainly valid;
        // otherwise the tree and the schema, for the precise error.
        if schema.identifier == CanonicalEventReader.schemaIdentifier,
            let read = CanonicalEventReader.batch(body, source: source, limit: limit, unknownProperties: unknownProperties)
        {
            return IngestBatch(events: read.events.map { IngestEvent(event: $0) }, deliveryKeys: keys, ignoredProperties: read.ignored)
        }
        let document: JSONValue
        do { document = try JSONParser.parse(body) } catch { throw .malformedJSON(error) }
        guard case .object(let members) = document else { throw .invalid(.root, "the body must be a JSON object") }
        var ignored: [JSONPointer] = []
        var refused: [JSONSchema.Violation] = []
        for key in members.keys.sorted() where key != "events" {
            if unknownProperties == .refuse {
                refused.append(JSONSchema.Violation(pointer: JSONPointer([key]), message: JSONSchema.unknownPropertyMessage, isUnknownProperty: true))
            } else {
                ignored.append(JSONPointer([key]))
            }
        }
        guard case .array(let elements)? = members["events"] else {
            throw .invalid(JSONPointer(["events"]), "required array 'events' is missing")
        }
        guard elements.count <= limit else { throw .tooManyEvents(count: elements.count, limit: limit) }
        guard !elements.isEmpty else { throw .invalid(JSONPointer(["events"]), "must hold at least one event") }
        var events: [IngestEvent] = []
        events.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            let pointer = JSONPointer(["events", String(i)])
            do {
                let decoded = try ConversionEvent.read(
                    canonical: element, source: source, schema: schema, unknownProperties: unknownProperties, at: pointer)
                // A repeated event id inside one batch stays in: the store answers it as a duplicate.
                events.append(IngestEvent(event: decoded.event))
                ignored += decoded.ignored
            } catch {
                throw .invalid(EventValidationError(refused + error.violations))
            }
        }
        guard refused.isEmpty else { throw .invalid(EventValidationError(refused)) }
        return IngestBatch(events: events, deliveryKeys: keys, ignoredProperties: Array(ignored.prefix(100)))
    }
}
