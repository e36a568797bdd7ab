import BridgeCore

/// One Google Ads `ClickConversion` (`GoogleAdsClickConversion`, in
/// `GoogleAdsDestination+Wire.swift`), as `docs/destinations/google.md`
/// §B2 shows it (REST JSON, camelCase):
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
/// - `conversionDateTime` later than `now` is sent as `now`.
/// - The click id is the only clear value (`ClearText`, digested in the
///   audit log).
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
        let money = event.value.flatMap { $0.amount.isNegative ? nil : $0 }
        func clickValue(_ kind: ClickIDKind) -> ClearText? { clickID.flatMap { $0.kind == kind ? ClearText($0.value) : nil } }
        return .item(
            GoogleAdsClickConversion(
                conversionAction: conversionActionResource,
                conversionDateTime: Self.conversionDateTime(min(event.eventTime, now)),
                conversionValue: money.map { JSONNumberText($0.amount.formatted(fractionDigits: $0.currency.minorUnit)) },
                currencyCode: money?.currency.code,
                orderID: transactionIDSource.value(for: event),
                gclid: clickValue(.gclid), gbraid: clickValue(.gbraid), wbraid: clickValue(.wbraid),
                userIdentifiers: userIdentifiers.isEmpty ? nil : userIdentifiers,
                consent: GoogleDestination.consent(consent.limitedDataUse, prefixed: false, personalization: false)))
    }

    /// The one click id to send, by preference `gclid`, `gbraid`, `wbraid`.
    static func clickID(_ identifiers: PreparedIdentifiers) -> (kind: ClickIDKind, value: String)? {
        for kind in [ClickIDKind.gclid, .gbraid, .wbraid] {
            if let value = identifiers.clearValue(client: .clickID(kind)) { return (kind, value) }
        }
        return nil
    }

    /// `hashedEmail` and `hashedPhoneNumber`, each its own identifier.
    static func userIdentifiers(_ identifiers: PreparedIdentifiers) -> [GoogleAdsUserIdentifier] {
        var list: [GoogleAdsUserIdentifier] = []
        if let email = identifiers.digest(.email) { list.append(GoogleAdsUserIdentifier(hashedEmail: email)) }
        if let phone = identifiers.digest(.phone) { list.append(GoogleAdsUserIdentifier(hashedPhoneNumber: phone)) }
        return list
    }
}
