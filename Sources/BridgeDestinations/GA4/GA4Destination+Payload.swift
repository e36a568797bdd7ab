import BridgeCore

/// One GA4 item (`GA4MeasurementBody`, in `GA4Destination+Wire.swift`): a
/// whole Measurement Protocol body for one event, as
/// `docs/destinations/ga4.md` shows it:
///
/// ```json
/// {"client_id": "1220254317.2718281829",
///  "timestamp_micros": 1773500712000000,
///  "events": [{"name": "purchase",
///              "params": {"transaction_id": "sale:acme-books:7K2M9Q", "value": 129.90, "currency": "EUR",
///                         "items": [{"item_id": "BK-1001", "item_name": "…", "price": 34.00, "quantity": 1}]}}],
///  "user_data": {"sha256_email_address": ["<sha256>"], "sha256_phone_number": ["<sha256>"],
///                "address": [{"sha256_first_name": "<sha256>", "sha256_last_name": "<sha256>",
///                             "city": "hamburg", "region": "hh", "postal_code": "20095", "country": "DE"}]},
///  "consent": {"ad_user_data": "GRANTED", "ad_personalization": "GRANTED"},
///  "ip_override": "198.51.100.61"}
/// ```
///
/// - `timestamp_micros` is epoch **microseconds**; a time later than `now`
///   is sent as `now`.
/// - `client_id`: the event's `client.ga_client_id` (the `_ga` cookie
///   `GA1.1.<random>.<timestamp>` is sent as `<random>.<timestamp>`), which
///   joins the purchase to the browser session; with `client.ga_session_id`
///   the event also carries `session_id`. Without one it is derived:
///   `<a>.<b>`, two 31-bit numbers from SHA-256 of
///   `capi-bridge/ga4/<transaction_id or event id>`. Stable, so a refund
///   lands on the same (synthetic) user as its purchase; it does not join
///   the browser session. App streams get `app_instance_id`, 32 hex digits
///   from the same digest.
/// - Only the `user_data` fields GA4 defines as SHA-256 are hashed (64
///   lowercase hex, never anything else under those keys); city, region,
///   postal code and country are clear. `sha256_street` has no canonical
///   source field. `user_data` is omitted when `ad_user_data` is denied.
/// - `value` and item `price` are JSON numbers written from the exact
///   decimal (never through `Double`); a refund carries its positive value.
/// - `consent` holds the Consent Mode values of
///   `consent.limitedDataUse.fields(for: .ga4)` (`GRANTED`/`DENIED`), each
///   omitted when unknown.
/// - `ip_override` is the buyer's IP address in clear (geolocation); the
///   user agent is not sent (no documented Measurement Protocol field).
/// - The clear values (`ClearText`, digested in the audit log):
///   `client_id` or `app_instance_id`, `session_id`, `ip_override`, and the
///   address's city, region, postal code and country.
/// - `user_id` is not sent: GA4 wants the property's own User-ID, which
///   the canonical event does not carry (and it must not be personal data).
///
/// Event names: `purchase`, `refund`, `add_payment_info`, `add_to_cart`,
/// `add_to_wishlist`, `sign_up`, `begin_checkout`, `generate_lead`,
/// `search`, `view_item`; the other canonical names in snake case.
///
/// Skip reasons: `consent_suppressed`, `refunds_disabled`,
/// `refund_without_transaction_id` (a refund whose sale cannot be named).
extension GA4Destination {
    /// GA4's recommended event names; the rest are snake case of the canonical name.
    static let eventNames: [EventName: String] = [
        .purchase: "purchase", .refund: "refund", .addPaymentInfo: "add_payment_info", .addToCart: "add_to_cart",
        .addToWishlist: "add_to_wishlist", .completeRegistration: "sign_up", .initiateCheckout: "begin_checkout",
        .lead: "generate_lead", .search: "search", .viewContent: "view_item", .contact: "contact",
        .customizeProduct: "customize_product", .donate: "donate", .findLocation: "find_location", .schedule: "schedule",
        .startTrial: "start_trial", .submitApplication: "submit_application", .subscribe: "subscribe",
    ]
    /// GA4's longest parameter value.
    static let maxParameterLength = 100
    /// GA4's most parameters per event.
    static let maxParametersPerEvent = 25
    /// Parameter names the bridge sets itself, or GA4 reads with a meaning of
    /// its own: custom properties by these names are left out.
    static let reservedParameters: Set<String> = [
        "transaction_id", "value", "currency", "items", "debug_mode", "session_id", "engagement_time_msec", "tax", "shipping",
        "coupon", "affiliation", "payment_type", "shipping_tier", "timestamp_micros",
    ]

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund, !sendRefunds { return .skip(reason: "refunds_disabled") }
        let transactionID = transactionID(for: event)
        if event.eventName == .refund, transactionID == nil { return .skip(reason: "refund_without_transaction_id") }
        let items = Self.items(event)
        let params = GA4EventParameters(
            transactionID: transactionID,
            value: event.value.map { money in
                let amount = money.amount.isNegative ? Money.Amount(units: 0 &- money.amount.units, scale: money.amount.scale) : money.amount
                return JSONNumberText(amount.formatted(fractionDigits: money.currency.minorUnit))
            },
            currency: event.value?.currency.code.uppercased(),
            items: items.isEmpty ? nil : items,
            debugMode: debugMode ? true : nil,
            sessionID: Self.sessionID(event.client.gaSessionID?.rawValue).map { ClearText($0) })
        // Custom properties in name order, as many as GA4's 25 parameters leave room for.
        let ownCount = [params.transactionID != nil, params.value != nil, params.currency != nil, params.items != nil,
                        params.debugMode != nil, params.sessionID != nil].filter { $0 }.count
        let custom = CustomParameters(event.customProperties, reserved: Self.reservedParameters, limit: Self.maxParametersPerEvent - ownCount)
        let name = Self.eventNames[event.eventName] ?? event.eventName.rawValue.lowercased()
        let digest = IdentifierHasher.sha256Hex("capi-bridge/ga4/" + (transactionID ?? event.eventID))
        var clientID: String?
        var appInstanceID: String?
        switch stream {
        case .web: clientID = Self.clientID(event.client.gaClientID?.rawValue) ?? Self.clientID(fromDigest: digest)
        case .app: appInstanceID = String(digest.prefix(32))
        }
        let (adUserData, adPersonalization) = Self.consentValues(consent.limitedDataUse)
        let consentFields = GA4Consent(adUserData: adUserData?.rawValue.uppercased(), adPersonalization: adPersonalization?.rawValue.uppercased())
        return .item(
            GA4MeasurementBody(
                clientID: clientID.map { ClearText($0) },
                appInstanceID: appInstanceID.map { ClearText($0) },
                timestampMicros: min(event.eventTime, now).millisecondsSinceEpoch * 1000,
                events: [GA4Event(name: name, params: WithCustomParameters(base: params, custom: custom))],
                userData: adUserData == .denied ? nil : Self.userData(identifiers),
                consent: consentFields.adUserData == nil && consentFields.adPersonalization == nil ? nil : consentFields,
                ipOverride: identifiers.clearValue(client: .ipAddress).map { ClearText($0) },
                validationBehavior: validationBehavior))
    }

    /// `transaction_id` for purchases and refunds (`nil` for other events).
    /// With `event_id`, a purchase sends its event id and a refund
    /// `refund:<source>:<sale id>:<refund id>` its sale's `sale:<source>:<sale id>`
    /// (`docs/event-ids.md`); with `order_id`, both send the order id.
    func transactionID(for event: ConversionEvent) -> String? {
        let orderID = event.orderID.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        switch (event.eventName, transactionIDSource) {
        case (.purchase, .eventID): return event.eventID
        case (.purchase, .orderID): return orderID ?? event.eventID
        case (.refund, .eventID): return Self.saleEventID(ofRefund: event.eventID)
        case (.refund, .orderID): return orderID
        default: return nil
        }
    }

    /// `sale:<source>:<sale id>` for `refund:<source>:<sale id>:<refund id>`, else `nil`.
    static func saleEventID(ofRefund eventID: String) -> String? {
        guard eventID.hasPrefix("refund:") else { return nil }
        let rest = eventID.dropFirst("refund:".count)
        guard let lastColon = rest.lastIndex(of: ":") else { return nil }
        let sale = rest[..<lastColon]
        guard sale.contains(":"), !sale.hasPrefix(":"), !sale.hasSuffix(":") else { return nil }
        return "sale:" + sale
    }

    /// The client id of a `_ga` cookie value (`GA1.1.<random>.<timestamp>`
    /// → `<random>.<timestamp>`) or of a bare client id; `nil` for blank or
    /// malformed text (white space or control characters, over 128 bytes).
    static func clientID(_ raw: String?) -> String? {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty, text.utf8.count <= 128,
            text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0].uppercased().hasPrefix("GA"), parts[2...].allSatisfy(Self.isDigits) {
            return parts[2] + "." + parts[3]
        }
        return text
    }

    /// A session id: digits only (GA4's are the session's start time in seconds).
    static func sessionID(_ raw: String?) -> String? {
        guard let text = raw?.trimmingWhitespace(), text.utf8.count <= 20, isDigits(Substring(text)) else { return nil }
        return text
    }

    /// Non-empty and ASCII digits only.
    static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `<a>.<b>` from the first 16 hex digits of a SHA-256 digest, each
    /// half read as a 31-bit number (the shape of a gtag client id).
    static func clientID(fromDigest digest: String) -> String {
        let hex = Array(digest.utf8.prefix(16))
        func number(_ part: ArraySlice<UInt8>) -> UInt32 {
            part.reduce(UInt32(0)) { value, digit in
                let nibble: UInt8 = digit <= 0x39 ? digit - 0x30 : (digit | 0x20) - 0x61 + 10
                return value << 4 | UInt32(nibble)
            } & 0x7FFF_FFFF
        }
        return "\(number(hex[0..<8])).\(number(hex[8..<16]))"
    }

    /// The Consent Mode values GA4 receives, `nil` for unknown.
    static func consentValues(_ limitedDataUse: LimitedDataUse) -> (ConsentSignals.GrantState?, ConsentSignals.GrantState?) {
        guard case .consent(let adUserData, let adPersonalization) = limitedDataUse.fields(for: .ga4) else { return (nil, nil) }
        return (adUserData, adPersonalization)
    }

    /// `items`: one per order line with an id or a name.
    static func items(_ event: ConversionEvent) -> [GA4ItemLine] {
        let fractionDigits = event.value?.currency.minorUnit ?? 2
        return event.lineItems.compactMap { line in
            let id = line.id.trimmingWhitespace()
            let name = line.name?.trimmingWhitespace() ?? ""
            guard !id.isEmpty || !name.isEmpty else { return nil }
            return GA4ItemLine(
                itemID: id.isEmpty ? nil : String(id.prefix(maxParameterLength)),
                itemName: name.isEmpty ? nil : String(name.prefix(maxParameterLength)),
                price: line.unitPrice.map { JSONNumberText($0.formatted(fractionDigits: max(fractionDigits, $0.significantFractionDigits))) },
                quantity: line.quantity)
        }
    }

    /// `user_data`, or `nil` when nothing is known.
    static func userData(_ identifiers: PreparedIdentifiers) -> GA4UserData? {
        let address = GA4Address(
            sha256FirstName: identifiers.digest(.firstName),
            sha256LastName: identifiers.digest(.lastName),
            city: identifiers.clearValue(.city).map { ClearText($0) },
            region: identifiers.clearValue(.state).map { ClearText($0) },
            postalCode: identifiers.clearValue(.postalCode).map { ClearText($0) },
            country: identifiers.clearValue(.country).map { ClearText($0.uppercased()) })
        let email = identifiers.digest(.email)
        let phone = identifiers.digest(.phone)
        guard email != nil || phone != nil || !address.isEmpty else { return nil }
        return GA4UserData(
            sha256EmailAddress: email.map { [$0] }, sha256PhoneNumber: phone.map { [$0] }, address: address.isEmpty ? nil : [address])
    }
}
