import BridgeCore

/// One Data Manager `Event` (REST JSON, camelCase), encoded once as sent.
/// How each field is filled is described in `GoogleDestination+Payload.swift`.
struct DataManagerEvent: DestinationItem, Equatable {
    /// `transactionId`: the event id, or the order id (`transaction_id` key).
    let transactionID: String
    /// `eventTimestamp`: RFC 3339 UTC, never later than the send time.
    let eventTimestamp: String
    /// `eventSource`: `WEB`, `APP`, `IN_STORE`, … (the `event_source` key).
    let eventSource: String
    /// `conversionValue`: the exact decimal with the currency's minor-unit digits.
    let conversionValue: JSONNumberText?
    /// `currency`: ISO 4217, upper case; only with a value.
    let currency: String?
    /// `userData`: the hashed user identifiers (and the clear address parts).
    let userData: DataManagerUserData?
    /// `adIdentifiers`: click ids and the landing-page device, all in clear.
    let adIdentifiers: DataManagerAdIdentifiers?
    /// `cartData`: the order lines, with `merchant_id` only.
    let cartData: DataManagerCartData?
    /// `consent`: this event's Consent Mode values, when known.
    let consent: GoogleConsent?

    enum CodingKeys: String, CodingKey {
        case transactionID = "transactionId"
        case eventTimestamp, eventSource, conversionValue, currency, userData, adIdentifiers, cartData, consent
    }
}

/// `userData`: one entry per identifier.
struct DataManagerUserData: Encodable, Sendable, Equatable {
    let userIdentifiers: [DataManagerUserIdentifier]
}

/// One `userIdentifiers` entry: exactly one of its members is set.
struct DataManagerUserIdentifier: Encodable, Sendable, Equatable {
    /// `emailAddress`: 64 lowercase hex (the request's `encoding` is `HEX`).
    var emailAddress: String?
    /// `phoneNumber`: 64 lowercase hex of `+E.164`.
    var phoneNumber: String?
    /// `address`: only with all four of its parts.
    var address: DataManagerAddress?
}

/// `address`: hashed names, clear region and postal code.
struct DataManagerAddress: Encodable, Sendable, Equatable {
    /// `givenName`: 64 lowercase hex.
    let givenName: String
    /// `familyName`: 64 lowercase hex.
    let familyName: String
    /// `regionCode`: the ISO 3166-1 alpha-2 country, upper case, in clear.
    let regionCode: ClearText
    /// `postalCode`: normalized, in clear.
    let postalCode: ClearText
}

/// `adIdentifiers`: everything in clear.
struct DataManagerAdIdentifiers: Encodable, Sendable, Equatable {
    let gclid: ClearText?
    /// At most one of `gbraid` and `wbraid` (`gbraid` preferred).
    let gbraid: ClearText?
    let wbraid: ClearText?
    let landingPageDeviceInfo: DataManagerDeviceInfo?

    var hasClickID: Bool { gclid != nil || gbraid != nil || wbraid != nil }
    var isEmpty: Bool { !hasClickID && landingPageDeviceInfo == nil }
}

/// `landingPageDeviceInfo`: the browser the conversion came from.
struct DataManagerDeviceInfo: Encodable, Sendable, Equatable {
    let userAgent: ClearText?
    let ipAddress: ClearText?
}

/// `cartData`.
struct DataManagerCartData: Encodable, Sendable, Equatable {
    /// `merchantId`: the Merchant Center id (`merchant_id` key).
    let merchantID: String
    let items: [DataManagerCartItem]

    enum CodingKeys: String, CodingKey {
        case merchantID = "merchantId"
        case items
    }
}

/// One `cartData.items` entry.
struct DataManagerCartItem: Encodable, Sendable, Equatable {
    /// `merchantProductId`: the line's product id.
    let merchantProductID: String
    /// `quantity`: a string (proto3 JSON renders int64 as text).
    let quantity: String
    /// `unitPrice`: the exact decimal, at least the currency's minor-unit digits.
    let unitPrice: JSONNumberText?

    enum CodingKeys: String, CodingKey {
        case merchantProductID = "merchantProductId"
        case quantity, unitPrice
    }
}

/// `consent` of a Data Manager event or a Google Ads click conversion:
/// `CONSENT_GRANTED`/`CONSENT_DENIED` (Data Manager) or `GRANTED`/`DENIED`
/// (Google Ads, which takes `adUserData` only).
struct GoogleConsent: Encodable, Sendable, Equatable {
    let adUserData: String?
    let adPersonalization: String?
}

/// The body of `POST /v1/events:ingest`.
struct DataManagerIngestRequest: Encodable {
    /// One destination: the conversion action of the operating account.
    let destinations: [DataManagerDestination]
    /// `HEX`: every hashed value is lowercase hex.
    let encoding = "HEX"
    /// `validateOnly`: Google validates and ingests nothing.
    let validateOnly: Bool
    /// The items, as encoded once.
    let events: [JSONFragment]

    enum CodingKeys: String, CodingKey {
        case destinations, encoding, validateOnly, events
    }
}

/// One `destinations` entry.
struct DataManagerDestination: Encodable {
    let operatingAccount: DataManagerAccount
    /// The account we authenticate as, when it differs (a manager account).
    let loginAccount: DataManagerAccount?
    /// `productDestinationId`: the conversion action id.
    let productDestinationID: String
    /// `reference`: the `destination_reference` key.
    let reference: String?

    enum CodingKeys: String, CodingKey {
        case operatingAccount, loginAccount
        case productDestinationID = "productDestinationId"
        case reference
    }
}

/// A Google Ads account: `{"accountType": "GOOGLE_ADS", "accountId": …}`.
struct DataManagerAccount: Encodable {
    let accountType = "GOOGLE_ADS"
    /// Ten digits, no dashes.
    let accountID: String

    enum CodingKeys: String, CodingKey {
        case accountType
        case accountID = "accountId"
    }
}
