/// One hashed identifier that links events of the same person in the
/// identity graph: an e-mail address, phone number or external id (SHA-256
/// of the Meta-normalized value — the digests erasure is given), or a click
/// id or browser id (SHA-256 of the trimmed value).
public struct IdentityLinkKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `email`, `phone`, `external_id`, or a click id's canonical name (`fbc`, `gclid`, …).
    public let kind: String
    /// Lowercase hex SHA-256.
    public let digest: String

    public init(kind: String, digest: String) {
        self.kind = kind
        self.digest = digest
    }

    /// Lower is stronger: which key decides the person when the keys of one
    /// event point at different people (external id, e-mail, phone, then
    /// click and browser ids).
    public var strength: Int {
        switch kind {
        case "external_id": 0
        case "email": 1
        case "phone": 2
        default: 3
        }
    }

    /// Whether this kind may merge two people into one. Click and browser ids
    /// only attach to a person: a shared device or a forwarded ad link must
    /// not fuse two customers.
    public var mayMerge: Bool { strength < 3 }

    public static func < (lhs: IdentityLinkKey, rhs: IdentityLinkKey) -> Bool {
        (lhs.strength, lhs.kind, lhs.digest) < (rhs.strength, rhs.kind, rhs.digest)
    }

    /// Redacted: a digest of an identifier is still personal data.
    public var description: String { "\(kind)(<digest>)" }
}

/// One customer field of a person as one platform hashes it, for filling
/// that field on a later event: `kind` is `<field>@<platform>`
/// (`email@meta`, `phone@tiktok`), `digest` the lowercase hex SHA-256 the
/// platform receives.
public struct IdentityAttribute: Sendable, Hashable, CustomStringConvertible {
    public let kind: String
    public let digest: String

    public init(kind: String, digest: String) {
        self.kind = kind
        self.digest = digest
    }

    public init(field: CustomerField, platform: Platform, digest: String) {
        self.init(kind: IdentityAttribute.kind(field, platform), digest: digest)
    }

    /// `<field>@<platform>`.
    public static func kind(_ field: CustomerField, _ platform: Platform) -> String { "\(field.rawValue)@\(platform.rawValue)" }

    /// Redacted.
    public var description: String { "\(kind)(<digest>)" }
}

/// What one event taught the identity graph: the keys it carried together
/// and its customer fields hashed per platform. Only digests: never a raw
/// value.
public struct IdentityObservation: Sendable, Equatable {
    public var keys: [IdentityLinkKey]
    public var attributes: [IdentityAttribute]
    /// The event's time; a later observation's attributes replace older ones.
    public var seenAt: Timestamp

    public init(keys: [IdentityLinkKey], attributes: [IdentityAttribute], seenAt: Timestamp) {
        self.keys = keys
        self.attributes = attributes
        self.seenAt = seenAt
    }
}

/// What the identity graph knows of the person an event's keys point at.
public struct IdentityProfile: Sendable, Equatable {
    /// The graph's internal person number (no meaning outside the graph).
    public let person: Int64
    /// `<field>@<platform>` → digest.
    public let attributes: [String: String]

    public init(person: Int64, attributes: [String: String]) {
        self.person = person
        self.attributes = attributes
    }
}

/// Computes the digests the identity graph stores, from an event's raw
/// identifiers. Pure.
public enum IdentityDigests {
    /// Customer fields that link people (and that erasure is given).
    public static let linkFields: [CustomerField] = [.externalID, .email, .phone]

    /// The digest of one identifier as the graph and the erasure API use it:
    /// Meta's normalization (`IdentifierNormalizer.normalize(_:_:for: .meta,
    /// region:)`), then `IdentifierHasher.sha256Hex`. `nil` when the value does
    /// not normalize (a phone without a country code and no region).
    public static func linkDigest(_ field: CustomerField, raw: String, region: String?) -> String? {
        guard let normalized = IdentifierNormalizer.normalize(field, raw, for: .meta, region: region).value else { return nil }
        return IdentifierHasher.sha256Hex(normalized)
    }

    /// The link keys of an event: external id, e-mail and phone (Meta
    /// digests) and every click or browser id (SHA-256 of the trimmed value),
    /// strongest first.
    public static func linkKeys(customer: CustomerIdentifiers, client: ClientContext, region: String?) -> [IdentityLinkKey] {
        var keys: [IdentityLinkKey] = []
        for field in linkFields {
            guard let raw = customer[field]?.rawValue, let digest = linkDigest(field, raw: raw, region: region) else { continue }
            keys.append(IdentityLinkKey(kind: field.rawValue, digest: digest))
        }
        for kind in ClickIDKind.allCases {
            guard let raw = client[clickID: kind]?.rawValue else { continue }
            let trimmed = raw.trimmingWhitespace()
            guard !trimmed.isEmpty else { continue }
            keys.append(IdentityLinkKey(kind: kind.rawValue, digest: IdentifierHasher.sha256Hex(trimmed)))
        }
        return keys.sorted()
    }

    /// Each customer field as each of `platforms` hashes it (fields a
    /// platform takes in clear or not at all are left out: the graph can
    /// only give back digests).
    public static func attributes(customer: CustomerIdentifiers, region: String?, platforms: [Platform]) -> [IdentityAttribute] {
        var attributes: [IdentityAttribute] = []
        for field in CustomerField.allCases {
            guard let raw = customer[field]?.rawValue else { continue }
            for platform in platforms where platform.encoding(for: field) == .sha256 {
                guard let prepared = IdentifierPreparer.prepare(field, raw, for: platform, region: region).value, prepared.isHashed else {
                    continue
                }
                attributes.append(IdentityAttribute(field: field, platform: platform, digest: prepared.wireValue))
            }
        }
        return attributes
    }

    /// What `event` teaches the graph, or `nil` when it carries no link key
    /// (nothing could ever find its attributes again).
    /// - Parameters:
    ///   - defaultRegion: the region for phone numbers when the event has no country.
    ///   - platforms: the configured destinations' platforms.
    public static func observation(of event: ConversionEvent, defaultRegion: String?, platforms: [Platform]) -> IdentityObservation? {
        let region = IdentifierPreparer.region(customer: event.customer, defaultRegion: defaultRegion)
        let keys = linkKeys(customer: event.customer, client: event.client, region: region)
        guard !keys.isEmpty else { return nil }
        return IdentityObservation(
            keys: keys, attributes: attributes(customer: event.customer, region: region, platforms: platforms), seenAt: event.eventTime)
    }
}
