import BridgeCore

/// One LinkedIn conversion event (`LinkedInConversionEvent`, in
/// `LinkedInDestination+Wire.swift`), as `docs/destinations/linkedin.md`
/// shows it:
///
/// ```json
/// {"conversion": "urn:lla:llaPartnerConversion:104012",
///  "conversionHappenedAt": 1773500712000,
///  "conversionValue": {"currencyCode": "EUR", "amount": "129.90"},
///  "eventId": "sale:acme-books:7K2M9Q",
///  "user": {"userIds": [{"idType": "SHA256_EMAIL", "idValue": "<sha256>"},
///                       {"idType": "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", "idValue": "<li_fat_id>"}],
///           "userInfo": {"firstName": "Noah", "lastName": "Schmidt", "countryCode": "DE"}}}
/// ```
///
/// - `conversionHappenedAt` is epoch **milliseconds**; a time later than
///   `now` is sent as `now`.
/// - `conversionValue.amount` is a decimal string with the currency's
///   minor-unit digits (never through `Double`); omitted without a value.
/// - `user.userIds` is always present (LinkedIn answers 422 without it),
///   possibly empty when only `userInfo` matches. `SHA256_EMAIL` is sent
///   only as 64 lowercase hex; the `li_fat_id` is sent as received.
/// - `userInfo` holds names and country in **clear text**. LinkedIn wants
///   both `firstName` and `lastName` whenever `userInfo` is present, so it is
///   sent only with both (and never with `send_user_info: false`).
///   `companyName` and `title` have no canonical source field and are not sent.
/// - The clear values (`ClearText`, digested in the audit log): the
///   `li_fat_id` and every `userInfo` member. The e-mail digest is not one.
/// - No consent field exists: a decision LinkedIn cannot render
///   (`canBeRendered(for: .linkedin)`) is skipped like a suppression.
///
/// Skip reasons: `consent_suppressed`, `refunds_not_supported` (LinkedIn has
/// no refund or negative conversion), `no_conversion_rule` (only purchases
/// are mapped to `conversion_rule_id`), `no_identifiers` (no e-mail, no
/// `li_fat_id` and no name pair).
extension LinkedInDestination {
    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed || !consent.limitedDataUse.canBeRendered(for: .linkedin) { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund { return .skip(reason: "refunds_not_supported") }
        guard event.eventName == .purchase else { return .skip(reason: "no_conversion_rule") }
        let userIDs = Self.userIDs(identifiers)
        let userInfo = sendUserInfo ? Self.userInfo(identifiers) : nil
        if userIDs.isEmpty, userInfo == nil { return .skip(reason: "no_identifiers") }
        return .item(
            LinkedInConversionEvent(
                conversion: conversionURN,
                conversionHappenedAt: min(event.eventTime, now).millisecondsSinceEpoch,
                conversionValue: event.value.map { money in
                    LinkedInMoney(
                        currencyCode: money.currency.code.uppercased(),
                        amount: Self.positive(money.amount).formatted(fractionDigits: money.currency.minorUnit))
                },
                eventID: event.eventID,
                user: LinkedInUser(userIds: userIDs, userInfo: userInfo)))
    }

    /// The hashed e-mail first, then the `li_fat_id`.
    static func userIDs(_ identifiers: PreparedIdentifiers) -> [LinkedInUserID] {
        var ids: [LinkedInUserID] = []
        if let email = identifiers.digest(.email) { ids.append(LinkedInUserID(value: .sha256Email(email))) }
        if let fatID = identifiers.clearValue(client: .clickID(.liFatID)) {
            ids.append(LinkedInUserID(value: .firstPartyAdsTrackingUUID(ClearText(fatID))))
        }
        return ids
    }

    /// `firstName`, `lastName` and `countryCode` in clear, or `nil` without both names.
    static func userInfo(_ identifiers: PreparedIdentifiers) -> LinkedInUserInfo? {
        guard let first = identifiers.clearValue(.firstName), let last = identifiers.clearValue(.lastName) else { return nil }
        return LinkedInUserInfo(
            firstName: ClearText(first), lastName: ClearText(last), countryCode: identifiers.clearValue(.country).map { ClearText($0.uppercased()) })
    }

    /// The magnitude of `amount`: LinkedIn conversion values are not negative.
    static func positive(_ amount: Money.Amount) -> Money.Amount {
        amount.isNegative ? Money.Amount(units: 0 &- amount.units, scale: amount.scale) : amount
    }
}
