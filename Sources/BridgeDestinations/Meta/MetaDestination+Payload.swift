import BridgeCore

/// One Meta server event, as `docs/destinations.md` shows it and as
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
        let keys = userData.presentKeys
        if keys.isEmpty { return .skip(reason: "no_identifiers") }
        if Self.insufficientCombinations.contains(where: { keys.isSubset(of: $0) }) {
            return .skip(reason: "insufficient_identifiers")
        }
        var item = MetaServerEvent(
            eventName: event.eventName.rawValue,
            // Meta refuses future times without documenting a tolerance.
            eventTime: min(event.eventTime, now).secondsSinceEpoch,
            eventID: event.eventID,
            actionSource: actionSource,
            eventSourceURL: eventSourceURL(for: event).map { ClearText($0) },
            userData: userData,
            customData: Self.customData(event))
        Self.addPrivacyFields(consent.limitedDataUse, to: &item)
        return .item(item)
    }

    /// `user_data`: hashed customer fields as one-element lists, browser fields in clear.
    static func userData(_ event: ConversionEvent, _ identifiers: PreparedIdentifiers) -> HashedUserData {
        func clear(_ field: ClientField) -> ClearText? { identifiers.clearValue(client: field).map { ClearText($0) } }
        var fbc = clear(.clickID(.fbc))
        if fbc == nil, let fbclid = identifiers.clearValue(client: .clickID(.fbclid)) {
            fbc = ClearText("fb.1.\(event.eventTime.millisecondsSinceEpoch).\(fbclid)")
        }
        return HashedUserData(identifiers, order: .birthDateFirst, browserIDs: [("fbc", fbc), ("fbp", clear(.clickID(.fbp)))])
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `event_source_url`.
    func eventSourceURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackEventSourceURL).resolve(for: event)
    }

    /// `custom_data`'s own parameters (the SDK's `CustomData` fields):
    /// custom properties by these names are left out.
    static let reservedCustomData: Set<String> = [
        "value", "net_revenue", "currency", "content_name", "content_category", "content_ids", "contents", "content_type", "order_id",
        "predicted_ltv", "num_items", "status", "search_string", "delivery_category", "item_number",
    ]

    /// `custom_data`: value, currency, order id and lines, then the event's
    /// custom properties; `nil` when the event has none of them.
    static func customData(_ event: ConversionEvent) -> WithCustomParameters<MetaCustomData>? {
        let custom = CustomParameters(event.customProperties, reserved: reservedCustomData)
        guard let data = standardCustomData(event) else {
            return custom.isEmpty ? nil : WithCustomParameters(base: MetaCustomData(), custom: custom)
        }
        return WithCustomParameters(base: data, custom: custom)
    }

    /// `custom_data`'s own members, or `nil` when the event has no value, order id or lines.
    static func standardCustomData(_ event: ConversionEvent) -> MetaCustomData? {
        var data = MetaCustomData()
        if let money = event.value {
            // Refunds carry their amount as a positive value (the event name says it is a refund).
            let amount = money.amount.isNegative ? Money.Amount(units: 0 &- money.amount.units, scale: money.amount.scale) : money.amount
            data.value = JSONNumberText(amount.formatted(fractionDigits: money.currency.minorUnit))
            data.currency = money.currency.code.lowercased()
        }
        if let orderID = event.orderID, !orderID.trimmingWhitespace().isEmpty { data.orderID = orderID }
        let order = OrderLines(event)
        if !order.isEmpty {
            data.contentIDs = order.uniqueIDs
            data.contents = order.lines.map { line in
                ContentLine(id: line.id, quantity: line.quantity, itemPrice: line.unitPrice.map { JSONNumberText($0) })
            }
            data.contentType = "product"
            data.numItems = order.totalQuantity
        }
        return data.value == nil && data.orderID == nil && data.contents == nil ? nil : data
    }

    /// Meta's Limited Data Use fields, present only when LDU applies, and `opt_out`.
    static func addPrivacyFields(_ limitedDataUse: LimitedDataUse, to item: inout MetaServerEvent) {
        guard case .dataProcessingOptions(let options, let country, let state, let optOut) = limitedDataUse.fields(for: .meta) else {
            return
        }
        if !options.isEmpty {
            item.dataProcessingOptions = options
            item.dataProcessingOptionsCountry = country
            item.dataProcessingOptionsState = state
        }
        if optOut { item.optOut = true }
    }
}
