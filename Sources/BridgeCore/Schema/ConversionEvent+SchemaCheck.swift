/// A typed check of an event against the canonical schema's rules, for
/// events a source adapter built itself (Shopify, Stripe, WooCommerce):
/// true when its canonical JSON certainly validates, so it need not be
/// serialized and walked. When it says false the caller validates the
/// canonical JSON against the schema, which names the violation; the two
/// stay in agreement through `CanonicalEventReaderTests` and
/// `SchemaCheckTests`.
extension ConversionEvent {
    public var certainlyMatchesCanonicalSchema: Bool {
        guard !eventID.isEmpty, eventID.utf8.count <= 256, eventID.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else { return false }
        // Years 0001 to 9999: what `event_time`'s pattern takes.
        guard (-62_135_596_800_000...253_402_300_799_999).contains(eventTime.millisecondsSinceEpoch) else { return false }
        if let orderID, !CanonicalEventReader.fits(orderID, 256) { return false }
        if let value {
            guard CanonicalEventReader.isDecimal(value.formattedAmount, signed: false), Self.isCurrencyCode(value.currency.code) else {
                return false
            }
        }
        guard lineItems.count <= 1000 else { return false }
        for item in lineItems {
            guard !item.id.isEmpty, CanonicalEventReader.fits(item.id, 256), (1...1_000_000).contains(item.quantity) else { return false }
            if let name = item.name, !CanonicalEventReader.fits(name, 1024) { return false }
            if let price = item.unitPrice {
                let text = price.formatted(fractionDigits: max(price.reduced.scale, value?.currency.minorUnit ?? 2))
                guard CanonicalEventReader.isDecimal(text, signed: true) else { return false }
            }
        }
        guard customer.values.values.allSatisfy({ CanonicalEventReader.fits($0.rawValue, 512) }) else { return false }
        let clientLimits: [(PersonalData?, Int)] = [
            (client.ipAddress, 64), (client.userAgent, 2048), (client.landingURL, 8192), (client.gaClientID, 128), (client.gaSessionID, 64),
        ]
        for (field, limit) in clientLimits { if let field, !CanonicalEventReader.fits(field.rawValue, limit) { return false } }
        guard client.clickIDs.values.allSatisfy({ CanonicalEventReader.fits($0.rawValue, 1024) }) else { return false }
        for (text, limit) in [(consent.tcfString, 8192), (consent.usPrivacy, 16), (consent.gppString, 8192)] {
            if let text, !CanonicalEventReader.fits(text, limit) { return false }
        }
        guard consent.sourceSignals.count <= 64, consent.sourceSignals.values.allSatisfy({ CanonicalEventReader.fits($0, 8192) }) else {
            return false
        }
        guard attribution.values.values.allSatisfy(CampaignAttribution.isKeepable) else { return false }
        guard customProperties.values.count <= CustomProperties.maxCount,
            customProperties.values.allSatisfy({ CustomProperties.isValidName($0.key) && CustomProperties.isValid($0.value) })
        else { return false }
        return true
    }

    private static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }
}
