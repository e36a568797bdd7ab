import BridgeCore

/// One Pinterest conversion event: one element of the request's `data`, as
/// the OpenAPI schema `ConversionEvents` describes it. Built by
/// `PinterestDestination.makeItem` (`PinterestDestination+Payload.swift`) and
/// encoded once by `JSONBytesEncoder`: members in this order, absent
/// optionals left out. Values Pinterest takes in clear are `ClearText`.
struct PinterestEvent: DestinationItem {
    /// Pinterest's own name (`checkout` for a purchase, `signup`, …, `custom`).
    var eventName: String
    /// The configured `action_source` (`web`, `offline`, `app_android`, `app_ios`).
    var actionSource: String
    /// Unix seconds.
    var eventTime: Int64
    /// The canonical event id: Pinterest deduplicates Tag and API copies on it.
    var eventID: String
    /// The page the conversion happened on, in clear (it comes from the
    /// buyer's landing URL and may carry click ids).
    var eventSourceURL: ClearText?
    /// The configured `partner_name` (`ss-<partner>`).
    var partnerName: String?
    /// Always present: `true` when the event may be used for attribution only.
    var optOut: Bool
    var userData: HashedUserData
    /// Value, currency, order id, lines and the privacy flag; absent when empty.
    var customData: PinterestCustomData?

    enum CodingKeys: String, CodingKey {
        case eventName = "event_name"
        case actionSource = "action_source"
        case eventTime = "event_time"
        case eventID = "event_id"
        case eventSourceURL = "event_source_url"
        case partnerName = "partner_name"
        case optOut = "opt_out"
        case userData = "user_data"
        case customData = "custom_data"
    }
}

/// An event's `custom_data`.
struct PinterestCustomData: Encodable, Sendable {
    /// The ISO 4217 code, upper case.
    var currency: String?
    /// A **string** (Pinterest parses it) from the exact decimal with the
    /// currency's minor-unit digits (`"129.90"`), never through `Double`.
    var value: String?
    var orderID: String?
    /// Each line's id once, in order.
    var contentIDs: [String]?
    var contents: [PinterestContent]?
    /// The sum of the lines' quantities.
    var numItems: Int?
    /// `LDP` under Limited Data Processing (a US state opt-out).
    var optOutType: String?

    enum CodingKeys: String, CodingKey {
        case currency, value
        case orderID = "order_id"
        case contentIDs = "content_ids"
        case contents
        case numItems = "num_items"
        case optOutType = "opt_out_type"
    }

    var isEmpty: Bool { currency == nil && value == nil && orderID == nil && contents == nil && optOutType == nil }
}

/// One order line in `custom_data.contents`.
struct PinterestContent: Encodable, Sendable {
    var id: String
    /// The unit price as a **string** from the exact decimal (`"34.00"`).
    var itemPrice: String?
    var quantity: Int
    var itemName: String?

    enum CodingKeys: String, CodingKey {
        case id
        case itemPrice = "item_price"
        case quantity
        case itemName = "item_name"
    }
}

/// The request body: `{"data": [events]}`, the events already encoded.
struct PinterestRequestBody: Encodable {
    var data: [JSONFragment]

    /// The body encoded once, the events' bytes copied in as they are.
    func encoded() -> EncodedJSON {
        let capacity = data.reduce(16) { $0 + $1.encoded.bytes.count + 1 }
        // Encoded fragments: JSONBytesEncoder never fails on them.
        return (try? JSONBytesEncoder.encode(self, capacity: capacity)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }
}
