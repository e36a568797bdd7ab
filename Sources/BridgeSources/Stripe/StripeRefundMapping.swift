import BridgeCore

extension StripeEnvelope {
    /// A refunded Charge (`charge.refunded`). `amount_refunded` is cumulative
    /// over every refund of the charge, so the event carries it as a
    /// `CumulativeRefund` keyed `stripe-charge:<charge id>`: the store replaces
    /// the value by the increase over the largest total it has seen and treats
    /// no increase as a duplicate.
    ///
    /// Event id `refund:<source>:<payment_intent or charge id>:<amount_refunded
    /// in Stripe minor units>`: each new cumulative total is a new refund; a
    /// redelivery of the same total is the same event.
    /// - Throws: `PayloadError` for a missing charge id or `amount_refunded`.
    func chargeRefunded() throws(SourceError) -> WebhookOutcome {
        let charge = object
        let chargeID = try requiredID("id")
        let amountPointer = pointer("amount_refunded")
        guard let cumulative = try SourceMapping.integer(charge["amount_refunded"], at: amountPointer) else {
            throw SourceMapping.invalid(amountPointer, "required amount is missing")
        }
        guard cumulative > 0 else { return .ignored(reason: "the charge has no refunded amount") }
        let paymentIntent = try SourceMapping.sourceID(charge["payment_intent"], at: pointer("payment_intent"))
        guard
            let total = try StripeCurrencyExponent.money(
                amount: charge["amount_refunded"], at: amountPointer, currency: charge["currency"], at: pointer("currency"))
        else { throw SourceMapping.invalid(amountPointer, "required amount is missing") }
        let saleID = paymentIntent ?? chargeID
        var event = ConversionEvent(
            eventID: try SourceMapping.eventID(
                ["refund", source, saleID, String(cumulative)], at: pointer(paymentIntent == nil ? "id" : "payment_intent")),
            eventName: .refund,
            eventTime: time,
            source: source,
            value: total,
            isTest: isTest)
        let billing = charge["billing_details"]
        let shipping = charge["shipping"]
        event.customer.fill(.email, from: billing?["email"])
        event.customer.fill(.email, from: charge["receipt_email"])
        event.customer.fill(.phone, from: billing?["phone"])
        event.customer.fill(.phone, from: shipping?["phone"])
        StripeEventFields.fillName(&event.customer, from: [billing?["name"], shipping?["name"]])
        StripeEventFields.fillAddress(&event.customer, from: billing?["address"])
        StripeEventFields.fillAddress(&event.customer, from: shipping?["address"])
        StripeEventFields.fillCustomerID(&event.customer, from: charge["customer"])
        StripeEventFields.applyMetadata(charge["metadata"], to: &event)
        return accepted(event, cumulativeRefund: CumulativeRefund(key: "stripe-charge:\(chargeID)", total: total))
    }
}
