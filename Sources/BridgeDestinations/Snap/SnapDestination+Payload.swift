import BridgeCore

/// One Snap Conversions API v3 event (`CapiEvent`), as
/// `docs/destinations/snapchat.md` shows it:
///
/// ```json
/// {"event_name": "PURCHASE", "event_time": 1773500712, "event_id": "…",
///  "action_source": "WEB", "event_source_url": "https://…",
///  "user_data": {"em": ["<sha256>"], "ph": ["<sha256 of digits, no +>"], …,
///                "client_ip_address": "…", "client_user_agent": "…", "sc_click_id": "…"},
///  "custom_data": {"currency": "EUR", "value": 129.90, "order_id": "…",
///                  "content_ids": […], "contents": [{"id", "quantity", "item_price"}], "num_items": 3},
///  "integration": "capibridge",
///  "data_processing_options": ["LDU"], "data_processing_options_country": 1,
///  "data_processing_options_state": 1000, "opt_out": true}
/// ```
///
/// - Hashed keys (`em ph fn ln ge db ct st zp country external_id`) are
///   lists of one 64-hex digest; the phone was rendered as digits with the
///   country code and no `+` before hashing (Snap's rule). A value that is
///   not 64 lowercase hex is never sent under them.
/// - Clear keys (`client_ip_address`, `client_user_agent`, `sc_click_id`)
///   are strings. `sc_cookie1` (the `_scid` cookie) is not collected by the bridge.
/// - `event_time` is Unix **seconds**.
/// - `value` is a JSON number written from the exact decimal with the
///   currency's minor-unit digits (never through `Double`); `currency` is
///   the ISO 4217 code (upper case, as in Snap's example).
/// - `data_processing_options` (`["LDU"]`, with `_country` and `_state`)
///   only when Limited Data Use applies; `opt_out: true` only when
///   attribution-only. Whether Snap wants `LDU` or `lmu` is unresolved
///   (see `docs/destinations/snapchat.md`); `LDU` is what Segment's v3
///   integration sends.
///
/// Skip reasons: `consent_suppressed`, `refund_not_supported` (Snap has no
/// refund event), `event_not_supported` (no Snap event for the name),
/// `purchase_without_value` (`PURCHASE` without `currency` and `value` is
/// `INVALID`, and refuses the batch), `no_identifiers`,
/// `insufficient_identifiers` (Snap needs `em`, `ph`, or both IP address and
/// user agent: "Insufficient PII"), `no_event_source_url` (required for
/// `WEB`; set `event_source_url` or `site_url` when the source has no landing URL).
extension SnapDestination {
    /// Snap's event names for the canonical ones; a name not listed is skipped.
    static let eventNames: [EventName: String] = [
        .purchase: "PURCHASE", .addToCart: "ADD_CART", .initiateCheckout: "START_CHECKOUT", .viewContent: "VIEW_CONTENT",
        .completeRegistration: "SIGN_UP", .addPaymentInfo: "ADD_BILLING", .subscribe: "SUBSCRIBE", .search: "SEARCH",
        .addToWishlist: "ADD_TO_WISHLIST", .startTrial: "START_TRIAL",
    ]

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed { return .skip(reason: "consent_suppressed") }
        if event.eventName == .refund { return .skip(reason: "refund_not_supported") }
        guard let eventName = Self.eventNames[event.eventName] else { return .skip(reason: "event_not_supported") }
        if event.eventName == .purchase, event.value == nil { return .skip(reason: "purchase_without_value") }
        let userData = Self.userData(identifiers)
        if userData.isEmpty { return .skip(reason: "no_identifiers") }
        if !(userData.hasEmailOrBrowser || userData.has("ph")) { return .skip(reason: "insufficient_identifiers") }
        let url = eventSourceURL(for: event)
        if url == nil, actionSource == "WEB" { return .skip(reason: "no_event_source_url") }
        var item = SnapEvent(
            eventName: eventName,
            // Snap refuses future times without documenting a tolerance.
            eventTime: min(event.eventTime, now).secondsSinceEpoch,
            eventID: event.eventID,
            actionSource: actionSource,
            eventSourceURL: url.map { ClearText($0) },
            userData: userData,
            customData: Self.customData(event),
            integration: integration)
        Self.addPrivacyFields(consent.limitedDataUse, to: &item)
        return .item(item)
    }

    /// `user_data`: hashed customer fields as one-element lists, browser fields in clear.
    static func userData(_ identifiers: PreparedIdentifiers) -> HashedUserData {
        HashedUserData(identifiers, order: .genderFirst, browserIDs: [("sc_click_id", identifiers.clearValue(client: .clickID(.sccid)).map { ClearText($0) })])
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `event_source_url`.
    func eventSourceURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackEventSourceURL).resolve(for: event)
    }

    /// `custom_data`, or `nil` when the event has no value, order id or lines.
    static func customData(_ event: ConversionEvent) -> SnapCustomData? {
        var data = SnapCustomData()
        if let money = event.value {
            data.value = JSONNumberText(money.amount.formatted(fractionDigits: money.currency.minorUnit))
            data.currency = money.currency.code
        }
        if let orderID = event.orderID, !orderID.trimmingWhitespace().isEmpty { data.orderID = orderID }
        let order = OrderLines(event)
        if !order.isEmpty {
            data.contentIDs = order.uniqueIDs
            data.contents = order.lines.map { line in
                ContentLine(id: line.id, quantity: line.quantity, itemPrice: line.unitPrice.map { JSONNumberText($0) })
            }
            data.numItems = order.totalQuantity
        }
        return data.value == nil && data.orderID == nil && data.contents == nil ? nil : data
    }

    /// Snap's Limited Data Use fields (Meta's shape), present only when LDU
    /// applies, and `opt_out`.
    static func addPrivacyFields(_ limitedDataUse: LimitedDataUse, to item: inout SnapEvent) {
        guard case .dataProcessingOptions(let options, let country, let state, let optOut) = limitedDataUse.fields(for: .snapchat) else {
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
