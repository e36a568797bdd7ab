import BridgeCore
import Crypto

/// `audit:` — the tamper-evident log of what was sent.
///
/// ```yaml
/// audit:
///   dir: data/audit
///   digest_keys:                      # the first digests; each entry records its id
///     - {id: "2026-05", key: "${CAPI_AUDIT_KEY}"}
///     - {id: default, key: "${CAPI_AUDIT_KEY_PREVIOUS:-}"}   # empty: ignored
/// ```
///
/// `digest_key: K` is shorthand for `digest_keys: [{id: default, key: K}]`.
public struct AuditConfig: Sendable {
    /// One HMAC key for the digests that replace clear fields, with its id.
    public struct DigestKey: Sendable, Equatable, CustomStringConvertible {
        /// Recorded in every audit entry digested with this key (`digest_key_id`).
        public var id: String
        /// Any non-empty text; its UTF-8 bytes are the HMAC key.
        public var key: String

        public init(id: String, key: String) {
            self.id = id
            self.key = key
        }

        /// Names the key by id; never prints the key.
        public var description: String { "DigestKey(\(id), <redacted>)" }
    }

    public var dir = "data/audit"
    /// The digest key ring, the digesting key first; the others let an
    /// auditor check digests in older files (`capi-bridge keys digest`).
    public var digestKeys: [DigestKey] = []
    /// True when the ring came from `digest_keys:` (problems name its entries).
    var digestKeysListed = false

    /// The digesting key (the ring's first), or `nil` when none is set.
    /// Setting it replaces the ring by that one key (id `default`).
    public var digestKey: String? {
        get { digestKeys.first?.key }
        set {
            digestKeys = newValue.map { [DigestKey(id: IdentifierSealer.defaultKeyID, key: $0)] } ?? []
            digestKeysListed = false
        }
    }


    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        dir = reader.string("dir", problems: &problems) ?? dir
        let single = reader.text("digest_key", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        if let ring = KeyRingEntry.list("digest_keys", in: &reader, problems: &problems) {
            if single != nil { problems.append(ConfigProblem(reader.keyPath("digest_keys"), "set either digest_key or digest_keys, not both")) }
            digestKeysListed = true
            digestKeys = ring.map { DigestKey(id: $0.id, key: $0.key) }
        } else {
            digestKey = single
        }
        reader.rejectUnknown(problems: &problems)
    }

    /// The id recorded when no key is configured and a random per-process
    /// key digests (no digest can be checked afterwards).
    public static let ephemeralKeyID = "ephemeral"

    /// The digesting key (the ring's first) and its id; `nil` when none is configured.
    public func digestingKey() -> (id: String, key: SymmetricKey)? {
        digestKeys.first.map { ($0.id, SymmetricKey(data: Array($0.key.utf8))) }
    }

    /// The ring's problems (ids, duplicates, an empty first key), at their
    /// key paths; never quotes a key.
    public func digestKeyProblems() -> [ConfigProblem] {
        guard digestKeysListed else { return [] }
        var problems: [ConfigProblem] = []
        var ids = Set<String>()
        if digestKeys.isEmpty { problems.append(ConfigProblem("audit.digest_keys", "list at least one key, or leave digest_keys out")) }
        for (index, key) in digestKeys.enumerated() {
            let path = "audit.digest_keys[\(index)]"
            if !SealKey.isValidID(key.id) {
                problems.append(ConfigProblem(path + ".id", SealKey.idRule))
            } else if !ids.insert(key.id).inserted {
                problems.append(ConfigProblem(path + ".id", "duplicate key id '\(key.id)'"))
            }
            if key.key.isEmpty { problems.append(ConfigProblem(path + ".key", "the first key digests: it must be set")) }
        }
        return problems
    }
}
