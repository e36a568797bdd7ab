/// The identifiers erasure can find a person by (email, phone, external id),
/// normalized the same way at ingest and at erasure, then digested with an
/// index key derived from a seal key.
///
/// An event's keys are computed under the ring's current key when it is
/// stored (and again under the new key when `keys rotate` re-seals it);
/// erasure looks a person up under every key of the ring, so events indexed
/// before a rotation are found too.
public enum ErasureKeys {
    /// One lookup key.
    public struct Key: Sendable, Hashable {
        /// `email`, `phone` or `external_id`.
        public let kind: String
        /// Keyed digest of the normalized value.
        public let digest: String
        /// The seal key whose index key made `digest`; `nil` for keys stored
        /// before key rings, whose words carry no id.
        public let keyID: String?

        public init(kind: String, digest: String, keyID: String?) {
            self.kind = kind
            self.digest = digest
            self.keyID = keyID
        }
    }

    /// The fields indexed for erasure.
    public static let fields: [CustomerField] = [.email, .phone, .externalID]

    /// The keys of an event's identifiers under the current key; empty when it has none.
    public static func keys(for customer: CustomerIdentifiers, sealer: IdentifierSealer) -> [Key] {
        let region = IdentifierPreparer.region(customer: customer, defaultRegion: nil)
        return fields.compactMap { field in
            guard let raw = customer[field]?.rawValue else { return nil }
            return key(field, raw, region: region, sealer: sealer)
        }
    }

    /// The key of one identifier given at erasure (`--email`, `--phone` with
    /// its country, `--external-id`) under the current key, as the audit
    /// entry records it; `nil` when it does not normalize.
    public static func key(_ field: CustomerField, _ raw: String, region: String?, sealer: IdentifierSealer) -> Key? {
        guard let normalized = normalized(field, raw, region: region) else { return nil }
        return Key(kind: field.rawValue, digest: sealer.indexDigest(kind: field.rawValue, normalized: normalized), keyID: sealer.currentKeyID)
    }

    /// The keys to look one identifier up by: its digest under every key of
    /// the ring, the current key's first; empty when it does not normalize.
    public static func lookupKeys(_ field: CustomerField, _ raw: String, region: String?, sealer: IdentifierSealer) -> [Key] {
        guard let normalized = normalized(field, raw, region: region) else { return [] }
        return sealer.indexDigests(kind: field.rawValue, normalized: normalized).map {
            Key(kind: field.rawValue, digest: $0.digest, keyID: $0.keyID)
        }
    }

    private static func normalized(_ field: CustomerField, _ raw: String, region: String?) -> String? {
        guard case .value(let normalized) = IdentifierNormalizer.normalize(field, raw, for: .meta, region: region) else { return nil }
        return normalized
    }
}
