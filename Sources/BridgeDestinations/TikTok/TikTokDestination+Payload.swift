import BridgeCore

/// One TikTok Events API 2.0 event, as `shared/platforms/tiktok.md` §2 shows it:
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
    /// Customer fields TikTok takes hashed, as lists of one digest.
    static let hashedListKeys: [(field: CustomerField, key: String)] = [
        (.email, "email"), (.phone, "phone"), (.externalID, "external_id"),
    ]
    /// Customer fields TikTok takes hashed, as one digest.
    static let hashedKeys: [(field: CustomerField, key: String)] = [
        (.firstName, "first_name"), (.lastName, "last_name"), (.postalCode, "zip_code"),
    ]
    /// Customer fields TikTok takes in clear.
    static let clearKeys: [(field: CustomerField, key: String)] = [
        (.city, "city"), (.state, "state"), (.country, "country"),
    ]

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        // TikTok can carry restricted processing (`limited_data_use`) but has no
        // attribution-only field: such a decision must not be sent as if unrestricted.
        if consent.isSuppressed || !consent.limitedDataUse.canBeRendered(for: .tiktok) { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund { return .skip(reason: "refund_not_supported") }
        let user = Self.user(identifiers)
        if user.isEmpty { return .skip(reason: "no_identifiers") }
        guard let pageURL = pageURL(for: event) else { return .skip(reason: "no_page_url") }
        var item: [String: JSONValue] = [
            "event": .string(eventName(event.eventName)),
            "event_time": .number(String(event.eventTime.secondsSinceEpoch)),
            "event_id": .string(event.eventID),
            "user": .object(user),
            "page": .object(["url": .string(pageURL)]),
        ]
        if let properties = Self.properties(event) { item["properties"] = .object(properties) }
        if case .limitedDataUseFlag(let limited) = consent.limitedDataUse.fields(for: .tiktok) {
            item["limited_data_use"] = .bool(limited)
        } else {
            item["limited_data_use"] = .bool(false)
        }
        return .item(JSONTreeItem(Self.clampingEventTime(.object(item), to: now), clearPaths: clearFieldPaths))
    }

    /// TikTok's name for `name`: the configured purchase name, else the
    /// canonical name (TikTok's standard events use the same spelling).
    func eventName(_ name: EventName) -> String {
        name == .purchase ? purchaseEvent : name.rawValue
    }

    /// `user`: hashed fields as digests, location and browser fields in clear.
    static func user(_ identifiers: PreparedIdentifiers) -> [String: JSONValue] {
        var user: [String: JSONValue] = [:]
        for (field, key) in hashedListKeys {
            if let digest = identifiers.digest(field) { user[key] = .array([.string(digest)]) }
        }
        for (field, key) in hashedKeys {
            if let digest = identifiers.digest(field) { user[key] = .string(digest) }
        }
        for (field, key) in clearKeys {
            if let value = identifiers.clearValue(field) { user[key] = .string(value) }
        }
        if let ttclid = identifiers.clearValue(client: .clickID(.ttclid)) { user["ttclid"] = .string(ttclid) }
        if let ip = identifiers.clearValue(client: .ipAddress) { user["ip"] = .string(ip) }
        if let agent = identifiers.clearValue(client: .userAgent) { user["user_agent"] = .string(agent) }
        return user
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `page_url`.
    func pageURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackPageURL).resolve(for: event)
    }

    /// `properties`, or `nil` when the event has no value, order id or lines.
    static func properties(_ event: ConversionEvent) -> [String: JSONValue]? {
        var properties: [String: JSONValue] = [:]
        if let money = event.value {
            properties["value"] = .number(money.amount.formatted(fractionDigits: money.currency.minorUnit))
            properties["currency"] = .string(money.currency.code)
        }
        if let orderID = event.orderID, !orderID.trimmingWhitespace().isEmpty { properties["order_id"] = .string(orderID) }
        let order = OrderLines(event)
        if !order.isEmpty {
            properties["content_type"] = .string("product")
            properties["contents"] = .array(
                order.lines.map { line in
                    var content: [String: JSONValue] = ["content_id": .string(line.id), "quantity": .number(String(line.quantity))]
                    if let name = line.name { content["content_name"] = .string(name) }
                    if let price = line.unitPrice { content["price"] = .number(price) }
                    return .object(content)
                })
            properties["num_items"] = .number(String(order.totalQuantity))
        }
        return properties.isEmpty ? nil : properties
    }
}
