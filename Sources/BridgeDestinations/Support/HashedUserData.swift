import BridgeCore

/// The `user_data` object Meta defined and Pinterest and Snap adopted: the
/// customer fields as lists of one 64-lowercase-hex SHA-256 digest (a value
/// that is not one is never sent under them; the phone is the digits with
/// country code, no `+`), then the browser fields in clear, then the
/// platform's own browser and click ids (`fbc`/`fbp`, `click_id`,
/// `sc_click_id`). Members absent when empty, in the platform's order.
struct HashedUserData: Encodable, Sendable {
    /// Where the date of birth goes: Meta's SDK writes `db` before `ge`,
    /// Pinterest's and Snap's documentation `ge` before `db`.
    enum Order: Sendable {
        case birthDateFirst
        case genderFirst
    }

    /// The customer fields and their wire names, in the platform's order.
    private static func customerFields(_ order: Order) -> [(field: CustomerField, key: String)] {
        let birthAndGender: [(field: CustomerField, key: String)] =
            order == .birthDateFirst ? [(.dateOfBirth, "db"), (.gender, "ge")] : [(.gender, "ge"), (.dateOfBirth, "db")]
        return [(.email, "em"), (.phone, "ph"), (.firstName, "fn"), (.lastName, "ln")] + birthAndGender + [
            (.city, "ct"), (.state, "st"), (.postalCode, "zp"), (.country, "country"), (.externalID, "external_id"),
        ]
    }

    /// The members in wire order: hashed customer fields, then clear browser fields.
    private(set) var members: [(key: String, value: Member)] = []

    /// A member's value.
    enum Member: Sendable {
        case digests([String])
        case clear(ClearText)
    }

    /// The customer fields' digests and the browser fields of `identifiers`,
    /// then `browserIDs` (wire name and value, absent ones left out).
    init(_ identifiers: PreparedIdentifiers, order: Order, browserIDs: [(key: String, value: ClearText?)]) {
        for (field, key) in Self.customerFields(order) {
            if let digest = identifiers.digest(field) { members.append((key, .digests([digest]))) }
        }
        let clear: [(key: String, value: ClearText?)] = [
            ("client_ip_address", identifiers.clearValue(client: .ipAddress).map { ClearText($0) }),
            ("client_user_agent", identifiers.clearValue(client: .userAgent).map { ClearText($0) }),
        ]
        for (key, value) in clear + browserIDs {
            if let value { members.append((key, .clear(value))) }
        }
    }

    /// The wire names present.
    var presentKeys: Set<String> { Set(members.map(\.key)) }

    var isEmpty: Bool { members.isEmpty }

    func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    /// An e-mail, or both IP address and user agent: what Pinterest requires
    /// at least (Snap takes a phone too).
    var hasEmailOrBrowser: Bool { has("em") || (has("client_ip_address") && has("client_user_agent")) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONTreeKey.self)
        for (key, value) in members {
            switch value {
            case .digests(let digests): try container.encode(digests, forKey: JSONTreeKey(key))
            case .clear(let text): try container.encode(text, forKey: JSONTreeKey(key))
            }
        }
    }
}
