/// The identifiers erasure can find a person by (email, phone, external id),
/// normalized the same way at ingest and at erasure, then digested with the
/// sealer's index key.
public enum ErasureKeys {
    /// One lookup key.
    public struct Key: Sendable, Hashable {
        /// `email`, `phone` or `external_id`.
        public let kind: String
        /// Keyed digest of the normalized value.
        public let digest: String
    }

    /// The fields indexed for erasure.
    public static let fields: [CustomerField] = [.email, .phone, .externalID]

    /// The keys of an event's identifiers; empty when it has none.
    public static func keys(for customer: CustomerIdentifiers, sealer: IdentifierSealer) -> [Key] {
        let region = IdentifierPreparer.region(customer: customer, defaultRegion: nil)
        return fields.compactMap { field in
            guard let raw = customer[field]?.rawValue else { return nil }
            return key(field, raw, region: region, sealer: sealer)
        }
    }

    /// The key of one identifier given at erasure (`--email`, `--phone` with
    /// its country, `--external-id`); `nil` when it does not normalize.
    public static func key(_ field: CustomerField, _ raw: String, region: String?, sealer: IdentifierSealer) -> Key? {
        guard case .value(let normalized) = IdentifierNormalizer.normalize(field, raw, for: .meta, region: region) else {
            return nil
        }
        return Key(kind: field.rawValue, digest: sealer.indexDigest(kind: field.rawValue, normalized: normalized))
    }
}
