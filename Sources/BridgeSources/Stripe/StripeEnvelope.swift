import BridgeCore

/// What every Stripe event contributes to its canonical event: the event id
/// (the delivery key), the test flag (`livemode: false`), the event time
/// (`created`) and `data.object`.
struct StripeEnvelope {
    let source: String
    /// The event's `evt_…` id.
    let eventID: String
    let isTest: Bool
    let time: Timestamp
    /// `data.object`, the resource the event is about.
    let object: JSONValue

    /// - Throws: `PayloadError` when `id` or `data.object` is missing or
    ///   malformed, or `created` is not Unix seconds.
    init(document: JSONValue, source: String, now: Timestamp) throws(SourceError) {
        guard let id = try SourceMapping.sourceID(document["id"], at: JSONPointer(["id"])) else {
            throw SourceMapping.invalid(JSONPointer(["id"]), "required event id is missing")
        }
        guard let object = document[path: "data", "object"], case .object = object else {
            throw SourceMapping.invalid(JSONPointer(["data", "object"]), "required object is missing")
        }
        self.source = source
        self.eventID = id
        self.object = object
        self.isTest = (document["livemode"]?.boolValue ?? object["livemode"]?.boolValue) == false
        self.time = try SourceMapping.unixTime(document["created"], at: JSONPointer(["created"])) ?? now
    }

    /// The pointer of a member of `data.object`.
    func pointer(_ keys: String...) -> JSONPointer {
        JSONPointer(["data", "object"] + keys)
    }

    /// A required id member of `data.object`.
    func requiredID(_ key: String) throws(SourceError) -> String {
        guard let id = try SourceMapping.sourceID(object[key], at: pointer(key)) else {
            throw SourceMapping.invalid(pointer(key), "required id is missing")
        }
        return id
    }

    /// A new event for the sale `saleID`: `sale:<source>:<sale id>` for a
    /// Purchase. (Refund ids are built by the charge mapping.)
    func purchase(saleID: String, at pointer: JSONPointer) throws(SourceError) -> ConversionEvent {
        ConversionEvent(
            eventID: try SourceMapping.eventID(["sale", source, saleID], at: pointer),
            eventName: .purchase,
            eventTime: time,
            source: source,
            isTest: isTest)
    }

    /// The accepted outcome for one event, keyed by the Stripe event id.
    func accepted(_ event: ConversionEvent, cumulativeRefund: CumulativeRefund? = nil) -> WebhookOutcome {
        .accepted(
            IngestBatch(
                events: [IngestEvent(event: event, cumulativeRefund: cumulativeRefund)],
                deliveryKeys: ["stripe-event:\(eventID)"]))
    }
}
