import BridgeCore

/// A custom backend posting canonical conversion events signed per the
/// Standard Webhooks specification: `{"type", "timestamp", "data"}` with
/// `data` a canonical event.
///
/// Idempotency: `webhook-id` per delivery; the event's own `event_id` per sale.
/// Types other than `conversion.*` are verified and ignored. Members of the
/// event the schema does not declare are listed in the answer (`ignored`),
/// or refused when the source is configured `strict: true`.
public struct StandardWebhooksSource: WebhookSource {
    public let name: String
    let signature: StandardWebhooksSignature?
    let schema: JSONSchema
    /// Members the schema does not declare: listed (default) or refused (`strict: true`).
    let unknownProperties: JSONSchema.UnknownProperties

    public init(settings: SourceSettings, schema: JSONSchema = CanonicalEventSchema.compiled) {
        self.name = settings.name
        self.signature = StandardWebhooksSignature(secrets: settings.secrets, toleranceSeconds: settings.toleranceSeconds)
        self.schema = schema
        self.unknownProperties = settings.strict ? .refuse : .ignore
    }

    public func handle(_ request: WebhookRequest, now: Timestamp) throws(SourceError) -> WebhookOutcome {
        guard let signature else { throw .signature(.noSecretMatched(triedSecrets: 0)) }
        let verified: StandardWebhooksSignature.Verified
        do { verified = try signature.verify(headers: request.headers, body: request.body, now: now) } catch {
            throw .signature(error)
        }
        let delivery = ["webhook:" + verified.messageID]
        // One pass straight into the typed event when the body is certainly
        // valid; otherwise the tree and the schema, for the precise error.
        if schema.identifier == CanonicalEventReader.schemaIdentifier,
            let envelope = CanonicalEventReader.envelope(request.body, source: name, unknownProperties: unknownProperties)
        {
            guard let read = envelope.read else { return .ignored(reason: "type \(envelope.type) is not a conversion") }
            return .accepted(IngestBatch(events: read.events.map { IngestEvent(event: $0) }, deliveryKeys: delivery, ignoredProperties: read.ignored))
        }
        let document: JSONValue
        do { document = try JSONParser.parse(request.body) } catch { throw .payload(.malformedJSON(error)) }
        guard case .object = document else { throw .payload(.invalid(.root, "the body must be a JSON object")) }
        guard let type = document["type"]?.stringValue else {
            throw .payload(.invalid(JSONPointer(["type"]), "required string 'type' is missing"))
        }
        guard type.hasPrefix("conversion.") else { return .ignored(reason: "type \(type) is not a conversion") }
        guard let data = document["data"] else {
            throw .payload(.invalid(JSONPointer(["data"]), "required object 'data' is missing"))
        }
        let decoded: ConversionEvent.Decoded
        do {
            decoded = try ConversionEvent.read(
                canonical: data, source: name, schema: schema, unknownProperties: unknownProperties, at: JSONPointer(["data"]))
        } catch {
            throw .payload(.invalid(error))
        }
        return .accepted(IngestBatch(events: [IngestEvent(event: decoded.event)], deliveryKeys: delivery, ignoredProperties: decoded.ignored))
    }
}
