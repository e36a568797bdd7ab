import BridgeCore

/// One TikTok Events API 2.0 event, as `docs/destinations/tiktok.md` shows it:
///
/// ```json
/// {"event": "Purchase", "event_time": 1773500712, "event_id": "…",
///  "user": {"email": ["<sha256>"], "phone": ["<sha256 of +E.164>"], "external_id": ["<sha256>"],
///           "first_name": "<sha256>", "last_name": "<sha256>", "zip_code": "<sha256>",
///           "city": "hamburg", "state": "hh", "country": "de",
///           "ttclid": "…", "ip": "…", "user_agent": "…"},
///  "properties": {"currency": "EUR", "value": 129.90, "order_id": "…", "content_type": "product",
///                 "contents": [{"content_id", "content_name", "quantity", "price"}], "num_items": 3},
///  "page": {"url": "https://…"},
///  "limited_data_use": false}
/// ```
///
/// - `email`, `phone` and `external_id` are lists of one 64-hex digest;
///   `first_name`, `last_name` and `zip_code` single digests. The phone was
///   rendered `+E.164` before hashing by the pipeline (TikTok's rule). A
///   value that is not 64 lowercase hex is never sent under a hashed key.
/// - `city`, `state`, `country` are sent in clear, normalized (as Segment and
///   RudderStack do); `ip`, `user_agent` and `ttclid` in clear. `ttp` (the
///   `_ttp` cookie) and `locale` are not collected by the bridge.
/// - `event_time` is Unix **seconds**.
/// - `value` is a JSON number written from the exact decimal with the
///   currency's minor-unit digits (never through `Double`); `currency` is the
///   ISO 4217 code as is (upper case); `price` is the unit price.
/// - `limited_data_use` is always present (TikTok's example sends `false`).
///
/// Skip reasons: `consent_suppressed` (also for an attribution-only decision,
/// which TikTok has no field for: `canBeRendered(for: .tiktok)`),
/// `refund_not_supported` (TikTok has no refund event), `no_identifiers`, `no_page_url` (`page` is required for
/// web events; set `page_url` or `site_url` when the source has no landing URL).
extension TikTokDestination {
    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        // TikTok can carry restricted processing (`limited_data_use`) but has no
        // attribution-only field: such a decision must not be sent as if unrestricted.
        if consent.isSuppressed || !consent.limitedDataUse.canBeRendered(for: .tiktok) { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund { return .skip(reason: "refund_not_supported") }
        let user = Self.user(identifiers)
        if user.isEmpty { return .skip(reason: "no_identifiers") }
        guard let pageURL = pageURL(for: event) else { return .skip(reason: "no_page_url") }
        var limitedDataUse = false
        if case .limitedDataUseFlag(let limited) = consent.limitedDataUse.fields(for: .tiktok) { limitedDataUse = limited }
        return .item(
            TikTokEvent(
                event: eventName(event.eventName),
                // TikTok refuses future times without documenting a tolerance.
                eventTime: min(event.eventTime, now).secondsSinceEpoch,
                eventID: event.eventID,
                user: user,
                properties: Self.properties(event),
                page: TikTokPage(url: ClearText(pageURL)),
                limitedDataUse: limitedDataUse))
    }

    /// TikTok's name for `name`: the configured purchase name, else the
    /// canonical name (TikTok's standard events use the same spelling).
    func eventName(_ name: EventName) -> String {
        name == .purchase ? purchaseEvent : name.rawValue
    }

    /// `user`: hashed fields as digests, location and browser fields in clear.
    static func user(_ identifiers: PreparedIdentifiers) -> TikTokUser {
        func clear(_ field: CustomerField) -> ClearText? { identifiers.clearValue(field).map { ClearText($0) } }
        func clear(client field: ClientField) -> ClearText? { identifiers.clearValue(client: field).map { ClearText($0) } }
        return TikTokUser(
            email: identifiers.digest(.email).map { [$0] }, phone: identifiers.digest(.phone).map { [$0] },
            externalID: identifiers.digest(.externalID).map { [$0] },
            firstName: identifiers.digest(.firstName), lastName: identifiers.digest(.lastName), zipCode: identifiers.digest(.postalCode),
            city: clear(.city), state: clear(.state), country: clear(.country),
            ttclid: clear(client: .clickID(.ttclid)), ip: clear(client: .ipAddress), userAgent: clear(client: .userAgent))
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `page_url`.
    func pageURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackPageURL).resolve(for: event)
    }

    /// `properties`' own parameters (TikTok's documented fields): custom
    /// properties by these names are left out.
    static let reservedProperties: Set<String> = [
        "currency", "value", "content_type", "contents", "content_ids", "num_items", "order_id", "shop_id", "search_string", "query",
        "description",
    ]

    /// `properties`: value, currency, order id and lines, then the event's
    /// custom properties; `nil` when the event has none of them.
    static func properties(_ event: ConversionEvent) -> WithCustomParameters<TikTokProperties>? {
        let custom = CustomParameters(event.customProperties, reserved: reservedProperties)
        guard let properties = standardProperties(event) else {
            return custom.isEmpty ? nil : WithCustomParameters(base: TikTokProperties(), custom: custom)
        }
        return WithCustomParameters(base: properties, custom: custom)
    }

    /// `properties`' own members, or `nil` when the event has no value, order id or lines.
    static func standardProperties(_ event: ConversionEvent) -> TikTokProperties? {
        var properties = TikTokProperties()
        if let money = event.value {
            properties.value = JSONNumberText(money.amount.formatted(fractionDigits: money.currency.minorUnit))
            properties.currency = money.currency.code
        }
        if let orderID = event.orderID, !orderID.trimmingWhitespace().isEmpty { properties.orderID = orderID }
        let order = OrderLines(event)
        if !order.isEmpty {
            properties.contentType = "product"
            properties.contents = order.lines.map { line in
                TikTokContent(contentID: line.id, contentName: line.name, quantity: line.quantity, price: line.unitPrice.map { JSONNumberText($0) })
            }
            properties.numItems = order.totalQuantity
        }
        return properties.value == nil && properties.orderID == nil && properties.contents == nil ? nil : properties
    }
}
