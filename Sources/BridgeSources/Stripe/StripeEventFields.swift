import BridgeCore

/// Field readers shared by Stripe's object types: names, addresses, the
/// `customer` reference and the merchant's `metadata` conventions.
///
/// Stripe puts no IP address, user agent or click id in its objects; merchants
/// pass them in `metadata` under the keys below (the README's convention):
///
/// | metadata key | canonical field |
/// |---|---|
/// | `client_ip`, `client_user_agent` | client IP, user agent |
/// | `fbclid` `fbc` `fbp` `gclid` `gbraid` `wbraid` `ttclid` `sccid`/`ScCid` `epik` `li_fat_id` `rdt_cid` | click ids |
/// | `ad_user_data`, `ad_personalization` (`granted`/`denied`), `gpc` (`true`/`false`), `tcf_string`, `us_privacy`, `gpp_string` | consent signals |
/// | `order_id` | merchant order id |
/// | `utm_source`, `utm_medium`, `utm_campaign`, `utm_content`, `utm_term` | campaign attribution |
enum StripeEventFields {
    /// Splits a full name at its last space: `"Mary Ann Smith"` → (`Mary Ann`,
    /// `Smith`); a single word is a first name only.
    static func splitName(_ fullName: String) -> (first: String, last: String?) {
        let trimmed = fullName.trimmingWhitespace()
        guard let space = trimmed.lastIndex(where: { $0 == " " }) else { return (trimmed, nil) }
        let first = String(trimmed[..<space]).trimmingWhitespace()
        let last = String(trimmed[trimmed.index(after: space)...]).trimmingWhitespace()
        if first.isEmpty { return (last, nil) }
        return (first, last.isEmpty ? nil : last)
    }

    /// Fills first and last name from the first candidate holding a name, so
    /// both halves come from the same person.
    static func fillName(_ identifiers: inout CustomerIdentifiers, from candidates: [JSONValue?]) {
        guard identifiers[.firstName] == nil, identifiers[.lastName] == nil else { return }
        for candidate in candidates {
            guard let name = SourceMapping.text(candidate, maxLength: SourceMapping.Limit.identifier) else { continue }
            let (first, last) = splitName(name)
            identifiers.fill(.firstName, with: first)
            identifiers.fill(.lastName, with: last)
            return
        }
    }

    /// City, state, postal code and country of a Stripe `address` object.
    static func fillAddress(_ identifiers: inout CustomerIdentifiers, from address: JSONValue?) {
        identifiers.fill(.city, from: address?["city"])
        identifiers.fill(.state, from: address?["state"])
        identifiers.fill(.postalCode, from: address?["postal_code"])
        identifiers.fill(.country, from: address?["country"])
    }

    /// The `customer` id (`cus_…`), also from an expanded customer object.
    static func fillCustomerID(_ identifiers: inout CustomerIdentifiers, from value: JSONValue?) {
        if let id = try? SourceMapping.sourceID(value, at: .root) { identifiers.fill(.externalID, with: id) }
    }

    /// Client context, click ids and consent from a `metadata` object; fields
    /// already set are kept (the first metadata object wins).
    static func applyMetadata(_ metadata: JSONValue?, to event: inout ConversionEvent) {
        guard let metadata, case .object = metadata else { return }
        event.client.fillIP(metadata["client_ip"])
        event.client.fillUserAgent(metadata["client_user_agent"])
        for kind in ClickIDKind.allCases {
            event.client.fill(kind, bounded: SourceMapping.text(metadata[kind.rawValue], maxLength: SourceMapping.Limit.clickID))
        }
        event.client.fill(.sccid, bounded: SourceMapping.text(metadata["ScCid"], maxLength: SourceMapping.Limit.clickID))
        let limit = SourceMapping.Limit.self
        var consent = event.consent
        consent.adUserData = consent.adUserData ?? SourceMapping.grantState(metadata["ad_user_data"]?.stringValue)
        consent.adPersonalization =
            consent.adPersonalization ?? SourceMapping.grantState(metadata["ad_personalization"]?.stringValue)
        consent.gpc = consent.gpc ?? SourceMapping.flag(metadata["gpc"]?.stringValue)
        consent.tcfString = consent.tcfString ?? SourceMapping.text(metadata["tcf_string"], maxLength: limit.consentString)
        consent.usPrivacy = consent.usPrivacy ?? SourceMapping.text(metadata["us_privacy"], maxLength: limit.usPrivacy)
        consent.gppString = consent.gppString ?? SourceMapping.text(metadata["gpp_string"], maxLength: limit.consentString)
        event.consent = consent
        for field in CampaignAttribution.Field.allCases {
            event.attribution.fill(field, with: metadata[field.rawValue]?.scalarText)
        }
        if event.orderID == nil { event.orderID = SourceMapping.text(metadata["order_id"], maxLength: limit.orderID) }
    }
}
