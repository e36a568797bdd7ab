import BridgeCore

/// One TikTok Events API 2.0 event: one element of the request's `data`.
/// Built by `TikTokDestination.makeItem` (`TikTokDestination+Payload.swift`)
/// and encoded once by `JSONBytesEncoder`: members in this order, absent
/// optionals left out. Values TikTok takes in clear are `ClearText`.
struct TikTokEvent: DestinationItem {
    /// TikTok's event name: the configured purchase name, else the canonical name.
    var event: String
    /// Unix seconds, never later than the send time.
    var eventTime: Int64
    /// The canonical event id: TikTok deduplicates Pixel and API copies on it.
    var eventID: String
    var user: TikTokUser
    /// Value, currency, order id and lines; absent when the event has none.
    var properties: WithCustomParameters<TikTokProperties>?
    /// The page the conversion happened on (required for web events).
    var page: TikTokPage
    /// Restricted processing; always present (TikTok's example sends `false`).
    var limitedDataUse: Bool

    enum CodingKeys: String, CodingKey {
        case event
        case eventTime = "event_time"
        case eventID = "event_id"
        case user, properties, page
        case limitedDataUse = "limited_data_use"
    }
}

/// An event's `user`: customer fields as 64-lowercase-hex SHA-256 digests
/// (a value that is not one is never sent under them), the location fields
/// TikTok takes normalized but unhashed, and the browser fields, in clear.
struct TikTokUser: Encodable, Sendable {
    /// A list of one digest.
    var email: [String]?
    /// A list of one digest of the `+E.164` number.
    var phone: [String]?
    /// A list of one digest.
    var externalID: [String]?
    /// One digest.
    var firstName: String?
    /// One digest.
    var lastName: String?
    /// One digest.
    var zipCode: String?
    /// Normalized, in clear (as Segment and RudderStack send it).
    var city: ClearText?
    /// Normalized, in clear.
    var state: ClearText?
    /// Normalized, in clear.
    var country: ClearText?
    /// TikTok's click id, in clear.
    var ttclid: ClearText?
    var ip: ClearText?
    var userAgent: ClearText?

    enum CodingKeys: String, CodingKey {
        case email, phone
        case externalID = "external_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case zipCode = "zip_code"
        case city, state, country, ttclid, ip
        case userAgent = "user_agent"
    }

    var isEmpty: Bool {
        email == nil && phone == nil && externalID == nil && firstName == nil && lastName == nil && zipCode == nil && city == nil
            && state == nil && country == nil && ttclid == nil && ip == nil && userAgent == nil
    }
}

/// An event's `properties` (the event's custom properties follow it: see
/// `TikTokDestination.reservedProperties`).
struct TikTokProperties: Encodable, Sendable, Equatable {
    /// A JSON number from the exact decimal with the currency's minor-unit
    /// digits (`129.90`), never through `Double`.
    var value: JSONNumberText?
    /// The ISO 4217 code as is (upper case).
    var currency: String?
    var orderID: String?
    /// `product` when there are lines.
    var contentType: String?
    var contents: [TikTokContent]?
    /// The sum of the lines' quantities.
    var numItems: Int?

    enum CodingKeys: String, CodingKey {
        case value, currency
        case orderID = "order_id"
        case contentType = "content_type"
        case contents
        case numItems = "num_items"
    }
}

/// One order line in `properties.contents`.
struct TikTokContent: Encodable, Sendable, Equatable {
    var contentID: String
    var contentName: String?
    var quantity: Int
    /// The unit price, a JSON number from the exact decimal (`34.00`).
    var price: JSONNumberText?

    enum CodingKeys: String, CodingKey {
        case contentID = "content_id"
        case contentName = "content_name"
        case quantity, price
    }
}

/// An event's `page`.
struct TikTokPage: Encodable, Sendable {
    /// In clear (it comes from the buyer's landing URL and may carry click ids).
    var url: ClearText
}

/// The request body: `{"event_source": "web", "event_source_id": pixel_code,
/// "partner_name": …, "data": [events], "test_event_code"?: …}`, the events
/// already encoded.
struct TikTokRequestBody: Encodable {
    /// Always `web`: the bridge sends web events.
    var eventSource = "web"
    /// The pixel code.
    var eventSourceID: String
    var partnerName: String
    var data: [JSONFragment]
    /// Routes the events to Events Manager's Test Events tab.
    var testEventCode: String?

    enum CodingKeys: String, CodingKey {
        case eventSource = "event_source"
        case eventSourceID = "event_source_id"
        case partnerName = "partner_name"
        case data
        case testEventCode = "test_event_code"
    }
}

extension TikTokRequestBody {
    /// The body encoded once, the events' bytes copied in as they are.
    func encoded() -> EncodedJSON {
        let capacity = data.reduce(256) { $0 + $1.encoded.bytes.count + 1 }
        // Strings and encoded fragments: JSONBytesEncoder never fails on them.
        return (try? JSONBytesEncoder.encode(self, capacity: capacity)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }
}
