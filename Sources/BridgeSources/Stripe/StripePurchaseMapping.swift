import BridgeCore

/// Purchases from Stripe events. The sale id makes the several events of one
/// sale collapse into one event id (`docs/event-ids.md`):
///
/// | event | sale id |
/// |---|---|
/// | `checkout.session.completed`, mode `payment` | `payment_intent`, else `invoice`, else the session id |
/// | `checkout.session.completed`, mode `subscription` | `invoice`, else `payment_intent`, else the session id |
/// | `payment_intent.succeeded` | the PaymentIntent's `invoice` when not null, else its id |
/// | `invoice.paid` | the invoice id |
extension StripeEnvelope {
    /// A paid Checkout Session (`payment_status` `paid` or
    /// `no_payment_required`, mode not `setup`); anything else is ignored.
    func checkoutSession() throws(SourceError) -> WebhookOutcome {
        let session = object
        let paymentStatus = session["payment_status"]?.stringValue
        guard paymentStatus == "paid" || paymentStatus == "no_payment_required" else {
            return .ignored(reason: "the checkout session is not paid")
        }
        let mode = session["mode"]?.stringValue
        guard mode != "setup" else { return .ignored(reason: "a setup-mode checkout session is not a purchase") }
        let order = mode == "subscription" ? ["invoice", "payment_intent", "id"] : ["payment_intent", "invoice", "id"]
        var sale: (id: String, key: String)?
        for key in order where sale == nil {
            if let id = try SourceMapping.sourceID(session[key], at: pointer(key)) { sale = (id, key) }
        }
        guard let sale else { throw SourceMapping.invalid(pointer("id"), "required id is missing") }
        var event = try purchase(saleID: sale.id, at: pointer(sale.key))
        event.value = try StripeCurrencyExponent.money(
            amount: session["amount_total"], at: pointer("amount_total"), currency: session["currency"], at: pointer("currency"))
        let details = session["customer_details"]
        let shipping = SourceMapping.present(session[path: "collected_information", "shipping_details"], session["shipping_details"])
        event.customer.fill(.email, from: details?["email"])
        event.customer.fill(.email, from: session["customer_email"])
        event.customer.fill(.phone, from: details?["phone"])
        StripeEventFields.fillName(&event.customer, from: [details?["name"], shipping?["name"]])
        StripeEventFields.fillAddress(&event.customer, from: details?["address"])
        StripeEventFields.fillAddress(&event.customer, from: shipping?["address"])
        StripeEventFields.fillCustomerID(&event.customer, from: session["customer"])
        StripeEventFields.applyMetadata(session["metadata"], to: &event)
        if event.orderID == nil {
            event.orderID = SourceMapping.text(session["client_reference_id"], maxLength: SourceMapping.Limit.orderID)
        }
        if let promotions = SourceMapping.text(session[path: "consent", "promotions"], maxLength: 64) {
            event.consent.sourceSignals["stripe.consent.promotions"] = promotions
        }
        return accepted(event)
    }

    /// A succeeded PaymentIntent; value `amount_received` (else `amount`).
    func paymentIntent() throws(SourceError) -> WebhookOutcome {
        let intent = object
        let intentID = try requiredID("id")
        let invoiceID = try SourceMapping.sourceID(intent["invoice"], at: pointer("invoice"))
        var event = try purchase(saleID: invoiceID ?? intentID, at: pointer(invoiceID == nil ? "id" : "invoice"))
        let received = try SourceMapping.integer(intent["amount_received"], at: pointer("amount_received")) ?? 0
        let amountKey = received > 0 ? "amount_received" : "amount"
        event.value = try StripeCurrencyExponent.money(
            amount: intent[amountKey], at: pointer(amountKey), currency: intent["currency"], at: pointer("currency"))
        let shipping = intent["shipping"]
        event.customer.fill(.email, from: intent["receipt_email"])
        event.customer.fill(.phone, from: shipping?["phone"])
        StripeEventFields.fillName(&event.customer, from: [shipping?["name"]])
        StripeEventFields.fillAddress(&event.customer, from: shipping?["address"])
        StripeEventFields.fillCustomerID(&event.customer, from: intent["customer"])
        StripeEventFields.applyMetadata(intent["metadata"], to: &event)
        return accepted(event)
    }

    /// A paid invoice (subscription or one-off); value `amount_paid`. Lines
    /// come from the embedded first page of `lines` (up to 10).
    func invoice() throws(SourceError) -> WebhookOutcome {
        let invoice = object
        var event = try purchase(saleID: try requiredID("id"), at: pointer("id"))
        event.value = try StripeCurrencyExponent.money(
            amount: invoice["amount_paid"], at: pointer("amount_paid"), currency: invoice["currency"], at: pointer("currency"))
        let shipping = invoice["customer_shipping"]
        event.customer.fill(.email, from: invoice["customer_email"])
        event.customer.fill(.phone, from: invoice["customer_phone"])
        event.customer.fill(.phone, from: shipping?["phone"])
        StripeEventFields.fillName(&event.customer, from: [invoice["customer_name"], shipping?["name"]])
        StripeEventFields.fillAddress(&event.customer, from: invoice["customer_address"])
        StripeEventFields.fillAddress(&event.customer, from: shipping?["address"])
        StripeEventFields.fillCustomerID(&event.customer, from: invoice["customer"])
        StripeEventFields.applyMetadata(invoice["metadata"], to: &event)
        StripeEventFields.applyMetadata(invoice[path: "parent", "subscription_details", "metadata"], to: &event)
        StripeEventFields.applyMetadata(invoice[path: "subscription_details", "metadata"], to: &event)
        event.lineItems = invoiceLines(invoice[path: "lines", "data"], currency: event.value?.currency)
        return accepted(event)
    }

    /// Invoice lines: id = the product (`pricing.price_details.product`, or
    /// `price.product` before API 2025-03-31), else the line id; no unit price
    /// (line amounts include proration and discounts).
    func invoiceLines(_ value: JSONValue?, currency: Currency?) -> [LineItem] {
        var items: [LineItem] = []
        for line in value?.arrayValue ?? [] {
            guard items.count < SourceMapping.Limit.lineItems else { break }
            let id =
                (try? SourceMapping.sourceID(line[path: "pricing", "price_details", "product"], at: .root))
                ?? (try? SourceMapping.sourceID(line[path: "price", "product"], at: .root))
                ?? (try? SourceMapping.sourceID(line["id"], at: .root))
            let name = line["description"]?.nonBlankString
            if let item = SourceMapping.lineItem(id: id, name: name, quantity: line["quantity"], unitPrice: nil, currency: currency) {
                items.append(item)
            }
        }
        return items
    }
}
