import BridgeCore

/// One Reddit v3 conversion event: one element of the request's
/// `data.events`. Built by `RedditDestination.makeItem`
/// (`RedditDestination+Payload.swift`) and encoded once by
/// `JSONBytesEncoder`: members in this order, absent optionals left out.
/// Values Reddit takes in clear are `ClearText`.
struct RedditEvent: DestinationItem {
    /// Epoch **milliseconds**, never later than the send time.
    var eventAt: Int64
    /// The configured `action_source` (`WEBSITE`, `APP`, …).
    var actionSource: String
    /// The page the conversion happened on, in clear (it may carry click ids).
    var eventSourceURL: ClearText?
    /// The `rdt_cid` click id, in clear.
    var clickID: ClearText?
    var type: RedditEventType
    var metadata: RedditMetadata
    var user: RedditUser

    enum CodingKeys: String, CodingKey {
        case eventAt = "event_at"
        case actionSource = "action_source"
        case eventSourceURL = "event_source_url"
        case clickID = "click_id"
        case type, metadata, user
    }
}

/// An event's `type`.
struct RedditEventType: Encodable, Sendable {
    /// Reddit's UPPER_SNAKE name, `CUSTOM` for events Reddit has no type for.
    var trackingType: String
    /// The canonical name, for `CUSTOM` only.
    var customEventName: String?

    enum CodingKeys: String, CodingKey {
        case trackingType = "tracking_type"
        case customEventName = "custom_event_name"
    }
}

/// An event's `metadata`.
struct RedditMetadata: Encodable, Sendable {
    /// Our event id, unhashed, as the Reddit Pixel sends `conversionId`:
    /// Reddit deduplicates Pixel and API copies on it.
    var conversionID: String
    /// The ISO 4217 code, sent with `value` for the types that carry one.
    var currency: String?
    /// A JSON number in the currency's base unit, from the exact decimal
    /// with the currency's minor-unit digits (`129.90`), never through `Double`.
    var value: JSONNumberText?
    /// The sum of the lines' quantities, for the types that carry one.
    var itemCount: Int?
    var products: [RedditProduct]?

    enum CodingKeys: String, CodingKey {
        case conversionID = "conversion_id"
        case currency, value
        case itemCount = "item_count"
        case products
    }
}

/// One order line in `metadata.products` (Reddit takes `id`, `name` and
/// `category` only; quantities are summed into `item_count`).
struct RedditProduct: Encodable, Sendable {
    var id: String
    var name: String?
}

/// An event's `user`: the match keys as 64-lowercase-hex SHA-256 digests,
/// never anything else (the IP address included, by Reddit's rules), and the
/// user agent in clear.
struct RedditUser: Encodable, Sendable {
    /// Reddit's canonical form, hashed.
    var email: String?
    /// `+E.164`, hashed.
    var phoneNumber: String?
    var externalID: String?
    var ipAddress: String?
    var userAgent: ClearText?
    /// Present only when Limited Data Use applies.
    var dataProcessingOptions: RedditDataProcessingOptions?

    enum CodingKeys: String, CodingKey {
        case email
        case phoneNumber = "phone_number"
        case externalID = "external_id"
        case ipAddress = "ip_address"
        case userAgent = "user_agent"
        case dataProcessingOptions = "data_processing_options"
    }

    /// True when no match key is present.
    var hasNoMatchKey: Bool { email == nil && phoneNumber == nil && externalID == nil && ipAddress == nil && userAgent == nil }
}

/// `user.data_processing_options`: `modes: ["LDU"]` with the country (ISO
/// alpha-2) and region (ISO 3166-2, `US-CA`) when known; without them
/// Reddit locates the user.
struct RedditDataProcessingOptions: Encodable, Sendable {
    var modes: [String]
    var country: String?
    var region: String?
}

/// The request body: `{"data": {"events": [events], "test_id"?: …, "partner"?: …}}`,
/// the events already encoded.
struct RedditRequestBody: Encodable {
    var data: RedditRequestData

    /// The body encoded once, the events' bytes copied in as they are.
    func encoded() -> EncodedJSON {
        let capacity = data.events.reduce(128) { $0 + $1.encoded.bytes.count + 1 }
        // Strings and encoded fragments: JSONBytesEncoder never fails on them.
        return (try? JSONBytesEncoder.encode(self, capacity: capacity)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }
}

/// The body's `data`.
struct RedditRequestData: Encodable, Sendable {
    var events: [JSONFragment]
    /// The Event Testing id: events show in Event Testing only.
    var testID: String?
    /// For registered Reddit partners only.
    var partner: String?

    enum CodingKeys: String, CodingKey {
        case events
        case testID = "test_id"
        case partner
    }
}
