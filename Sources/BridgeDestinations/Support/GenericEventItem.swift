import BridgeCore

/// The platform-neutral item the `webhook` and `sandbox` destinations send:
/// the canonical event with its identifiers already prepared (normalized and
/// hashed by the rules of `identifier_rules`), so any system can consume the
/// bridge's output. Encoded once, as sent.
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
///   value (`WireEncoding`), written as a clear value; dropped fields are absent.
/// - `value` is a decimal string with the currency's minor-unit digits, as
///   in the canonical payload; absent values, order ids and blocks are omitted.
/// - `client` holds what the browser context had, in clear: IP address and
///   user agent as prepared (Reddit rules hash the IP), the landing URL, and
///   every click id the event carried, not only those of the rules' platform.
///   Every `client` value is a clear value, the IP digest of Reddit rules
///   too (an IPv4 digest is reversed by trying every address).
struct GenericEventItem: DestinationItem, Equatable {
    let eventID: String
    let eventName: String
    /// RFC 3339 UTC.
    let eventTime: String
    /// The configured source name.
    let source: String
    let orderID: String?
    let value: String?
    /// ISO 4217, upper case; only with a value.
    let currency: String?
    let lineItems: [GenericLineItem]?
    /// The platform whose rules prepared `user_data` and `client`.
    let identifierRules: String
    let userData: GenericMembers?
    let client: GenericClient?
    let consent: GenericConsent
    /// The source's test flag.
    let test: Bool

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case eventName = "event_name"
        case eventTime = "event_time"
        case source
        case orderID = "order_id"
        case value, currency
        case lineItems = "line_items"
        case identifierRules = "identifier_rules"
        case userData = "user_data"
        case client, consent, test
    }

    /// The item for `event`, or `nil` when consent suppresses it.
    init?(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision) {
        if consent.isSuppressed { return nil }
        eventID = event.eventID
        eventName = event.eventName.rawValue
        eventTime = event.eventTime.rfc3339
        source = event.source
        orderID = event.orderID
        value = event.value?.formattedAmount
        currency = event.value?.currency.code
        lineItems = event.lineItems.isEmpty ? nil : event.lineItems.map(GenericLineItem.init)
        identifierRules = identifiers.platform.rawValue
        let userData = GenericMembers(userDataOf: identifiers)
        self.userData = userData.members.isEmpty ? nil : userData
        let client = GenericClient(event, identifiers)
        self.client = client.isEmpty ? nil : client
        self.consent = GenericConsent(consent)
        test = event.isTest
    }
}

/// One `line_items` entry.
struct GenericLineItem: Encodable, Sendable, Equatable {
    let id: String
    let name: String?
    let quantity: Int
    /// A decimal string with the price's own digits.
    let unitPrice: String?

    enum CodingKeys: String, CodingKey {
        case id, name, quantity
        case unitPrice = "unit_price"
    }

    init(_ line: LineItem) {
        id = line.id
        name = line.name
        quantity = line.quantity
        unitPrice = line.unitPrice.map { $0.formatted(fractionDigits: $0.scale) }
    }
}

/// `client`: the browser context, every value in clear.
struct GenericClient: Encodable, Sendable, Equatable {
    let ipAddress: ClearText?
    let userAgent: ClearText?
    let landingURL: ClearText?
    /// Canonical click id keys (`fbc`, `gclid`, …) in `ClickIDKind` order.
    let clickIDs: GenericMembers?

    enum CodingKeys: String, CodingKey {
        case ipAddress = "ip_address"
        case userAgent = "user_agent"
        case landingURL = "landing_url"
        case clickIDs = "click_ids"
    }

    /// The prepared value of each field, else the event's own trimmed text.
    init(_ event: ConversionEvent, _ identifiers: PreparedIdentifiers) {
        func text(_ data: PersonalData?) -> String? {
            guard let trimmed = data?.rawValue.trimmingWhitespace(), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        func clear(_ field: ClientField, _ data: PersonalData?) -> ClearText? {
            (identifiers[client: field]?.wireValue ?? text(data)).map { ClearText($0) }
        }
        ipAddress = clear(.ipAddress, event.client.ipAddress)
        userAgent = clear(.userAgent, event.client.userAgent)
        landingURL = text(event.client.landingURL).map { ClearText($0) }
        let clickIDs = GenericMembers(
            members: ClickIDKind.allCases.compactMap { kind in
                (identifiers[client: .clickID(kind)]?.wireValue ?? text(event.client[clickID: kind])).map {
                    GenericMembers.Member(name: kind.rawValue, value: $0, isClear: true)
                }
            })
        self.clickIDs = clickIDs.members.isEmpty ? nil : clickIDs
    }

    var isEmpty: Bool { ipAddress == nil && userAgent == nil && landingURL == nil && clickIDs == nil }
}

/// `consent`: the decision the bridge made for this destination.
struct GenericConsent: Encodable, Sendable, Equatable {
    let action: String
    let reason: String
    let restrictedProcessing: Bool
    let attributionOnly: Bool

    enum CodingKeys: String, CodingKey {
        case action, reason
        case restrictedProcessing = "restricted_processing"
        case attributionOnly = "attribution_only"
    }

    init(_ decision: ConsentDecision) {
        action = decision.action.rawValue
        reason = decision.reason.rawValue
        restrictedProcessing = decision.limitedDataUse.restrictedProcessing
        attributionOnly = decision.limitedDataUse.attributionOnly
    }
}

/// An object whose member names are canonical keys (`email`, `fbc`, …), in
/// a fixed order, each value a string or a clear value.
struct GenericMembers: Encodable, Sendable, Equatable {
    struct Member: Sendable, Equatable {
        let name: String
        let value: String
        /// Written as `ClearText` (digested in the audit log).
        let isClear: Bool
    }

    let members: [Member]

    init(members: [Member]) { self.members = members }

    /// `user_data`: each prepared customer field in `CustomerField` order;
    /// a field the rules hash only as a digest, a clear one as a clear value.
    init(userDataOf identifiers: PreparedIdentifiers) {
        members = CustomerField.allCases.compactMap { field in
            guard let value = identifiers[field] else { return nil }
            if value.isHashed, !HexText.isSHA256(value.wireValue) { return nil }
            return Member(name: field.rawValue, value: value.wireValue, isClear: !value.isHashed)
        }
    }


    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONTreeKey.self)
        for member in members {
            if member.isClear {
                try container.encode(ClearText(member.value), forKey: JSONTreeKey(member.name))
            } else {
                try container.encode(member.value, forKey: JSONTreeKey(member.name))
            }
        }
    }
}
