import BridgeCore

/// One Data Manager `Event` (`DataManagerEvent`, in
/// `GoogleDestination+Wire.swift`), as `docs/destinations/google.md`
/// shows it (REST JSON, camelCase):
///
/// ```json
/// {"transactionId": "sale:acme-books:7K2M9Q", "eventTimestamp": "2026-03-14T15:05:12Z",
///  "eventSource": "WEB", "conversionValue": 129.90, "currency": "EUR",
///  "userData": {"userIdentifiers": [
///     {"emailAddress": "<sha256>"}, {"phoneNumber": "<sha256 of +E.164>"},
///     {"address": {"givenName": "<sha256>", "familyName": "<sha256>",
///                  "regionCode": "DE", "postalCode": "20095"}}]},
///  "adIdentifiers": {"gclid": "…", "landingPageDeviceInfo": {"userAgent": "…", "ipAddress": "…"}},
///  "cartData": {"merchantId": "…", "items": [{"merchantProductId": "…", "quantity": "1", "unitPrice": 34.00}]},
///  "consent": {"adUserData": "CONSENT_GRANTED", "adPersonalization": "CONSENT_GRANTED"}}
/// ```
///
/// - Hashed values (`emailAddress`, `phoneNumber`, `givenName`,
///   `familyName`) are 64 lowercase hex (the request's `encoding` is `HEX`);
///   a value that is not is never sent. The phone digest is of `+E.164`.
/// - `address` only when all four of given name, family name, region code
///   and postal code are known (Google requires all four); region code
///   and postal code are clear.
/// - Click ids are clear: `gclid`, and at most one of `gbraid`/`wbraid`
///   (`gbraid` preferred, as Google asks for only one of the two).
/// - `conversionValue` is a JSON number written from the exact decimal with
///   the currency's minor-unit digits; `currency` upper case.
/// - `quantity` is a string (proto3 JSON renders int64 as text).
/// - `consent` only with a known value; restricted processing or
///   attribution-only force `adPersonalization: CONSENT_DENIED`.
/// - `eventTimestamp` later than `now` is sent as `now`.
/// - The clear values (`ClearText`, digested in the audit log): click ids,
///   user agent, IP address, region code and postal code.
///
/// Skip reasons (`ItemOutcome.skip`): `consent_suppressed`,
/// `refunds_not_supported` (retractions are not implemented; see the doc),
/// `no_identifiers` (no user identifier and no click id: Google refuses it
/// with `NO_IDENTIFIERS_PROVIDED`, and with it the whole request).
extension GoogleDestination {
    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund { return .skip(reason: "refunds_not_supported") }
        let userIdentifiers = Self.userIdentifiers(identifiers)
        let adIdentifiers = Self.adIdentifiers(identifiers)
        if userIdentifiers.isEmpty, !adIdentifiers.hasClickID { return .skip(reason: "no_identifiers") }
        let money = event.value.flatMap { $0.amount.isNegative ? nil : $0 }
        return .item(
            DataManagerEvent(
                transactionID: transactionIDSource.value(for: event),
                eventTimestamp: min(event.eventTime, now).rfc3339,
                eventSource: eventSource,
                conversionValue: money.map { JSONNumberText($0.amount.formatted(fractionDigits: $0.currency.minorUnit)) },
                currency: money?.currency.code,
                userData: userIdentifiers.isEmpty ? nil : DataManagerUserData(userIdentifiers: userIdentifiers),
                adIdentifiers: adIdentifiers.isEmpty ? nil : adIdentifiers,
                cartData: merchantID.flatMap { merchantID in Self.cartItems(event).map { DataManagerCartData(merchantID: merchantID, items: $0) } },
                consent: Self.consent(consent.limitedDataUse, prefixed: true)))
    }

    /// `userData.userIdentifiers`: e-mail, phone, then the address, each its own entry.
    static func userIdentifiers(_ identifiers: PreparedIdentifiers) -> [DataManagerUserIdentifier] {
        var list: [DataManagerUserIdentifier] = []
        if let email = identifiers.digest(.email) { list.append(DataManagerUserIdentifier(emailAddress: email)) }
        if let phone = identifiers.digest(.phone) { list.append(DataManagerUserIdentifier(phoneNumber: phone)) }
        if let given = identifiers.digest(.firstName), let family = identifiers.digest(.lastName),
            let region = identifiers.clearValue(.country), let postal = identifiers.clearValue(.postalCode)
        {
            let address = DataManagerAddress(
                givenName: given, familyName: family, regionCode: ClearText(region.uppercased()), postalCode: ClearText(postal))
            list.append(DataManagerUserIdentifier(address: address))
        }
        return list
    }

    /// `adIdentifiers`: `gclid`, one of `gbraid` / `wbraid`, and the
    /// landing-page device (the browser's user agent and IP address).
    static func adIdentifiers(_ identifiers: PreparedIdentifiers) -> DataManagerAdIdentifiers {
        func clear(_ field: ClientField) -> ClearText? { identifiers.clearValue(client: field).map { ClearText($0) } }
        let gbraid = clear(.clickID(.gbraid))
        let agent = clear(.userAgent)
        let ip = clear(.ipAddress)
        return DataManagerAdIdentifiers(
            gclid: clear(.clickID(.gclid)),
            gbraid: gbraid,
            wbraid: gbraid == nil ? clear(.clickID(.wbraid)) : nil,
            landingPageDeviceInfo: agent == nil && ip == nil ? nil : DataManagerDeviceInfo(userAgent: agent, ipAddress: ip))
    }

    /// `cartData.items`, or `nil` without line items.
    static func cartItems(_ event: ConversionEvent) -> [DataManagerCartItem]? {
        let lines = event.lineItems.filter { !$0.id.isEmpty && $0.quantity > 0 }
        guard !lines.isEmpty else { return nil }
        let fractionDigits = event.value?.currency.minorUnit ?? 2
        return lines.map { line in
            DataManagerCartItem(
                merchantProductID: line.id, quantity: String(line.quantity),
                unitPrice: line.unitPrice.map { JSONNumberText($0.formatted(fractionDigits: max(fractionDigits, $0.significantFractionDigits))) })
        }
    }

    /// The `consent` object from the decision, or `nil` when Google gets no value.
    /// - Parameter prefixed: `CONSENT_GRANTED` (Data Manager) or `GRANTED` (Google Ads).
    static func consent(_ limitedDataUse: LimitedDataUse, prefixed: Bool, personalization: Bool = true) -> GoogleConsent? {
        guard case .consent(let adUserData, let adPersonalization) = limitedDataUse.fields(for: .google) else { return nil }
        let consent = GoogleConsent(
            adUserData: adUserData.map { GoogleCredentials.consentValue($0, prefixed: prefixed) },
            adPersonalization: personalization ? adPersonalization.map { GoogleCredentials.consentValue($0, prefixed: prefixed) } : nil)
        return consent.adUserData == nil && consent.adPersonalization == nil ? nil : consent
    }
}
