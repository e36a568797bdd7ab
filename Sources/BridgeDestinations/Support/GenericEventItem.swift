import BridgeCore

/// The platform-neutral item the `webhook` and `sandbox` destinations send:
/// the canonical event with its identifiers already prepared (normalized and
/// hashed by the rules of `identifier_rules`), so any system can consume the
/// bridge's output.
///
/// ```json
/// {"event_id": "sale:acme-books:7K2M9Q", "event_name": "Purchase",
///  "event_time": "2026-03-14T15:05:12Z", "source": "backend",
///  "order_id": "7K2M9Q", "value": "129.90", "currency": "EUR",
///  "line_items": [{"id": "BK-1001", "name": "…", "quantity": 1, "unit_price": "34.00"}],
///  "identifier_rules": "meta",
///  "user_data": {"email": "<sha256>", "country": "<sha256 or clear, per the rules>", …},
///  "client": {"ip_address": "…", "user_agent": "…", "landing_url": "…",
///             "click_ids": {"fbc": "…", "gclid": "…"}},
///  "consent": {"action": "send", "reason": "granted_consent_mode",
///              "restricted_processing": false, "attribution_only": false},
///  "test": false}
/// ```
///
/// - `user_data` keys are the canonical `customer` keys; a value is 64
///   lowercase hex when the rules hash that field, else the normalized clear
///   value (`WireEncoding`); dropped fields are absent.
/// - `value` is a decimal string with the currency's minor-unit digits, as
///   in the canonical payload; absent values, order ids and blocks are omitted.
/// - `client` holds what the browser context had, in clear: IP address and
///   user agent as prepared (Reddit rules hash the IP), the landing URL, and
///   every click id the event carried, not only those of the rules' platform.
enum GenericEventItem {
    /// The item for `event`, or `nil` when consent suppresses it.
    static func make(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision) -> JSONValue? {
        if consent.isSuppressed { return nil }
        var item: [String: JSONValue] = [
            "event_id": .string(event.eventID),
            "event_name": .string(event.eventName.rawValue),
            "event_time": .string(event.eventTime.rfc3339),
            "source": .string(event.source),
            "identifier_rules": .string(identifiers.platform.rawValue),
            "test": .bool(event.isTest),
            "consent": .object([
                "action": .string(consent.action.rawValue),
                "reason": .string(consent.reason.rawValue),
                "restricted_processing": .bool(consent.limitedDataUse.restrictedProcessing),
                "attribution_only": .bool(consent.limitedDataUse.attributionOnly),
            ]),
        ]
        if let orderID = event.orderID { item["order_id"] = .string(orderID) }
        if let money = event.value {
            item["value"] = .string(money.formattedAmount)
            item["currency"] = .string(money.currency.code)
        }
        if !event.lineItems.isEmpty { item["line_items"] = .array(event.lineItems.map(lineItem)) }
        let userData = userData(identifiers)
        if !userData.isEmpty { item["user_data"] = .object(userData) }
        let client = client(event, identifiers)
        if !client.isEmpty { item["client"] = .object(client) }
        return .object(item)
    }

    /// Inside one item: the whole `client` block and every `user_data` field
    /// the rules of `platform` keep in clear.
    static func clearFieldPaths(for platform: Platform) -> [JSONPointer] {
        [JSONPointer(["client"])]
            + CustomerField.allCases.filter { platform.encoding(for: $0) == .clear }.map { JSONPointer(["user_data", $0.rawValue]) }
    }

    private static func lineItem(_ line: LineItem) -> JSONValue {
        var object: [String: JSONValue] = ["id": .string(line.id), "quantity": .number(String(line.quantity))]
        if let name = line.name { object["name"] = .string(name) }
        if let price = line.unitPrice { object["unit_price"] = .string(price.formatted(fractionDigits: price.scale)) }
        return .object(object)
    }

    private static func userData(_ identifiers: PreparedIdentifiers) -> [String: JSONValue] {
        var userData: [String: JSONValue] = [:]
        for field in CustomerField.allCases {
            guard let value = identifiers[field] else { continue }
            // A field the rules hash is sent only as a digest.
            if value.isHashed, !HexText.isSHA256(value.wireValue) { continue }
            userData[field.rawValue] = .string(value.wireValue)
        }
        return userData
    }

    private static func client(_ event: ConversionEvent, _ identifiers: PreparedIdentifiers) -> [String: JSONValue] {
        var client: [String: JSONValue] = [:]
        func text(_ data: PersonalData?) -> String? {
            guard let trimmed = data?.rawValue.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        if let ip = identifiers[client: .ipAddress]?.wireValue ?? text(event.client.ipAddress) { client["ip_address"] = .string(ip) }
        if let agent = identifiers[client: .userAgent]?.wireValue ?? text(event.client.userAgent) { client["user_agent"] = .string(agent) }
        if let landing = text(event.client.landingURL) { client["landing_url"] = .string(landing) }
        var clickIDs: [String: JSONValue] = [:]
        for kind in ClickIDKind.allCases {
            if let value = identifiers[client: .clickID(kind)]?.wireValue ?? text(event.client[clickID: kind]) {
                clickIDs[kind.rawValue] = .string(value)
            }
        }
        if !clickIDs.isEmpty { client["click_ids"] = .object(clickIDs) }
        return client
    }
}
