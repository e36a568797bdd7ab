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
    /// - Throws: `PayloadError` with the pointer of the first problem.
    public static func parse(
        _ body: [UInt8], source: String, idempotencyKey: String?, schema: JSONSchema = CanonicalEventSchema.compiled
    ) throws(PayloadError) -> IngestBatch {
        let keys = idempotencyKey.map { ["idempotency:" + $0] } ?? []
        // One pass straight into typed events when the body is certainly valid;
        // otherwise the tree and the schema, for the precise error.
        if schema.identifier == CanonicalEventReader.schemaIdentifier, let events = CanonicalEventReader.batch(body, source: source, limit: limit) {
            return IngestBatch(events: events.map { IngestEvent(event: $0) }, deliveryKeys: keys)
        }
        let document: JSONValue
        do { document = try JSONParser.parse(body) } catch { throw .malformedJSON(error) }
        guard case .object(let members) = document else { throw .invalid(.root, "the body must be a JSON object") }
        for key in members.keys where key != "events" {
            throw .invalid(JSONPointer([key]), "property is not allowed")
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
            let event: ConversionEvent
            do { event = try ConversionEvent.decode(canonical: element, source: source, schema: schema, at: pointer) } catch {
                throw .invalid(error)
            }
            // A repeated event id inside one batch stays in: the store answers it as a duplicate.
            events.append(IngestEvent(event: event))
        }
        return IngestBatch(events: events, deliveryKeys: keys)
    }
}
