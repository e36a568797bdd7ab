import BridgeCore

extension ShopifyMapping {
    /// The Refund for a Refund payload (`refunds/create`), or `nil` when it
    /// refunded no money (no successful refund transaction, or a zero total).
    ///
    /// Event id `refund:<source>:<order id>:<refund id>`. Value = the sum of the
    /// `transactions` with `kind` `refund` and `status` `success` (failed
    /// attempts sit in the same list), in those transactions' currency. The
    /// payload carries no customer data.
    /// - Throws: `PayloadError` for malformed ids, amounts, currencies, or
    ///   successful transactions in different currencies.
    func refund(_ refund: JSONValue) throws(SourceError) -> ConversionEvent? {
        let refundID = try SourceMapping.requiredIntegerID(refund["id"], at: JSONPointer(["id"]))
        let orderPointer = JSONPointer(["order_id"])
        let orderID = try SourceMapping.requiredIntegerID(refund["order_id"], at: orderPointer)
        guard let refunded = try refundedMoney(refund), refunded.money.amount.units > 0 else { return nil }
        var event = ConversionEvent(
            eventID: try SourceMapping.eventID(["refund", source, orderID, refundID], at: orderPointer),
            eventName: .refund,
            eventTime: try eventTime(refund),
            source: source,
            orderID: orderID,
            value: refunded.money)
        event.isTest = refunded.isTest
        event.lineItems = refundLines(refund["refund_line_items"], currency: refunded.money.currency)
        return event
    }

    /// The total of the successful refund transactions, and whether any was a
    /// test; `nil` when there is none.
    func refundedMoney(_ refund: JSONValue) throws(SourceError) -> (money: Money, isTest: Bool)? {
        let listPointer = JSONPointer(["transactions"])
        guard let list = SourceMapping.present(refund["transactions"]) else { return nil }
        guard let transactions = list.arrayValue else { throw SourceMapping.invalid(listPointer, "must be an array") }
        var total: Money.Amount?
        var currency: Currency?
        var isTest = false
        for (index, transaction) in transactions.enumerated() {
            guard transaction["kind"]?.stringValue == "refund", transaction["status"]?.stringValue == "success" else { continue }
            let pointer = listPointer.appending(index)
            guard let amount = try SourceMapping.decimal(transaction["amount"], at: pointer.appending("amount")) else {
                throw SourceMapping.invalid(pointer.appending("amount"), "required amount is missing")
            }
            guard !amount.isNegative else { throw SourceMapping.invalid(pointer.appending("amount"), "must not be negative") }
            let code = try SourceMapping.currency(transaction["currency"], at: pointer.appending("currency"))
            if let currency, currency != code {
                throw SourceMapping.invalid(pointer.appending("currency"), "differs from the other refund transactions")
            }
            currency = code
            guard let sum = (total ?? Money.Amount(units: 0, scale: 0)).adding(amount) else {
                throw SourceMapping.invalid(pointer.appending("amount"), "the refund total is too large")
            }
            total = sum
            if transaction["test"]?.boolValue == true { isTest = true }
        }
        guard let total, let currency else { return nil }
        return (try SourceMapping.money(total, currency, at: listPointer), isTest)
    }

    /// The refunded lines: each `line_item` with the refunded `quantity`.
    func refundLines(_ value: JSONValue?, currency: Currency) -> [LineItem] {
        var items: [LineItem] = []
        for line in value?.arrayValue ?? [] {
            guard items.count < SourceMapping.Limit.lineItems, let item = line["line_item"] else { continue }
            if let mapped = lineItem(item, quantity: line["quantity"], currency: currency) { items.append(mapped) }
        }
        return items
    }
}
