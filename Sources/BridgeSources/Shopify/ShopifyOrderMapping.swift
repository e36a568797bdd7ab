import BridgeCore

/// Turns Shopify's REST resources (Order, Refund) into canonical events.
///
/// Ids are read from the numbers' text (64-bit, never through `Double`);
/// amounts stay decimal strings paired with their own currency (`total_price`
/// with `currency`, never with `presentment_currency`).
struct ShopifyMapping {
    /// The configured source name (scope of event ids).
    let source: String
    /// Fallback event time when the payload carries none (`include_fields`).
    let now: Timestamp

    /// The Purchase for an Order payload (`orders/create`, `orders/paid`).
    /// Event id `sale:<source>:<order id>`, identical for both topics.
    /// - Throws: `PayloadError` when the id, time, value or currency is
    ///   present but malformed; missing customer blocks are not errors.
    func purchase(_ order: JSONValue) throws(SourceError) -> ConversionEvent {
        let idPointer = JSONPointer(["id"])
        let orderID = try SourceMapping.requiredIntegerID(order["id"], at: idPointer)
        var event = ConversionEvent(
            eventID: try SourceMapping.eventID(["sale", source, orderID], at: idPointer),
            eventName: .purchase,
            eventTime: try eventTime(order),
            source: source,
            orderID: orderID)
        event.value = try value(order)
        event.lineItems = lineItems(order["line_items"], currency: event.value?.currency)
        event.customer = customer(order)
        event.client = client(order)
        event.consent = consent(order)
        event.attribution.fill(fromURL: SourceMapping.text(order["landing_site"], maxLength: SourceMapping.Limit.landingURL))
        event.isTest = order["test"]?.boolValue == true
        return event
    }

    /// `processed_at`, else `created_at`, else the arrival time.
    func eventTime(_ object: JSONValue) throws(SourceError) -> Timestamp {
        if let time = try SourceMapping.time(object["processed_at"], at: JSONPointer(["processed_at"])) { return time }
        if let time = try SourceMapping.time(object["created_at"], at: JSONPointer(["created_at"])) { return time }
        return now
    }

    /// `total_price` with `currency` (the shop's money); when `include_fields`
    /// left those out, the `shop_money` pair of `total_price_set`; else none.
    func value(_ order: JSONValue) throws(SourceError) -> Money? {
        let totalPointer = JSONPointer(["total_price"])
        let shopMoney = order[path: "total_price_set", "shop_money"]
        let shopPointer = JSONPointer(["total_price_set", "shop_money"])
        if let amount = try SourceMapping.decimal(order["total_price"], at: totalPointer) {
            let code = SourceMapping.present(order["currency"], shopMoney?["currency_code"])
            let currency = try SourceMapping.currency(code, at: JSONPointer(["currency"]))
            return try SourceMapping.money(amount, currency, at: totalPointer)
        }
        if let amount = try SourceMapping.decimal(shopMoney?["amount"], at: shopPointer.appending("amount")) {
            let currency = try SourceMapping.currency(shopMoney?["currency_code"], at: shopPointer.appending("currency_code"))
            return try SourceMapping.money(amount, currency, at: shopPointer.appending("amount"))
        }
        return nil
    }

    /// Order lines: id = product id, else variant id, else SKU; unit price =
    /// `price` (before discounts, shop currency). Lines without a usable id or
    /// quantity are left out; at most the schema's 1,000.
    func lineItems(_ value: JSONValue?, currency: Currency?) -> [LineItem] {
        var items: [LineItem] = []
        for line in value?.arrayValue ?? [] {
            guard items.count < SourceMapping.Limit.lineItems else { break }
            if let item = lineItem(line, quantity: line["quantity"], currency: currency) { items.append(item) }
        }
        return items
    }

    /// One line item from a Shopify line (also the `line_item` of a refund line).
    func lineItem(_ line: JSONValue, quantity: JSONValue?, currency: Currency?) -> LineItem? {
        let id =
            (try? SourceMapping.integerID(line["product_id"], at: .root))
            ?? (try? SourceMapping.integerID(line["variant_id"], at: .root))
            ?? SourceMapping.text(line["sku"], maxLength: SourceMapping.Limit.lineItemID)
        let name = line["name"]?.nonBlankString ?? line["title"]?.nonBlankString
        let price = try? SourceMapping.decimal(line["price"], at: .root)
        return SourceMapping.lineItem(id: id, name: name, quantity: quantity, unitPrice: price, currency: currency)
    }

    /// Identifiers as in `shopify.md`: e-mail from `email`, `contact_email`,
    /// `customer.email`; phone from the order, the customer, then the billing
    /// and shipping addresses; names from the customer, then the addresses;
    /// city, province, zip and `country_code` from billing, then shipping;
    /// external id `customer.id`.
    func customer(_ order: JSONValue) -> CustomerIdentifiers {
        var identifiers = CustomerIdentifiers()
        let customer = order["customer"]
        let addresses = [order["billing_address"], order["shipping_address"]]
        identifiers.fill(.email, from: order["email"])
        identifiers.fill(.email, from: order["contact_email"])
        identifiers.fill(.email, from: customer?["email"])
        identifiers.fill(.phone, from: order["phone"])
        identifiers.fill(.phone, from: customer?["phone"])
        identifiers.fill(.firstName, from: customer?["first_name"])
        identifiers.fill(.lastName, from: customer?["last_name"])
        for address in addresses {
            identifiers.fill(.phone, from: address?["phone"])
            identifiers.fill(.firstName, from: address?["first_name"])
            identifiers.fill(.lastName, from: address?["last_name"])
            identifiers.fill(.city, from: address?["city"])
            identifiers.fill(.state, from: address?["province_code"])
            identifiers.fill(.state, from: address?["province"])
            identifiers.fill(.postalCode, from: address?["zip"])
            identifiers.fill(.country, from: address?["country_code"])
        }
        if let id = try? SourceMapping.integerID(customer?["id"], at: .root) {
            identifiers.fill(.externalID, with: id)
        }
        return identifiers
    }

    /// Browser context (campaign attribution comes from the same
    /// `landing_site`'s `utm_*` parameters): IP (`browser_ip`, `client_details.browser_ip`), user
    /// agent, `landing_site` (a path with a query) and click ids from that
    /// query, then from `note_attributes` (`_fbc`/`fbc`, `_fbp`/`fbp`, …).
    func client(_ order: JSONValue) -> ClientContext {
        var client = ClientContext()
        client.fillIP(order["browser_ip"])
        client.fillIP(order[path: "client_details", "browser_ip"])
        client.fillUserAgent(order[path: "client_details", "user_agent"])
        client.fillLandingURL(order["landing_site"])
        client.fillClickIDs(fromURL: SourceMapping.text(order["landing_site"], maxLength: SourceMapping.Limit.landingURL))
        for attribute in order["note_attributes"]?.arrayValue ?? [] {
            guard let name = attribute["name"]?.stringValue, let kind = ClickIDQuery.kind(forAttribute: name) else { continue }
            client.fill(kind, bounded: SourceMapping.text(attribute["value"], maxLength: SourceMapping.Limit.clickID))
        }
        return client
    }

    /// Shopify's marketing consents, kept as source signals (they are not
    /// ad-tracking consent): `shopify.buyer_accepts_marketing`,
    /// `shopify.email_marketing_consent.state`, `shopify.sms_marketing_consent.state`.
    func consent(_ order: JSONValue) -> ConsentSignals {
        var consent = ConsentSignals()
        if let accepts = order["buyer_accepts_marketing"]?.boolValue {
            consent.sourceSignals["shopify.buyer_accepts_marketing"] = accepts ? "true" : "false"
        }
        for key in ["email_marketing_consent", "sms_marketing_consent"] {
            if let state = SourceMapping.text(order[path: "customer", key, "state"], maxLength: 64) {
                consent.sourceSignals["shopify.\(key).state"] = state
            }
        }
        return consent
    }
}
