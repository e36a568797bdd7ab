import BridgeCore
import BridgeStore

/// `store:` — where the outbox lives and how identifiers are sealed.
///
/// ```yaml
/// store:
///   seal_keys:                        # the first seals; every key opens
///     - {id: "2026-05", key: "${CAPI_SEAL_KEY}"}
///     - {id: default, key: "${CAPI_SEAL_KEY_PREVIOUS:-}"}   # empty: ignored
/// ```
///
/// `seal_key: K` is shorthand for `seal_keys: [{id: default, key: K}]`.
public struct StoreConfig: Sendable, Decodable {
    public enum Kind: String, Sendable, Decodable, CaseIterable {
        case sqlite
        case postgres
    }

    public var kind = Kind.sqlite
    /// SQLite file (relative paths are relative to the working directory).
    public var path = "data/bridge.sqlite"
    /// PostgreSQL connection URL.
    public var url: String?
    /// PostgreSQL to a host that is not loopback without verified TLS
    /// (`sslmode=disable` or `prefer`): an explicit, logged opt-in.
    public var allowInsecure = false
    /// The seal key ring (AES-GCM keys for raw identifiers), the sealing key
    /// first. Entries after the first whose key is empty are left out.
    public var sealKeys: [SealKey] = []
    /// True when the ring came from `seal_keys:` (problems name its entries).
    var sealKeysListed = false
    /// Explicit opt-in to a random per-process key when no seal key is set:
    /// for development only, loudly logged.
    public var ephemeralSealKey = false
    /// This instance's stable name on a shared PostgreSQL database (a pod or
    /// host name that survives restarts): a restarted instance releases the
    /// leases its previous incarnation held at once instead of waiting for
    /// them to run out. Unset: leases are released by expiry only. (An SQLite
    /// store has one `serve` process, which releases every lease at start.)
    public var instanceID: String?
    /// How long a claim lasts without renewal (default 15 s; busy workers renew it).
    public var leaseSeconds: Double = 15

    /// The sealing key (the ring's first), or `nil` when none is set. Setting
    /// it replaces the ring by that one key (id `default`), as `seal_key:` does.
    public var sealKey: String? {
        get { sealKeys.first?.base64Key }
        set {
            sealKeys = newValue.map { [SealKey(id: IdentifierSealer.defaultKeyID, base64Key: $0)] } ?? []
            sealKeysListed = false
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, path, url
        case allowInsecure = "allow_insecure"
        case sealKey = "seal_key"
        case sealKeys = "seal_keys"
        case ephemeralSealKey = "ephemeral_seal_key"
        case instanceID = "instance_id"
        case leaseSeconds = "lease_seconds"
    }

    /// One `seal_keys` entry as written.
    struct SealKeyEntry: Decodable {
        let id: String
        let key: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, key
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            key = try c.decode(String.self, forKey: .key)
        }
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? kind
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
        url = try c.decodeIfPresent(String.self, forKey: .url)
        allowInsecure = try c.decodeIfPresent(Bool.self, forKey: .allowInsecure) ?? false
        let single = try c.decodeIfPresent(String.self, forKey: .sealKey).flatMap { $0.isEmpty ? nil : $0 }
        let ring = try c.decodeIfPresent([SealKeyEntry].self, forKey: .sealKeys)
        if let ring {
            guard single == nil else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: c.codingPath + [CodingKeys.sealKeys], debugDescription: "set either seal_key or seal_keys, not both"))
            }
            // The first entry seals: it must be set (an empty one is reported
            // by validation); later empty entries are placeholders.
            sealKeysListed = true
            sealKeys = ring.enumerated().compactMap { index, entry in
                index > 0 && entry.key.isEmpty ? nil : SealKey(id: entry.id, base64Key: entry.key)
            }
        } else {
            sealKey = single
        }
        ephemeralSealKey = try c.decodeIfPresent(Bool.self, forKey: .ephemeralSealKey) ?? false
        instanceID = try c.decodeIfPresent(String.self, forKey: .instanceID).flatMap { $0.isEmpty ? nil : $0 }
        leaseSeconds = try c.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? leaseSeconds
    }

    /// The lease policy of `lease_seconds` (validated by the config loader).
    public var leasePolicy: LeasePolicy { .lasting(.milliseconds(Int64(leaseSeconds * 1000))) }

    /// Problems of the PostgreSQL URL (parameters, TLS to a host that is
    /// not loopback), never quoting the password.
    public func connectionProblems() -> [ConfigProblem] {
        guard kind == .postgres, let url else { return [] }
        do {
            _ = try PostgresStore.Configuration(url: url, allowInsecure: allowInsecure)
            return []
        } catch {
            return [ConfigProblem("store.url", error.detail)]
        }
    }

    /// The ring's problems (ids, duplicates, keys), at their key paths; never
    /// quotes a key.
    public func sealKeyProblems() -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        guard !sealKeys.isEmpty else {
            if !ephemeralSealKey {
                problems.append(
                    ConfigProblem(
                        "store.seal_key",
                        "required: set it (e.g. seal_key: ${CAPI_SEAL_KEY}, generate with capi-bridge keys generate or openssl rand -base64 32), or set store.ephemeral_seal_key: true for development"
                    ))
            }
            return problems
        }
        let isShorthand = !sealKeysListed
        var ids = Set<String>()
        for (index, key) in sealKeys.enumerated() {
            let path = isShorthand ? "store.seal_key" : "store.seal_keys[\(index)]"
            if !SealKey.isValidID(key.id) {
                problems.append(ConfigProblem(path + ".id", SealKey.idRule))
            } else if !ids.insert(key.id).inserted {
                problems.append(ConfigProblem(path + ".id", "duplicate key id '\(key.id)'"))
            }
            if key.base64Key.isEmpty {
                problems.append(ConfigProblem(isShorthand ? path : path + ".key", "the first key seals: it must be set"))
            } else if (try? IdentifierSealer(keys: [SealKey(id: "check", base64Key: key.base64Key)])) == nil {
                problems.append(
                    ConfigProblem(
                        isShorthand ? path : path + ".key",
                        "must be base64 of 32 bytes (generate one with: capi-bridge keys generate, or openssl rand -base64 32)"))
            }
        }
        return problems
    }
}
