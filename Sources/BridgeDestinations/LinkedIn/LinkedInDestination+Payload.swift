import BridgeCore

/// One LinkedIn conversion event, as `shared/platforms/linkedin.md` §2 shows it:
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
/// - `conversionHappenedAt` is epoch **milliseconds**.
/// - `conversionValue.amount` is a decimal string with the currency's
///   minor-unit digits (never through `Double`); omitted without a value.
/// - `user.userIds` is always present (LinkedIn answers 422 without it),
///   possibly empty when only `userInfo` matches. `SHA256_EMAIL` is sent
///   only as 64 lowercase hex; the `li_fat_id` is sent as received.
/// - `userInfo` holds names and country in **clear text**. LinkedIn wants
///   both `firstName` and `lastName` whenever `userInfo` is present, so it is
///   sent only with both (and never with `send_user_info: false`).
///   `companyName` and `title` have no canonical source field and are not sent.
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
        var user: [String: JSONValue] = ["userIds": .array(userIDs)]
        if let userInfo { user["userInfo"] = .object(userInfo) }
        var item: [String: JSONValue] = [
            "conversion": .string(conversionURN),
            "conversionHappenedAt": .number(String(event.eventTime.millisecondsSinceEpoch)),
            "eventId": .string(event.eventID),
            "user": .object(user),
        ]
        if let money = event.value {
            item["conversionValue"] = .object([
                "currencyCode": .string(money.currency.code.uppercased()),
                "amount": .string(Self.positive(money.amount).formatted(fractionDigits: money.currency.minorUnit)),
            ])
        }
        return .item(JSONTreeItem(Self.clampingHappenedAt(.object(item), to: now), clearPaths: clearFieldPaths))
    }

    /// The hashed e-mail first, then the `li_fat_id`.
    static func userIDs(_ identifiers: PreparedIdentifiers) -> [JSONValue] {
        var ids: [JSONValue] = []
        if let email = identifiers.digest(.email) {
            ids.append(.object(["idType": .string("SHA256_EMAIL"), "idValue": .string(email)]))
        }
        if let fatID = identifiers.clearValue(client: .clickID(.liFatID)) {
            ids.append(.object(["idType": .string("LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID"), "idValue": .string(fatID)]))
        }
        return ids
    }

    /// `firstName`, `lastName` and `countryCode` in clear, or `nil` without both names.
    static func userInfo(_ identifiers: PreparedIdentifiers) -> [String: JSONValue]? {
        guard let first = identifiers.clearValue(.firstName), let last = identifiers.clearValue(.lastName) else { return nil }
        var info: [String: JSONValue] = ["firstName": .string(first), "lastName": .string(last)]
        if let country = identifiers.clearValue(.country) { info["countryCode"] = .string(country.uppercased()) }
        return info
    }

    /// The magnitude of `amount`: LinkedIn conversion values are not negative.
    static func positive(_ amount: Money.Amount) -> Money.Amount {
        amount.isNegative ? Money.Amount(units: 0 &- amount.units, scale: amount.scale) : amount
    }
}
