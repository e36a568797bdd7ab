import BridgeCore

/// One Google Ads `ClickConversion`, as `shared/platforms/google-ads.md` §B2
/// shows it (REST JSON, camelCase):
///
/// ```json
/// {"conversionAction": "customers/1234567890/conversionActions/555111222",
///  "conversionDateTime": "2026-03-14 15:05:12+00:00",
///  "conversionValue": 129.90, "currencyCode": "EUR", "orderId": "sale:acme-books:7K2M9Q",
///  "gclid": "…",
///  "userIdentifiers": [{"userIdentifierSource": "FIRST_PARTY", "hashedEmail": "<sha256>"},
///                      {"userIdentifierSource": "FIRST_PARTY", "hashedPhoneNumber": "<sha256 of +E.164>"}],
///  "consent": {"adUserData": "GRANTED"}}
/// ```
///
/// - Exactly one click id when the event has any: `gclid`, else `gbraid`,
///   else `wbraid` (Google refuses two, `GBRAID_WBRAID_BOTH_SET`).
/// - `userIdentifiers`: only `hashedEmail` and `hashedPhoneNumber`, which
///   are the only ones conversion uploads accept (at most 5); 64 lowercase
///   hex, the phone hashed with its `+`. Names and addresses are not sent
///   (`UNSUPPORTED_USER_IDENTIFIER`).
/// - `consent.adUserData` only (`adPersonalization` cannot be set on
///   conversions), and only with a known value.
/// - `conversionValue` written from the exact decimal with the currency's
///   minor-unit digits.
///
/// Skip reasons: `consent_suppressed`, `refunds_not_supported` (retractions
/// go through another service, not implemented), and
/// `no_click_id_or_identifiers` (neither a click id nor a hashed e-mail or
/// phone: nothing Google could attribute the conversion to).
extension GoogleAdsDestination {
    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund { return .skip(reason: "refunds_not_supported") }
        let clickID = Self.clickID(identifiers)
        let userIdentifiers = Self.userIdentifiers(identifiers)
        if clickID == nil, userIdentifiers.isEmpty { return .skip(reason: "no_click_id_or_identifiers") }
        var item: [String: JSONValue] = [
            "conversionAction": .string(conversionActionResource),
            "conversionDateTime": .string(Self.conversionDateTime(event.eventTime)),
            "orderId": .string(transactionIDSource.value(for: event)),
        ]
        if let money = event.value, !money.amount.isNegative {
            item["conversionValue"] = .number(money.amount.formatted(fractionDigits: money.currency.minorUnit))
            item["currencyCode"] = .string(money.currency.code)
        }
        if let (key, value) = clickID { item[key] = .string(value) }
        if !userIdentifiers.isEmpty { item["userIdentifiers"] = .array(userIdentifiers) }
        if let consent = GoogleDestination.consent(consent.limitedDataUse, prefixed: false, personalization: false) {
            item["consent"] = consent
        }
        return .item(JSONTreeItem(Self.clampingDateTime(.object(item), to: now), clearPaths: clearFieldPaths))
    }

    /// The one click id to send, by preference `gclid`, `gbraid`, `wbraid`.
    static func clickID(_ identifiers: PreparedIdentifiers) -> (String, String)? {
        for kind in [ClickIDKind.gclid, .gbraid, .wbraid] {
            if let value = identifiers.clearValue(client: .clickID(kind)) { return (kind.rawValue, value) }
        }
        return nil
    }

    /// `hashedEmail` and `hashedPhoneNumber`, each its own identifier.
    static func userIdentifiers(_ identifiers: PreparedIdentifiers) -> [JSONValue] {
        var list: [JSONValue] = []
        for (field, key) in [(CustomerField.email, "hashedEmail"), (.phone, "hashedPhoneNumber")] {
            guard let digest = identifiers.digest(field) else { continue }
            list.append(.object(["userIdentifierSource": .string("FIRST_PARTY"), key: .string(digest)]))
        }
        return list
    }
}
