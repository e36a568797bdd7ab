import BridgeCore

/// Turns a WooCommerce REST v3 order into canonical events.
///
/// One delivery can yield several events: the Purchase when the order's
/// `status` is a purchase status (`sale:<source>:<order id>`, the same for
/// `order.created` and every later `order.updated`), plus one Refund per
/// `refunds[]` entry (`refund:<source>:<order id>:<refund id>`). The list is
/// cumulative; the store drops the event ids it has already seen.
struct WooCommerceMapping {
    let source: String
    /// Fallback event time when the order carries none.
    let now: Timestamp
    /// Order statuses that make the order a purchase.
    let purchaseStatuses: Set<String>

    /// The events for an order payload, or why there are none.
    /// - Throws: `PayloadError` for a malformed id, status, value, currency,
    ///   time or refund entry; missing customer data is not an error.
    func outcome(_ order: JSONValue, deliveryKeys: [String]) throws(SourceError) -> WebhookOutcome {
        let idPointer = JSONPointer(["id"])
        let orderID = try SourceMapping.requiredIntegerID(order["id"], at: idPointer)
        guard let status = order["status"]?.stringValue else {
            throw SourceMapping.invalid(JSONPointer(["status"]), "required string 'status' is missing")
        }
        let refunds = try refundEntries(order)
        let isPurchase = purchaseStatuses.contains(status)
        guard isPurchase || !refunds.isEmpty else {
            return .ignored(reason: "order status \(SourceMapping.describe(status)) is not a purchase")
        }
        let currency = try SourceMapping.currency(order["currency"], at: JSONPointer(["currency"]))
        let fields = WooCommerceOrderFields(order)
        var events: [IngestEvent] = []
        if isPurchase {
            let valuePointer = JSONPointer(["total"])
            guard let total = try SourceMapping.decimal(order["total"], at: valuePointer) else {
                throw SourceMapping.invalid(valuePointer, "required decimal string is missing")
            }
            var event = ConversionEvent(
                eventID: try SourceMapping.eventID(["sale", source, orderID], at: idPointer),
                eventName: .purchase,
                eventTime: try purchaseTime(order),
                source: source,
                orderID: orderID,
                value: try SourceMapping.money(total, currency, at: valuePointer),
                lineItems: lineItems(order["line_items"], currency: currency))
            fields.apply(to: &event)
            events.append(IngestEvent(event: event))
        }
        let refundTime =
            try SourceMapping.time(
                order["date_modified_gmt"], at: JSONPointer(["date_modified_gmt"]), assumeUTC: true) ?? now
        for refund in refunds {
            var event = ConversionEvent(
                eventID: try SourceMapping.eventID(["refund", source, orderID, refund.id], at: refund.pointer),
                eventName: .refund,
                eventTime: refundTime,
                source: source,
                orderID: orderID,
                value: try SourceMapping.money(refund.amount, currency, at: refund.pointer.appending("total")))
            fields.apply(to: &event)
            events.append(IngestEvent(event: event))
        }
        return .accepted(IngestBatch(events: events, deliveryKeys: deliveryKeys))
    }

    /// `date_paid_gmt`, else `date_created_gmt` (UTC without an offset), else now.
    func purchaseTime(_ order: JSONValue) throws(SourceError) -> Timestamp {
        for key in ["date_paid_gmt", "date_created_gmt"] {
            if let time = try SourceMapping.time(order[key], at: JSONPointer([key]), assumeUTC: true) { return time }
        }
        return now
    }

    /// One `refunds[]` entry: its id and the refunded amount (the absolute
    /// value of its negative `total`).
    struct RefundEntry {
        let id: String
        let amount: Money.Amount
        let pointer: JSONPointer
    }

    /// The refunds with a non-zero amount.
    func refundEntries(_ order: JSONValue) throws(SourceError) -> [RefundEntry] {
        let listPointer = JSONPointer(["refunds"])
        guard let list = SourceMapping.present(order["refunds"]) else { return [] }
        guard let refunds = list.arrayValue else { throw SourceMapping.invalid(listPointer, "must be an array") }
        var entries: [RefundEntry] = []
        for (index, refund) in refunds.enumerated() {
            let pointer = listPointer.appending(index)
            let id = try SourceMapping.requiredIntegerID(refund["id"], at: pointer.appending("id"))
            guard let total = try SourceMapping.decimal(refund["total"], at: pointer.appending("total")) else {
                throw SourceMapping.invalid(pointer.appending("total"), "required decimal string is missing")
            }
            // |total| cannot overflow: a parsed amount has at most 18 digits.
            let amount = Money.Amount(units: total.isNegative ? -total.units : total.units, scale: total.scale)
            if amount.units != 0 { entries.append(RefundEntry(id: id, amount: amount, pointer: pointer)) }
        }
        return entries
    }

    /// Order lines: id = product id, else variation id, else SKU; name with
    /// HTML entities decoded; unit price = line `subtotal` ÷ `quantity` when
    /// that division is exact (the float `price` is never used).
    func lineItems(_ value: JSONValue?, currency: Currency) -> [LineItem] {
        var items: [LineItem] = []
        for line in value?.arrayValue ?? [] {
            guard items.count < SourceMapping.Limit.lineItems else { break }
            let id =
                (try? SourceMapping.integerID(line["product_id"], at: .root))
                ?? (try? SourceMapping.integerID(line["variation_id"], at: .root))
                ?? SourceMapping.text(line["sku"], maxLength: SourceMapping.Limit.lineItemID)
            let name = line["name"]?.nonBlankString.map(HTMLEntities.decode)
            let price = unitPrice(subtotal: line["subtotal"], quantity: line["quantity"], currency: currency)
            if let item = SourceMapping.lineItem(id: id, name: name, quantity: line["quantity"], unitPrice: price, currency: currency) {
                items.append(item)
            }
        }
        return items
    }

    /// `subtotal ÷ quantity` at the currency's decimals (at least 2), or `nil`
    /// when it does not divide exactly.
    func unitPrice(subtotal: JSONValue?, quantity: JSONValue?, currency: Currency) -> Money.Amount? {
        guard let amount = try? SourceMapping.decimal(subtotal, at: .root),
            let text = quantity?.numberText, let count = Int64(text), count > 0
        else { return nil }
        let scale = max(currency.minorUnit, 2)
        guard amount.significantFractionDigits <= scale else { return nil }
        let scaled = amount.rescaled(to: scale)
        guard scaled == amount, scaled.units % count == 0 else { return nil }
        return Money.Amount(units: scaled.units / count, scale: scale)
    }
}
