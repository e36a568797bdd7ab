/// Which enrichment provider added which identifiers to one delivery, in the
/// compact text form stored with the delivery (`deliveries.enriched_by`):
/// `name=mask` pairs sorted by provider name, joined by `;`
/// (`clickids=16384;graph=2`), where `mask` is an `IdentifierSet` mask.
/// Provider names are configuration names (letters, digits, `-`, `_`), so
/// neither separator can occur in them.
public enum EnrichmentAttribution {
    /// The stored form, or `nil` when nothing was added.
    public static func encode(_ byProvider: [String: IdentifierSet]) -> String? {
        let parts = byProvider.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.mask)" }
        return parts.isEmpty ? nil : parts.joined(separator: ";")
    }

    /// Reads the stored form back; malformed parts are skipped.
    public static func decode(_ text: String) -> [String: IdentifierSet] {
        var result: [String: IdentifierSet] = [:]
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "="), let mask = Int64(part[part.index(after: equals)...]) else { continue }
            let name = String(part[..<equals])
            guard !name.isEmpty else { continue }
            result[name] = IdentifierSet(mask: mask)
        }
        return result
    }
}
