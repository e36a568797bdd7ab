import BridgeCore

/// One Pinterest conversion event, as `docs/destinations/pinterest.md` and
/// the OpenAPI schema `ConversionEvents` describe it:
///
/// ```json
/// {"event_name": "checkout", "action_source": "web", "event_time": 1773500712,
///  "event_id": "…", "event_source_url": "https://…", "opt_out": false,
///  "user_data": {"em": ["<sha256>"], "ph": ["<sha256>"], …,
///                "client_ip_address": "…", "client_user_agent": "…", "click_id": "<epik>"},
///  "custom_data": {"currency": "EUR", "value": "129.90", "order_id": "…",
///                  "content_ids": […], "contents": [{"id", "item_price": "34.00", "quantity", "item_name"}],
///                  "num_items": 3, "opt_out_type": "LDP"}}
/// ```
///
/// - `event_name` is Pinterest's own name (`checkout` for a purchase,
///   `signup` for a registration, …); events Pinterest has no name for are
///   sent as `custom`.
/// - `event_time` is Unix **seconds**.
/// - Hashed keys (`em ph fn ln ge db ct st zp country external_id`) are
///   arrays of one 64-lowercase-hex string; a value that is not is never
///   sent under them. The phone digest is of the digits with the country
///   code and without `+` (the pipeline's Pinterest rules).
/// - `client_ip_address`, `client_user_agent` and `click_id` (the `_epik`
///   cookie or `epik` parameter) are clear strings.
/// - `value` and `item_price` are **strings** (Pinterest parses them), written
///   from the exact decimal with the currency's minor-unit digits, never
///   through `Double`; `currency` is the upper-case ISO 4217 code.
/// - `opt_out` is always present (`true` when the decision is
///   attribution-only); `custom_data.opt_out_type: "LDP"` marks Limited Data
///   Processing (a US state opt-out).
///
/// Skip reasons (`ItemOutcome.skip`): `consent_suppressed`,
/// `refund_not_supported` (Pinterest has no refund event),
/// `insufficient_identifiers` (Pinterest requires `em`, `hashed_maids` or the
/// pair `client_ip_address` + `client_user_agent`; anything else is refused).
extension PinterestDestination {
    /// Pinterest's `event_name` for a canonical event, `nil` for refunds.
    static func eventName(_ name: EventName) -> String? {
        switch name {
        case .purchase: "checkout"
        case .addPaymentInfo: "add_payment_info"
        case .addToCart: "add_to_cart"
        case .addToWishlist: "add_to_wishlist"
        case .completeRegistration: "signup"
        case .initiateCheckout: "initiate_checkout"
        case .lead: "lead"
        case .search: "search"
        case .subscribe: "subscribe"
        case .viewContent: "view_content"
        case .contact, .customizeProduct, .donate, .findLocation, .schedule, .startTrial, .submitApplication: "custom"
        case .refund: nil
        }
    }

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        if consent.isSuppressed { return .skip(reason: "consent_suppressed") }
        guard let eventName = Self.eventName(event.eventName) else { return .skip(reason: "refund_not_supported") }
        let userData = Self.userData(identifiers)
        guard userData.hasEmailOrBrowser else { return .skip(reason: "insufficient_identifiers") }
        guard case .pinterestOptOut(let optOut, let optOutType) = consent.limitedDataUse.fields(for: .pinterest) else {
            return .skip(reason: "consent_suppressed")
        }
        var customData = Self.customData(event)
        customData.optOutType = optOutType
        return .item(
            PinterestEvent(
                eventName: eventName,
                actionSource: actionSource,
                eventTime: event.eventTime.secondsSinceEpoch,
                eventID: event.eventID,
                eventSourceURL: eventSourceURL(for: event).map { ClearText($0) },
                partnerName: partnerName,
                optOut: optOut,
                userData: userData,
                customData: customData.isEmpty ? nil : customData))
    }

    /// `user_data`: hashed customer fields as one-element arrays, browser fields in clear.
    static func userData(_ identifiers: PreparedIdentifiers) -> HashedUserData {
        HashedUserData(identifiers, order: .genderFirst, browserIDs: [("click_id", identifiers.clearValue(client: .clickID(.epik)).map { ClearText($0) })])
    }

    /// The page the conversion happened on (`PageURL`): the landing URL, made
    /// absolute with `site_url`, else the configured `event_source_url`.
    func eventSourceURL(for event: ConversionEvent) -> String? {
        PageURL(siteURL: siteURL, fallback: fallbackEventSourceURL).resolve(for: event)
    }

    /// `custom_data` without the privacy flag: value and currency, order id,
    /// and the lines as `content_ids`, `contents` and `num_items`.
    static func customData(_ event: ConversionEvent) -> PinterestCustomData {
        var data = PinterestCustomData()
        if let money = event.value {
            data.value = money.amount.formatted(fractionDigits: money.currency.minorUnit)
            data.currency = money.currency.code
        }
        if let orderID = event.orderID, !orderID.trimmingWhitespace().isEmpty { data.orderID = orderID }
        let order = OrderLines(event)
        if !order.isEmpty {
            data.contentIDs = order.uniqueIDs
            data.contents = order.lines.map { line in
                PinterestContent(id: line.id, itemPrice: line.unitPrice, quantity: line.quantity, itemName: line.name)
            }
            data.numItems = order.totalQuantity
        }
        return data
    }
}
