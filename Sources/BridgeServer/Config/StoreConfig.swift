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
public struct StoreConfig: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
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
    /// How long an ingest request waits for the store before it is answered
    /// `503` with `Retry-After` (default 5 s: Shopify gives up after 5).
    public var ingestWaitSeconds: Double = 5

    /// The sealing key (the ring's first), or `nil` when none is set. Setting
    /// it replaces the ring by that one key (id `default`), as `seal_key:` does.
    public var sealKey: String? {
        get { sealKeys.first?.base64Key }
        set {
            sealKeys = newValue.map { [SealKey(id: IdentifierSealer.defaultKeyID, base64Key: $0)] } ?? []
            sealKeysListed = false
        }
    }


    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        kind = reader.choice("kind", problems: &problems) ?? kind
        path = reader.string("path", problems: &problems) ?? path
        url = reader.string("url", problems: &problems)
        allowInsecure = reader.bool("allow_insecure", problems: &problems) ?? false
        let single = reader.text("seal_key", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        if let ring = KeyRingEntry.list("seal_keys", in: &reader, problems: &problems) {
            if single != nil { problems.append(ConfigProblem(reader.keyPath("seal_keys"), "set either seal_key or seal_keys, not both")) }
            sealKeysListed = true
            sealKeys = ring.map { SealKey(id: $0.id, base64Key: $0.key) }
        } else {
            sealKey = single
        }
        ephemeralSealKey = reader.bool("ephemeral_seal_key", problems: &problems) ?? false
        instanceID = reader.text("instance_id", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        leaseSeconds = reader.number("lease_seconds", problems: &problems) ?? leaseSeconds
        ingestWaitSeconds = reader.number("ingest_wait_seconds", problems: &problems) ?? ingestWaitSeconds
        reader.rejectUnknown(problems: &problems)
    }

    /// The lease policy of `lease_seconds` (validated by the config loader).
    public var leasePolicy: LeasePolicy { .lasting(.milliseconds(Int64(leaseSeconds * 1000))) }

    /// `ingestWaitSeconds` as a duration.
    public var ingestWait: Duration { .milliseconds(Int64(ingestWaitSeconds * 1000)) }

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
