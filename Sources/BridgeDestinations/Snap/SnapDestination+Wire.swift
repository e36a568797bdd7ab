import BridgeCore

/// One Snap Conversions API v3 event (`CapiEvent`): one element of the
/// request's `data`. Built by `SnapDestination.makeItem`
/// (`SnapDestination+Payload.swift`) and encoded once by `JSONBytesEncoder`:
/// members in this order, absent optionals left out. Values Snap takes in
/// clear are `ClearText`.
struct SnapEvent: DestinationItem {
    /// Snap's upper-case name (`PURCHASE`, `ADD_CART`, …).
    var eventName: String
    /// Unix seconds, never later than the send time.
    var eventTime: Int64
    /// The canonical event id: Snap deduplicates Pixel and API copies on it.
    var eventID: String
    /// The configured `action_source` (`WEB`, `MOBILE_APP`, `OFFLINE`).
    var actionSource: String
    /// The page the conversion happened on, in clear (it may carry click
    /// ids); required for `WEB`.
    var eventSourceURL: ClearText?
    var userData: HashedUserData
    /// Value, currency, order id and lines; absent when the event has none.
    var customData: SnapCustomData?
    /// The configured partner string.
    var integration: String
    /// `["LDU"]` when Limited Data Use applies, else absent.
    var dataProcessingOptions: [String]?
    /// Meta-style country code for LDU (1: United States, 0: geolocated).
    var dataProcessingOptionsCountry: Int?
    /// Meta-style state code for LDU (1000: California, 0: geolocated).
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
        case integration
        case dataProcessingOptions = "data_processing_options"
        case dataProcessingOptionsCountry = "data_processing_options_country"
        case dataProcessingOptionsState = "data_processing_options_state"
        case optOut = "opt_out"
    }
}

/// An event's `custom_data`.
struct SnapCustomData: Encodable, Sendable {
    /// The ISO 4217 code, upper case as in Snap's example.
    var currency: String?
    /// A JSON number from the exact decimal with the currency's minor-unit
    /// digits (`129.90`), never through `Double`.
    var value: JSONNumberText?
    var orderID: String?
    /// Each line's id once, in order.
    var contentIDs: [String]?
    var contents: [ContentLine]?
    /// The sum of the lines' quantities.
    var numItems: Int?

    enum CodingKeys: String, CodingKey {
        case currency, value
        case orderID = "order_id"
        case contentIDs = "content_ids"
        case contents
        case numItems = "num_items"
    }
}

/// The request body: `{"data": [events]}`, the events already encoded.
struct SnapRequestBody: Encodable {
    var data: [JSONFragment]

    /// The body encoded once, the events' bytes copied in as they are.
    func encoded() -> EncodedJSON {
        let capacity = data.reduce(16) { $0 + $1.encoded.bytes.count + 1 }
        // Encoded fragments: JSONBytesEncoder never fails on them.
        return (try? JSONBytesEncoder.encode(self, capacity: capacity)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }
}
