import BridgeCore
import Foundation

/// Writes what would be sent to a JSON-lines file instead of a platform, so
/// the bridge runs, and can be inspected, with no credentials. The default
/// configuration uses it.
///
/// Configuration keys (see `docs/destinations.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `path` | required | the JSON-lines file; relative paths are resolved against the working directory at start-up |
/// | `identifier_rules` | `meta` | whose normalization and hashing rules apply (a platform name) |
/// | `max_events_per_request` | 1000 | events per appended group of lines |
///
/// `makeRequest` returns `url: "file://<absolute path>"` and a body of one
/// line per item, `{"batch_id", "destination", "event": item, "sent_at"}`,
/// each ending in `\n`, for the pipeline to append to the file. Items have
/// `GenericEventItem`'s shape. The pipeline answers a successful append with
/// a synthetic 200 (`delivered`); anything else is read by
/// `DeliveryVerdict.classify(status:…)` (a 5xx for a failed write is retried).
/// The sandbox never refuses an event for its age.
public struct SandboxDestination: Destination {
    public let name: String
    public var kind: String { "sandbox" }
    /// Nothing is sent anywhere: test orders are written too.
    public var sendsToTestMode: Bool { true }
    public let platform: Platform
    public let limits: DestinationLimits

    /// The file, as an absolute path.
    public let path: String
    /// `file://` URL of `path`, percent-encoded.
    public let fileURL: String

    static let knownKeys = ["path", "identifier_rules", "max_events_per_request"]
    /// Ten years: "never too old", "never too far ahead".
    static let unlimitedSeconds: Int64 = 10 * 365 * 86_400

    /// Reads and validates the `sandbox` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        let configured = try reader.requiredString("path", "the JSON-lines file to write, e.g. data/sandbox.jsonl")
        let url = URL(fileURLWithPath: configured).standardizedFileURL
        path = url.path
        fileURL = url.absoluteString
        platform = try WebhookDestination.identifierRules(&reader)
        let maxEvents = try reader.integer("max_events_per_request", default: 1000, in: 1...10_000)
        try reader.rejectUnknownKeys(known: Self.knownKeys)
        limits = DestinationLimits(
            maxEventsPerRequest: maxEvents, maxBytesPerRequest: 8 << 20, maxEventAgeSeconds: Self.unlimitedSeconds,
            maxFutureSkewSeconds: Self.unlimitedSeconds, requestTimeout: .seconds(10))
    }

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        guard let item = GenericEventItem(event, identifiers: identifiers, consent: consent) else { return .skip(reason: "consent_suppressed") }
        return .item(item)
    }

    /// One JSON line per item, `{"batch_id", "destination", "event", "sent_at"}`
    /// (audited as one array of the lines).
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        var body = EncodedJSON(bytes: [])
        body.bytes.reserveCapacity(items.reduce(0) { $0 + $1.bytes.count + 128 })
        let sentAt = now.rfc3339
        for item in items {
            let line = Line(batchID: batchID, destination: name, event: JSONFragment(item), sentAt: sentAt)
            // Strings and a fragment: encoding cannot fail.
            guard let encoded = try? JSONBytesEncoder.encode(line, capacity: item.bytes.count + 128) else { continue }
            body.append(encoded)
            body.bytes.append(UInt8(ascii: "\n"))
        }
        return OutboundRequest(url: fileURL, headers: [], body: body, format: .jsonLines, auditURL: fileURL)
    }

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        if (200..<300).contains(reply.status) { return .delivered }
        return DeliveryVerdict.classify(
            status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: ResponseSummary.make(body: reply.body, limit: 300),
            now: now)
    }
}

extension SandboxDestination {
    /// One line of the file: `{"batch_id", "destination", "event": item, "sent_at"}`.
    struct Line: Encodable {
        let batchID: String
        /// The configured destination name.
        let destination: String
        /// The item, as encoded once.
        let event: JSONFragment
        /// The append's time, RFC 3339 UTC.
        let sentAt: String

        enum CodingKeys: String, CodingKey {
            case batchID = "batch_id"
            case destination, event
            case sentAt = "sent_at"
        }
    }
}
