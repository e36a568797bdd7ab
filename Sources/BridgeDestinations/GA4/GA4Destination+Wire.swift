import BridgeCore

/// One GA4 item: a whole Measurement Protocol body for one event, encoded
/// once as sent. How each field is filled is described in
/// `GA4Destination+Payload.swift`.
struct GA4MeasurementBody: DestinationItem, Equatable {
    /// `client_id` (web streams), in clear: it identifies the browser.
    let clientID: ClearText?
    /// `app_instance_id` (app streams), in clear.
    let appInstanceID: ClearText?
    /// `timestamp_micros`: epoch microseconds, never later than the send time.
    let timestampMicros: Int64
    /// `events`: exactly one.
    let events: [GA4Event]
    /// `user_data`: omitted when `ad_user_data` is denied or nothing is known.
    let userData: GA4UserData?
    /// `consent`: the Consent Mode values, each omitted when unknown.
    let consent: GA4Consent?
    /// `ip_override`: the buyer's IP address in clear (geolocation).
    let ipOverride: ClearText?
    /// `validation_behavior`: only toward the validation server.
    let validationBehavior: String?

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case appInstanceID = "app_instance_id"
        case timestampMicros = "timestamp_micros"
        case events
        case userData = "user_data"
        case consent
        case ipOverride = "ip_override"
        case validationBehavior = "validation_behavior"
    }
}

/// One `events` entry.
struct GA4Event: Encodable, Sendable, Equatable {
    /// `name`: GA4's recommended name (`purchase`, `refund`, …).
    let name: String
    /// The bridge's parameters, then the event's custom properties.
    let params: WithCustomParameters<GA4EventParameters>
}

/// An event's `params`.
struct GA4EventParameters: Encodable, Sendable, Equatable {
    /// `transaction_id`: purchases and refunds only.
    let transactionID: String?
    /// `value`: the exact decimal, positive for a refund too.
    let value: JSONNumberText?
    /// `currency`: ISO 4217, upper case; only with a value.
    let currency: String?
    /// `items`: the order lines with an id or a name.
    let items: [GA4ItemLine]?
    /// `debug_mode`: `true` with the `debug_mode` key (DebugView).
    let debugMode: Bool?
    /// `session_id`: the browser session (`client.ga_session_id`), in clear.
    let sessionID: ClearText?

    enum CodingKeys: String, CodingKey {
        case transactionID = "transaction_id"
        case value, currency, items
        case debugMode = "debug_mode"
        case sessionID = "session_id"
    }
}

/// One `items` entry.
struct GA4ItemLine: Encodable, Sendable, Equatable {
    /// `item_id`: at most 100 characters.
    let itemID: String?
    /// `item_name`: at most 100 characters.
    let itemName: String?
    /// `price`: the exact unit price, at least the currency's minor-unit digits.
    let price: JSONNumberText?
    let quantity: Int

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case itemName = "item_name"
        case price, quantity
    }
}

/// `user_data`: GA4's SHA-256 fields as 64 lowercase hex, the address parts in clear.
struct GA4UserData: Encodable, Sendable, Equatable {
    let sha256EmailAddress: [String]?
    let sha256PhoneNumber: [String]?
    /// One address at most.
    let address: [GA4Address]?

    enum CodingKeys: String, CodingKey {
        case sha256EmailAddress = "sha256_email_address"
        case sha256PhoneNumber = "sha256_phone_number"
        case address
    }
}

/// One `user_data.address` entry.
struct GA4Address: Encodable, Sendable, Equatable {
    let sha256FirstName: String?
    let sha256LastName: String?
    let city: ClearText?
    let region: ClearText?
    let postalCode: ClearText?
    /// ISO 3166-1 alpha-2, upper case.
    let country: ClearText?

    enum CodingKeys: String, CodingKey {
        case sha256FirstName = "sha256_first_name"
        case sha256LastName = "sha256_last_name"
        case city, region
        case postalCode = "postal_code"
        case country
    }

    var isEmpty: Bool {
        sha256FirstName == nil && sha256LastName == nil && city == nil && region == nil && postalCode == nil && country == nil
    }
}

/// `consent`: `GRANTED` or `DENIED`.
struct GA4Consent: Encodable, Sendable, Equatable {
    let adUserData: String?
    let adPersonalization: String?

    enum CodingKeys: String, CodingKey {
        case adUserData = "ad_user_data"
        case adPersonalization = "ad_personalization"
    }
}
