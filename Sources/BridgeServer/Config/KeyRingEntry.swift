import BridgeCore

/// One entry of a key ring as written (`seal_keys`, `digest_keys`):
/// `{id: "2026-05", key: "${CAPI_SEAL_KEY}"}`. The first entry is the one
/// in use and must be set (an empty one is reported by validation); later
/// entries with an empty key are placeholders (`${PREVIOUS:-}`) and left out.
struct KeyRingEntry: Equatable {
    let id: String
    let key: String

    /// The entries of the ring under `key`, empty placeholders after the first
    /// left out; `nil` when the key is absent or not a list (a problem then).
    /// An entry without `id` or `key` is a problem.
    static func list(_ key: String, in reader: inout ConfigReader, problems: inout [ConfigProblem]) -> [KeyRingEntry]? {
        guard let entries = reader.entries(key, problems: &problems) else { return nil }
        var ring: [KeyRingEntry] = []
        for (index, entry) in entries.enumerated() {
            var entry = entry
            // Empty values are read: validation names what is wrong with them.
            let id = entry.text("id", problems: &problems)
            let secret = entry.text("key", problems: &problems)
            for name in ["id", "key"] where !entry.contains(name) {
                problems.append(ConfigProblem(entry.keyPath(name), "required key is missing"))
            }
            entry.rejectUnknown(problems: &problems)
            // Missing values read as empty (validation names them at the same path).
            if index > 0 && (secret ?? "").isEmpty { continue }
            ring.append(KeyRingEntry(id: id ?? "", key: secret ?? ""))
        }
        return ring
    }
}
