import BridgeCore
import BridgeDestinations

/// Test conveniences over the typed item API: items built "now" in 2100 (so
/// nothing is clamped unless a test passes its own time), requests from
/// items or JSON trees, and a request's body as JSON.
extension Destination {
    /// `makeItem` at a time after every fixture's event time.
    func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision) -> ItemOutcome {
        makeItem(event, identifiers: identifiers, consent: consent, now: ItemTestSupport.farFuture)
    }

    /// The request for items as `makeItem` returns them.
    func makeRequest(items: [any DestinationItem], batchID: String, now: Timestamp) -> OutboundRequest {
        makeRequest(items: items.map { (try? $0.encoded()) ?? EncodedJSON(bytes: Array("null".utf8)) }, batchID: batchID, now: now)
    }

    /// The request for items given as JSON trees (no clear values marked).
    func makeRequest(items: [JSONValue], batchID: String, now: Timestamp) -> OutboundRequest {
        makeRequest(items: items.map { EncodedJSON(bytes: JSONWriter.bytes($0, sortedKeys: false)) }, batchID: batchID, now: now)
    }
}

extension OutboundRequest {
    /// The body as JSON, as sent (what the audit log records, before digests).
    var auditPayload: JSONValue { json }
}

/// An item compared with the JSON it should encode to.
func == (lhs: any DestinationItem, rhs: JSONValue) -> Bool { lhs.json == rhs }

enum ItemTestSupport {
    /// 2100-01-01: later than any event time in the fixtures.
    static let farFuture = Timestamp(secondsSinceEpoch: 4_102_444_800)
}

extension Destination {
    /// The request for `event`'s item as the pipeline builds it, and its
    /// audit body with every clear value replaced by `"hmac-sha256:" + value.count`.
    func audited(_ event: ConversionEvent, consent: ConsentDecision = DestinationFixtures.granted, count: Int = 1) throws
        -> (request: OutboundRequest, audited: JSONValue)
    {
        let outcome = makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: platform), consent: consent)
        guard case .item(let item) = outcome else { throw DestinationFixtures.FixtureError.skipped }
        let encoded = try item.encoded()
        let request = makeRequest(items: Array(repeating: encoded, count: count), batchID: "b", now: DestinationFixtures.sentAt)
        let body = request.auditBody { "hmac-sha256:\($0.count)" } ?? []
        return (request, try JSONParser.parse(body))
    }
}
