import BridgeCore

/// One LinkedIn conversion event, encoded once as sent. How each field is
/// filled is described in `LinkedInDestination+Payload.swift`.
struct LinkedInConversionEvent: DestinationItem, Equatable {
    /// `conversion`: `urn:lla:llaPartnerConversion:{conversion_rule_id}`.
    let conversion: String
    /// `conversionHappenedAt`: epoch milliseconds, never later than the send time.
    let conversionHappenedAt: Int64
    /// `conversionValue`: omitted without a value.
    let conversionValue: LinkedInMoney?
    /// `eventId`: the bridge's event id (deduplication with the Insight Tag).
    let eventID: String
    let user: LinkedInUser

    enum CodingKeys: String, CodingKey {
        case conversion, conversionHappenedAt, conversionValue
        case eventID = "eventId"
        case user
    }
}

/// `conversionValue`.
struct LinkedInMoney: Encodable, Sendable, Equatable {
    /// ISO 4217, upper case.
    let currencyCode: String
    /// A decimal string with the currency's minor-unit digits, never negative.
    let amount: String
}

/// `user`: `userIds` always present (LinkedIn answers 422 without it), possibly empty.
struct LinkedInUser: Encodable, Sendable, Equatable {
    let userIds: [LinkedInUserID]
    let userInfo: LinkedInUserInfo?
}

/// One `userIds` entry: a hashed e-mail, or the `li_fat_id` in clear.
struct LinkedInUserID: Encodable, Sendable, Equatable {
    enum Value: Sendable, Equatable {
        /// `SHA256_EMAIL`: 64 lowercase hex.
        case sha256Email(String)
        /// `LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID`: the `li_fat_id` as received, in clear.
        case firstPartyAdsTrackingUUID(ClearText)
    }

    let value: Value

    enum CodingKeys: String, CodingKey {
        case idType, idValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch value {
        case .sha256Email(let digest):
            try container.encode("SHA256_EMAIL", forKey: .idType)
            try container.encode(digest, forKey: .idValue)
        case .firstPartyAdsTrackingUUID(let id):
            try container.encode("LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", forKey: .idType)
            try container.encode(id, forKey: .idValue)
        }
    }
}

/// `userInfo`: names and country in clear text. `companyName` and `title`
/// have no canonical source field and are not sent.
struct LinkedInUserInfo: Encodable, Sendable, Equatable {
    let firstName: ClearText
    let lastName: ClearText
    /// ISO 3166-1 alpha-2, upper case.
    let countryCode: ClearText?
}

/// The body of `POST /rest/conversionEvents` (`BATCH_CREATE`).
struct LinkedInBatchCreateRequest: Encodable {
    /// The items, as encoded once.
    let elements: [JSONFragment]
}
