import BridgeCore

/// One Meta server event, as `shared/platforms/meta.md` §2 shows it and as
/// `facebook-business` 26.0.3 `Event.normalize()` emits it:
///
/// ```json
/// {"event_name": "Purchase", "event_time": 1773500712, "event_id": "…",
///  "action_source": "website", "event_source_url": "https://…",
///  "user_data": {"em": ["<sha256>"], …, "client_ip_address": "…", "fbc": "…"},
///  "custom_data": {"value": 129.90, "currency": "eur", "order_id": "…",
///                  "content_ids": […], "contents": [{"id", "quantity", "item_price"}],
///                  "content_type": "product", "num_items": 3},
///  "data_processing_options": ["LDU"], "data_processing_options_country": 1,
///  "data_processing_options_state": 1000, "opt_out": true}
/// ```
///
/// - Hashed keys (`em ph fn ln db ge ct st zp country external_id`) are
///   lists of one 64-hex string, the SDK's form; a value that is not 64
///   lowercase hex is never sent under them.
/// - Clear keys (`client_ip_address`, `client_user_agent`, `fbc`, `fbp`)
///   are strings. Without an `fbc` cookie but with an `fbclid`, `fbc` is
///   built as `fb.1.<event time in ms>.<fbclid>`: subdomain index 1 (built
///   server-side) and the event time as the best bound we have on when the
///   click was first seen; the fbclid keeps its case.
/// - `value` is a JSON number written from the exact decimal with the
///   currency's minor-unit digits (never through `Double`); `currency` is
///   lowercased as the SDK does.
/// - `data_processing_options` (with `_country` and `_state`) only when
///   Limited Data Use applies; `opt_out: true` only when attribution-only.
///
/// Skip reasons (`ItemOutcome.skip`): `consent_suppressed`,
/// `refunds_disabled`, `purchase_without_value` (Meta refuses a Purchase
/// without value and currency, subcode 2804009, and with it the batch),
/// `no_identifiers`, `insufficient_identifiers` (since Graph v13 an event
/// whose identifiers are only a subset of `ct country st zp ge
/// client_user_agent`, `db client_user_agent`, `fn ge` or `ln ge` is invalid).
extension MetaDestination {
    /// The canonical customer fields and their Meta keys, all hashed.
    static let hashedKeys: [(field: CustomerField, key: String)] = [
        (.email, "em"), (.phone, "ph"), (.firstName, "fn"), (.lastName, "ln"), (.dateOfBirth, "db"), (.gender, "ge"),
        (.city, "ct"), (.state, "st"), (.postalCode, "zp"), (.country, "country"), (.externalID, "external_id"),
    ]

    /// Identifier sets Meta refuses on their own (a subset of one of these is invalid).
    static let insufficientCombinations: [Set<String>] = [
        ["ct", "country", "st", "zp", "ge", "client_user_agent"],
        ["db", "client_user_agent"],
        ["fn", "ge"],
        ["ln", "ge"],
    ]

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund, !sendRefunds { return .skip(reason: "refunds_disabled") }
        if event.eventName == .purchase, event.value == nil { return .skip(reason: "purchase_without_value") }
        let userData = Self.userData(event, identifiers)
        if userData.isEmpty { return .skip(reason: "no_identifiers") }
        let keys = Set(userData.keys)
        if Self.insufficientCombinations.contains(where: { keys.isSubset(of: $0) }) {
            return .skip(reason: "insufficient_identifiers")
        }
        var item: [String: JSONValue] = [
            "event_name": .string(event.eventName.rawValue),
            "event_time": .number(String(event.eventTime.secondsSinceEpoch)),
            "event_id": .string(event.eventID),
            "action_source": .string(actionSource),
            "user_data": .object(userData),
        ]
        if let url = eventSourceURL(for: event) { item["event_source_url"] = .string(url) }
        if let customData = Self.customData(event) { item["custom_data"] = .object(customData) }
        Self.addPrivacyFields(consent.limitedDataUse, to: &item)
        return .item(JSONTreeItem(Self.clampingEventTime(.object(item), to: now), clearPaths: clearFieldPaths))
    }

    /// `user_data`: hashed customer fields as one-element lists, browser fields as strings.
    static func userData(_ event: ConversionEvent, _ identifiers: PreparedIdentifiers) -> [String: JSONValue] {
        var userData: [String: JSONValue] = [:]
        for (field, key) in hashedKeys {
            if let digest = identifiers.digest(field) { userData[key] = .array([.string(digest)]) }
        }
        if let ip = identifiers.clearValue(client: .ipAddress) { userData["client_ip_address"] = .string(ip) }
        if let agent = identifiers.clearValue(client: .userAgent) { userData["client_user_agent"] = .string(agent) }
        if let fbc = identifiers.clearValue(client: .clickID(.fbc)) {
            userData["fbc"] = .string(fbc)
        } else if let fbclid = identifiers.clearValue(client: .clickID(.fbclid)) {
            userData["fbc"] = .string("fb.1.\(event.eventTime.millisecondsSinceEpoch).\(fbclid)")
        }
        if let fbp = identifiers.clearValue(client: .clickID(.fbp)) { userData["fbp"] = .string(fbp) }
        return userData
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `event_source_url`.
    func eventSourceURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackEventSourceURL).resolve(for: event)
    }

    /// `custom_data`, or `nil` when the event has no value, order id or lines.
    static func customData(_ event: ConversionEvent) -> [String: JSONValue]? {
        var data: [String: JSONValue] = [:]
        if let money = event.value {
            // Refunds carry their amount as a positive value (the event name says it is a refund).
            let amount = money.amount.isNegative ? Money.Amount(units: 0 &- money.amount.units, scale: money.amount.scale) : money.amount
            data["value"] = .number(amount.formatted(fractionDigits: money.currency.minorUnit))
            data["currency"] = .string(money.currency.code.lowercased())
        }
        if let orderID = event.orderID, !orderID.trimmingWhitespace().isEmpty { data["order_id"] = .string(orderID) }
        let order = OrderLines(event)
        if !order.isEmpty {
            data["content_ids"] = .array(order.uniqueIDs.map(JSONValue.string))
            data["contents"] = .array(
                order.lines.map { line in
                    var content: [String: JSONValue] = ["id": .string(line.id), "quantity": .number(String(line.quantity))]
                    if let price = line.unitPrice { content["item_price"] = .number(price) }
                    return .object(content)
                })
            data["content_type"] = .string("product")
            data["num_items"] = .number(String(order.totalQuantity))
        }
        return data.isEmpty ? nil : data
    }

    /// Meta's Limited Data Use fields, present only when LDU applies, and `opt_out`.
    static func addPrivacyFields(_ limitedDataUse: LimitedDataUse, to item: inout [String: JSONValue]) {
        guard case .dataProcessingOptions(let options, let country, let state, let optOut) = limitedDataUse.fields(for: .meta) else {
            return
        }
        if !options.isEmpty {
            item["data_processing_options"] = .array(options.map(JSONValue.string))
            if let country { item["data_processing_options_country"] = .number(String(country)) }
            if let state { item["data_processing_options_state"] = .number(String(state)) }
        }
        if optOut { item["opt_out"] = .bool(true) }
    }
}
