import BridgeCore

/// One Google Ads `ClickConversion` (REST JSON, camelCase), encoded once as
/// sent. How each field is filled is described in
/// `GoogleAdsDestination+Payload.swift`.
struct GoogleAdsClickConversion: DestinationItem, Equatable {
    /// `conversionAction`: `customers/{customer_id}/conversionActions/{id}`.
    let conversionAction: String
    /// `conversionDateTime`: `yyyy-mm-dd hh:mm:ss+00:00`, never later than the send time.
    let conversionDateTime: String
    /// `conversionValue`: the exact decimal with the currency's minor-unit digits.
    let conversionValue: JSONNumberText?
    /// `currencyCode`: ISO 4217; only with a value.
    let currencyCode: String?
    /// `orderId`: the event id, or the order id (`transaction_id` key).
    let orderID: String
    /// The one click id, in clear: `gclid`, else `gbraid`, else `wbraid`.
    let gclid: ClearText?
    let gbraid: ClearText?
    let wbraid: ClearText?
    /// `userIdentifiers`: the hashed e-mail and phone, each its own entry.
    let userIdentifiers: [GoogleAdsUserIdentifier]?
    /// `consent`: `adUserData` only, when known.
    let consent: GoogleConsent?

    enum CodingKeys: String, CodingKey {
        case conversionAction, conversionDateTime, conversionValue, currencyCode
        case orderID = "orderId"
        case gclid, gbraid, wbraid, userIdentifiers, consent
    }
}

/// One `userIdentifiers` entry: a first-party hashed e-mail or phone.
struct GoogleAdsUserIdentifier: Encodable, Sendable, Equatable {
    /// `userIdentifierSource`: always `FIRST_PARTY`.
    let userIdentifierSource = "FIRST_PARTY"
    /// `hashedEmail`: 64 lowercase hex.
    var hashedEmail: String?
    /// `hashedPhoneNumber`: 64 lowercase hex of `+E.164`.
    var hashedPhoneNumber: String?

    enum CodingKeys: String, CodingKey {
        case userIdentifierSource, hashedEmail, hashedPhoneNumber
    }
}

/// The body of `POST …:uploadClickConversions`.
struct GoogleAdsUploadRequest: Encodable {
    /// The items, as encoded once.
    let conversions: [JSONFragment]
    /// Always `true`: Google judges each conversion separately.
    let partialFailure = true
    /// `validateOnly`: Google validates and uploads nothing.
    let validateOnly: Bool

    enum CodingKeys: String, CodingKey {
        case conversions, partialFailure, validateOnly
    }
}
