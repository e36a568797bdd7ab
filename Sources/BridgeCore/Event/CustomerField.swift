/// The customer identifiers a conversion event can carry. Raw values are the
/// canonical `customer` block's keys.
public enum CustomerField: String, Sendable, CaseIterable, Codable, Hashable {
    case email
    case phone
    case firstName = "first_name"
    case lastName = "last_name"
    case city
    case state
    case postalCode = "postal_code"
    case country
    case dateOfBirth = "date_of_birth"
    case gender
    case externalID = "external_id"
}

/// The click ids a conversion event can carry. Raw values are the canonical
/// `client.click_ids` keys.
public enum ClickIDKind: String, Sendable, CaseIterable, Codable, Hashable {
    case fbclid
    case fbc
    case fbp
    case gclid
    case gbraid
    case wbraid
    case ttclid
    case sccid
    case epik
    case liFatID = "li_fat_id"
    case rdtCID = "rdt_cid"
}
