import BridgeCore

/// One Meta server event: one element of the request's `data`, as
/// `facebook-business` 26.0.3 `Event.normalize()` emits it. Built by
/// `MetaDestination.makeItem` (`MetaDestination+Payload.swift`) and encoded
/// once by `JSONBytesEncoder`: members in this order, absent optionals left
/// out. Values Meta takes in clear are `ClearText`.
struct MetaServerEvent: DestinationItem {
    /// The canonical event name (`Purchase`, `Refund`, …).
    var eventName: String
    /// Unix seconds, never later than the send time.
    var eventTime: Int64
    /// The canonical event id: Meta deduplicates on it with `event_name`.
    var eventID: String
    /// The configured `action_source`.
    var actionSource: String
    /// The page the conversion happened on, in clear (it comes from the
    /// buyer's landing URL and may carry click ids).
    var eventSourceURL: ClearText?
    var userData: HashedUserData
    /// Value, currency, order id and lines; absent when the event has none.
    var customData: MetaCustomData?
    /// `["LDU"]` when Limited Data Use applies, else absent.
    var dataProcessingOptions: [String]?
    /// Meta's country code for LDU (1: United States, 0: Meta geolocates).
    var dataProcessingOptionsCountry: Int?
    /// Meta's state code for LDU (1000: California, 0: Meta geolocates).
    var dataProcessingOptionsState: Int?
    /// `true` when the event may be used for attribution only, else absent.
    var optOut: Bool?

    enum CodingKeys: String, CodingKey {
        case eventName = "event_name"
        case eventTime = "event_time"
        case eventID = "event_id"
        case actionSource = "action_source"
        case eventSourceURL = "event_source_url"
        case userData = "user_data"
        case customData = "custom_data"
        case dataProcessingOptions = "data_processing_options"
        case dataProcessingOptionsCountry = "data_processing_options_country"
        case dataProcessingOptionsState = "data_processing_options_state"
        case optOut = "opt_out"
    }
}

/// An event's `custom_data`.
struct MetaCustomData: Encodable, Sendable {
    /// A JSON number from the exact decimal with the currency's minor-unit
    /// digits (`129.90`), never through `Double`; positive for refunds.
    var value: JSONNumberText?
    /// The ISO 4217 code, lower case as the SDK sends it.
    var currency: String?
    var orderID: String?
    /// Each line's id once, in order.
    var contentIDs: [String]?
    var contents: [ContentLine]?
    /// `product` when there are lines.
    var contentType: String?
    /// The sum of the lines' quantities.
    var numItems: Int?

    enum CodingKeys: String, CodingKey {
        case value, currency
        case orderID = "order_id"
        case contentIDs = "content_ids"
        case contents
        case contentType = "content_type"
        case numItems = "num_items"
    }
}

/// The request body: `{"data": [events], "partner_agent": …, "test_event_code"?: …}`,
/// the events already encoded.
struct MetaRequestBody: Encodable {
    var data: [JSONFragment]
    /// Identifies the bridge to Meta (`partner_agent`).
    var partnerAgent: String
    /// Routes the events to Events Manager's Test Events tab.
    var testEventCode: String?

    enum CodingKeys: String, CodingKey {
        case data
        case partnerAgent = "partner_agent"
        case testEventCode = "test_event_code"
    }
}

extension MetaRequestBody {
    /// The body encoded once, the events' bytes copied in as they are.
    func encoded() -> EncodedJSON {
        let capacity = data.reduce(128) { $0 + $1.encoded.bytes.count + 1 }
        // Strings and encoded fragments: JSONBytesEncoder never fails on them.
        return (try? JSONBytesEncoder.encode(self, capacity: capacity)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }
}
