/// Every identifier a delivery can carry, customer and browser alike, with a
/// stable bit position so that deliveries record which ones they carried as
/// one integer (reports aggregate over millions of rows with bit arithmetic).
/// Never reorder: positions are stored.
public enum IdentifierKey: Int, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case email = 0
    case phone = 1
    case firstName = 2
    case lastName = 3
    case city = 4
    case state = 5
    case postalCode = 6
    case country = 7
    case dateOfBirth = 8
    case gender = 9
    case externalID = 10
    case ipAddress = 11
    case userAgent = 12
    case fbclid = 13
    case fbc = 14
    case fbp = 15
    case gclid = 16
    case gbraid = 17
    case wbraid = 18
    case ttclid = 19
    case sccid = 20
    case epik = 21
    case liFatID = 22
    case rdtCID = 23

    /// The key of a customer field.
    public init(_ field: CustomerField) {
        switch field {
        case .email: self = .email
        case .phone: self = .phone
        case .firstName: self = .firstName
        case .lastName: self = .lastName
        case .city: self = .city
        case .state: self = .state
        case .postalCode: self = .postalCode
        case .country: self = .country
        case .dateOfBirth: self = .dateOfBirth
        case .gender: self = .gender
        case .externalID: self = .externalID
        }
    }

    /// The key of a click id.
    public init(_ kind: ClickIDKind) {
        switch kind {
        case .fbclid: self = .fbclid
        case .fbc: self = .fbc
        case .fbp: self = .fbp
        case .gclid: self = .gclid
        case .gbraid: self = .gbraid
        case .wbraid: self = .wbraid
        case .ttclid: self = .ttclid
        case .sccid: self = .sccid
        case .epik: self = .epik
        case .liFatID: self = .liFatID
        case .rdtCID: self = .rdtCID
        }
    }

    /// The canonical name (`email`, `ip_address`, `fbc`, …).
    public var description: String {
        switch self {
        case .email: "email"
        case .phone: "phone"
        case .firstName: "first_name"
        case .lastName: "last_name"
        case .city: "city"
        case .state: "state"
        case .postalCode: "postal_code"
        case .country: "country"
        case .dateOfBirth: "date_of_birth"
        case .gender: "gender"
        case .externalID: "external_id"
        case .ipAddress: "ip_address"
        case .userAgent: "user_agent"
        case .fbclid: "fbclid"
        case .fbc: "fbc"
        case .fbp: "fbp"
        case .gclid: "gclid"
        case .gbraid: "gbraid"
        case .wbraid: "wbraid"
        case .ttclid: "ttclid"
        case .sccid: "sccid"
        case .epik: "epik"
        case .liFatID: "li_fat_id"
        case .rdtCID: "rdt_cid"
        }
    }

    /// This key's bit.
    public var bit: Int64 { 1 << Int64(rawValue) }
}

/// A set of identifier keys as a bit mask.
public struct IdentifierSet: Sendable, Hashable, Sequence {
    public var mask: Int64

    public init(mask: Int64 = 0) { self.mask = mask }

    public init(_ keys: some Sequence<IdentifierKey>) {
        mask = keys.reduce(0) { $0 | $1.bit }
    }

    public func contains(_ key: IdentifierKey) -> Bool { mask & key.bit != 0 }

    public mutating func insert(_ key: IdentifierKey) { mask |= key.bit }

    public func makeIterator() -> some IteratorProtocol<IdentifierKey> {
        IdentifierKey.allCases.filter { mask & $0.bit != 0 }.makeIterator()
    }

    public var isEmpty: Bool { mask == 0 }
}
