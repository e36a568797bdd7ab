import BridgeCore

/// One Data Manager `Event`, as `shared/platforms/google-ads.md` §A2 shows it
/// (REST JSON, camelCase):
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
        let clickIDs = Self.clickIDs(identifiers)
        if userIdentifiers.isEmpty, clickIDs.isEmpty { return .skip(reason: "no_identifiers") }
        var item: [String: JSONValue] = [
            "transactionId": .string(transactionIDSource.value(for: event)),
            "eventTimestamp": .string(event.eventTime.rfc3339),
            "eventSource": .string(eventSource),
        ]
        if let money = event.value, !money.amount.isNegative {
            item["conversionValue"] = .number(money.amount.formatted(fractionDigits: money.currency.minorUnit))
            item["currency"] = .string(money.currency.code)
        }
        if !userIdentifiers.isEmpty { item["userData"] = .object(["userIdentifiers": .array(userIdentifiers)]) }
        var adIdentifiers = clickIDs
        if let device = Self.deviceInfo(identifiers) { adIdentifiers["landingPageDeviceInfo"] = .object(device) }
        if !adIdentifiers.isEmpty { item["adIdentifiers"] = .object(adIdentifiers) }
        if let merchantID, let cart = Self.cartItems(event) {
            item["cartData"] = .object(["merchantId": .string(merchantID), "items": .array(cart)])
        }
        if let consent = Self.consent(consent.limitedDataUse, prefixed: true) { item["consent"] = consent }
        return .item(JSONTreeItem(Self.clampingTimestamp(.object(item), to: now), clearPaths: clearFieldPaths))
    }

    /// `userData.userIdentifiers`: e-mail, phone, then the address, each its own entry.
    static func userIdentifiers(_ identifiers: PreparedIdentifiers) -> [JSONValue] {
        var list: [JSONValue] = []
        if let email = identifiers.digest(.email) { list.append(.object(["emailAddress": .string(email)])) }
        if let phone = identifiers.digest(.phone) { list.append(.object(["phoneNumber": .string(phone)])) }
        if let given = identifiers.digest(.firstName), let family = identifiers.digest(.lastName),
            let region = identifiers.clearValue(.country), let postal = identifiers.clearValue(.postalCode)
        {
            list.append(
                .object([
                    "address": .object([
                        "givenName": .string(given), "familyName": .string(family), "regionCode": .string(region.uppercased()),
                        "postalCode": .string(postal),
                    ])
                ]))
        }
        return list
    }

    /// `gclid`, and one of `gbraid` / `wbraid`.
    static func clickIDs(_ identifiers: PreparedIdentifiers) -> [String: JSONValue] {
        var ids: [String: JSONValue] = [:]
        if let gclid = identifiers.clearValue(client: .clickID(.gclid)) { ids["gclid"] = .string(gclid) }
        if let gbraid = identifiers.clearValue(client: .clickID(.gbraid)) {
            ids["gbraid"] = .string(gbraid)
        } else if let wbraid = identifiers.clearValue(client: .clickID(.wbraid)) {
            ids["wbraid"] = .string(wbraid)
        }
        return ids
    }

    /// `landingPageDeviceInfo`: the browser's user agent and IP address.
    static func deviceInfo(_ identifiers: PreparedIdentifiers) -> [String: JSONValue]? {
        var device: [String: JSONValue] = [:]
        if let agent = identifiers.clearValue(client: .userAgent) { device["userAgent"] = .string(agent) }
        if let ip = identifiers.clearValue(client: .ipAddress) { device["ipAddress"] = .string(ip) }
        return device.isEmpty ? nil : device
    }

    /// `cartData.items`, or `nil` without line items.
    static func cartItems(_ event: ConversionEvent) -> [JSONValue]? {
        let lines = event.lineItems.filter { !$0.id.isEmpty && $0.quantity > 0 }
        guard !lines.isEmpty else { return nil }
        let fractionDigits = event.value?.currency.minorUnit ?? 2
        return lines.map { line in
            var item: [String: JSONValue] = ["merchantProductId": .string(line.id), "quantity": .string(String(line.quantity))]
            if let price = line.unitPrice {
                item["unitPrice"] = .number(price.formatted(fractionDigits: max(fractionDigits, price.significantFractionDigits)))
            }
            return .object(item)
        }
    }

    /// The `consent` object from the decision, or `nil` when Google gets no value.
    /// - Parameter prefixed: `CONSENT_GRANTED` (Data Manager) or `GRANTED` (Google Ads).
    static func consent(_ limitedDataUse: LimitedDataUse, prefixed: Bool, personalization: Bool = true) -> JSONValue? {
        guard case .consent(let adUserData, let adPersonalization) = limitedDataUse.fields(for: .google) else { return nil }
        var consent: [String: JSONValue] = [:]
        if let adUserData { consent["adUserData"] = .string(GoogleCredentials.consentValue(adUserData, prefixed: prefixed)) }
        if personalization, let adPersonalization {
            consent["adPersonalization"] = .string(GoogleCredentials.consentValue(adPersonalization, prefixed: prefixed))
        }
        return consent.isEmpty ? nil : .object(consent)
    }
}
