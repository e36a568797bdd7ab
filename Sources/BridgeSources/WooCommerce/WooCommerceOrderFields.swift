import BridgeCore

/// The buyer, browser, consent and test fields of a WooCommerce order, shared
/// by the Purchase and the Refunds of one delivery.
///
/// | canonical | order path |
/// |---|---|
/// | e-mail | `billing.email` |
/// | phone, names, city, state, postcode, country | `billing.*`, then `shipping.*` |
/// | external id | `customer_id` (0 for guests: none) |
/// | IP, user agent | `customer_ip_address`; `customer_user_agent`, else meta `_wc_order_attribution_user_agent` |
/// | landing URL, click ids | meta `_wc_order_attribution_session_entry` and its query; meta `_fbc`, `_fbp` |
/// | campaign (`utm_*`) | meta `_wc_order_attribution_utm_source` … `_utm_term`, then the session entry's query |
/// | consent | meta `_capi_consent_ad_user_data`, `_capi_consent_ad_personalization`, `_capi_gpc`, `_capi_tcf_string` (raw copies in `sourceSignals` as `woocommerce.<key>`) |
/// | test | meta `_wcpay_mode` = `test` (WooPayments) |
struct WooCommerceOrderFields {
    static let consentKeys = [
        "_capi_consent_ad_user_data", "_capi_consent_ad_personalization", "_capi_gpc", "_capi_tcf_string",
    ]

    let customer: CustomerIdentifiers
    let client: ClientContext
    let consent: ConsentSignals
    let attribution: CampaignAttribution
    let isTest: Bool

    init(_ order: JSONValue) {
        let meta = WooCommerceOrderFields.meta(order["meta_data"])
        var customer = CustomerIdentifiers()
        let addresses = [order["billing"], order["shipping"]]
        customer.fill(.email, from: order[path: "billing", "email"])
        for address in addresses {
            customer.fill(.phone, from: address?["phone"])
            customer.fill(.firstName, from: address?["first_name"])
            customer.fill(.lastName, from: address?["last_name"])
            customer.fill(.city, from: address?["city"])
            customer.fill(.state, from: address?["state"])
            customer.fill(.postalCode, from: address?["postcode"])
            customer.fill(.country, from: address?["country"])
        }
        if let id = try? SourceMapping.integerID(order["customer_id"], at: .root) { customer.fill(.externalID, with: id) }
        self.customer = customer

        var client = ClientContext()
        client.fillIP(order["customer_ip_address"])
        client.fillUserAgent(order["customer_user_agent"])
        client.fillUserAgent(meta["_wc_order_attribution_user_agent"])
        let entry = meta["_wc_order_attribution_session_entry"]
        client.fillLandingURL(entry)
        client.fillClickIDs(fromURL: SourceMapping.text(entry, maxLength: SourceMapping.Limit.landingURL))
        client.fill(.fbc, bounded: SourceMapping.text(meta["_fbc"], maxLength: SourceMapping.Limit.clickID))
        client.fill(.fbp, bounded: SourceMapping.text(meta["_fbp"], maxLength: SourceMapping.Limit.clickID))
        self.client = client

        var attribution = CampaignAttribution()
        for field in CampaignAttribution.Field.allCases {
            attribution.fill(field, with: WooCommerceOrderFields.scalarText(meta["_wc_order_attribution_" + field.rawValue]))
        }
        attribution.fill(fromURL: SourceMapping.text(entry, maxLength: SourceMapping.Limit.landingURL))
        self.attribution = attribution

        var consent = ConsentSignals()
        let text = { (key: String) in WooCommerceOrderFields.scalarText(meta[key]) }
        consent.adUserData = SourceMapping.grantState(text("_capi_consent_ad_user_data"))
        consent.adPersonalization = SourceMapping.grantState(text("_capi_consent_ad_personalization"))
        consent.gpc = SourceMapping.flag(text("_capi_gpc"))
        consent.tcfString = text("_capi_tcf_string").flatMap {
            $0.unicodeScalars.count <= SourceMapping.Limit.consentString ? $0 : nil
        }
        for key in WooCommerceOrderFields.consentKeys {
            if let raw = text(key), raw.unicodeScalars.count <= SourceMapping.Limit.consentString {
                consent.sourceSignals["woocommerce.\(key)"] = raw
            }
        }
        self.consent = consent
        self.isTest = meta["_wcpay_mode"]?.stringValue == "test"
    }

    /// Copies these fields onto `event`.
    func apply(to event: inout ConversionEvent) {
        event.customer = customer
        event.client = client
        event.consent = consent
        event.attribution = attribution
        event.isTest = isTest
    }

    /// `meta_data[] {key, value}` by key; the first entry of a key wins.
    static func meta(_ value: JSONValue?) -> [String: JSONValue] {
        var meta: [String: JSONValue] = [:]
        for entry in value?.arrayValue ?? [] {
            guard let key = entry["key"]?.stringValue, meta[key] == nil, let value = entry["value"] else { continue }
            meta[key] = value
        }
        return meta
    }

    /// A non-blank string, number or boolean as text (meta values are untyped).
    static func scalarText(_ value: JSONValue?) -> String? {
        if let bool = value?.boolValue { return bool ? "true" : "false" }
        guard let text = value?.scalarText?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return text
    }
}
