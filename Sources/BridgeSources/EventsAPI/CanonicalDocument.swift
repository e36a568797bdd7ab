import BridgeCore

/// The bridge's verdict on a canonical document, reached by the code ingest
/// runs: a bare event (`{"event_id", …}`), a `POST /v1/events` batch
/// (`{"events": […]}`) or a Standard Webhooks body (`{"type", "data"}`).
/// `capi-bridge events validate` prints it per file; the schema corpus
/// (`fixtures/schema-corpus/`) compares it with Python `jsonschema`'s.
public enum CanonicalDocument {
    /// What a document is.
    public enum Shape: String, Sendable {
        case event, batch, envelope
    }

    /// The verdict: valid (with the pointers ignored) or the violations.
    public struct Verdict: Sendable, Equatable {
        public var shape: Shape?
        /// Empty when valid.
        public var violations: [JSONSchema.Violation]
        /// Properties the schema does not declare, ignored (valid documents).
        public var ignored: [JSONPointer]
        /// Whether the one-pass reader decided the document itself (for the
        /// benchmarks' and tests' curiosity; the verdict is the same either way).
        public var readInOnePass: Bool

        public var isValid: Bool { violations.isEmpty }

        public init(shape: Shape?, violations: [JSONSchema.Violation], ignored: [JSONPointer], readInOnePass: Bool) {
            self.shape = shape
            self.violations = violations
            self.ignored = ignored
            self.readInOnePass = readInOnePass
        }
    }

    /// Validates `bytes` as ingest would.
    /// - Parameter unknownProperties: `.refuse` checks as a `strict: true` source does.
    public static func validate(_ bytes: [UInt8], unknownProperties: JSONSchema.UnknownProperties = .ignore) -> Verdict {
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            return Verdict(shape: nil, violations: [JSONSchema.Violation(pointer: .root, message: error.description)], ignored: [], readInOnePass: false)
        }
        let shape = shape(of: document)
        let source = "validate"
        switch shape {
        case .batch:
            let fast = CanonicalEventReader.batch(bytes, source: source, limit: EventsBatch.limit, unknownProperties: unknownProperties)
            do {
                let batch = try EventsBatch.parse(bytes, source: source, idempotencyKey: nil, unknownProperties: unknownProperties)
                return Verdict(shape: shape, violations: [], ignored: batch.ignoredProperties, readInOnePass: fast != nil)
            } catch {
                return Verdict(shape: shape, violations: violations(error), ignored: [], readInOnePass: false)
            }
        case .envelope:
            let fast = CanonicalEventReader.envelope(bytes, source: source, unknownProperties: unknownProperties)?.read
            let data = document["data"] ?? .null
            return tree(data, at: JSONPointer(["data"]), shape: shape, fast: fast, unknownProperties: unknownProperties)
        case .event:
            let fast = CanonicalEventReader.event(bytes, source: source, unknownProperties: unknownProperties)
            return tree(document, at: .root, shape: shape, fast: fast, unknownProperties: unknownProperties)
        }
    }

    /// The tree path's verdict (the one-pass reader's, when it decided, is the same).
    private static func tree(
        _ json: JSONValue, at pointer: JSONPointer, shape: Shape, fast: CanonicalEventReader.ReadEvents?,
        unknownProperties: JSONSchema.UnknownProperties
    ) -> Verdict {
        do {
            let decoded = try ConversionEvent.read(
                canonical: json, source: "validate", schema: CanonicalEventSchema.compiled, unknownProperties: unknownProperties, at: pointer)
            return Verdict(shape: shape, violations: [], ignored: decoded.ignored, readInOnePass: fast != nil)
        } catch {
            return Verdict(shape: shape, violations: error.violations, ignored: [], readInOnePass: false)
        }
    }

    /// A batch has `events` and no `event_id`; a Standard Webhooks body has
    /// `type` and `data` and no `event_id`; anything else is an event.
    public static func shape(of document: JSONValue) -> Shape {
        guard document["event_id"] == nil else { return .event }
        if document["events"] != nil { return .batch }
        if document["type"] != nil, document["data"] != nil { return .envelope }
        return .event
    }

    private static func violations(_ error: PayloadError) -> [JSONSchema.Violation] {
        switch error {
        case .malformedJSON(let parse): [JSONSchema.Violation(pointer: .root, message: parse.description)]
        case .invalid(let validation): validation.violations
        case .tooManyEvents(let count, let limit): [JSONSchema.Violation(pointer: JSONPointer(["events"]), message: "\(count) events; the limit is \(limit)")]
        }
    }
}
