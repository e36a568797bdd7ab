import BridgeCore
import BridgePipeline
import BridgeStore

/// Erases everything the bridge holds for one person: events, deliveries
/// (unsent and sent) and index entries found by the person's email, phone or
/// external id, then appends an erasure entry (keyed digests only) to the
/// audit chain. The audit log's own digests cannot be reversed and stay.
public struct ErasureService: Sendable {
    let store: any StoreBackend
    let sealer: IdentifierSealer
    let audit: AuditLog?
    let now: @Sendable () -> Timestamp

    public init(store: any StoreBackend, sealer: IdentifierSealer, audit: AuditLog?, now: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.sealer = sealer
        self.audit = audit
        self.now = now
    }

    /// Who to erase.
    public struct Subject: Sendable {
        public var email: String?
        public var phone: String?
        public var externalID: String?
        /// The country of the phone number when it has no `+` prefix.
        public var country: String?

        public init(email: String? = nil, phone: String? = nil, externalID: String? = nil, country: String? = nil) {
            self.email = email
            self.phone = phone
            self.externalID = externalID
            self.country = country
        }
    }

    /// Why an erasure could not run. Never echoes the identifiers.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case noIdentifier
        case invalid(field: String)
        case store(StoreError)

        public var description: String {
            switch self {
            case .noIdentifier: return "give at least one of email, phone, external id"
            case .invalid(let field): return "the \(field) given is not valid after normalization"
            case .store(let error): return error.description
            }
        }
    }

    /// What was removed.
    public struct Report: Sendable, Equatable {
        public var result: ErasureResult
        public var keys: [ErasureKeys.Key]
        /// Identity-graph entries removed (digests of the person's identifiers).
        public var identityGraphEntries: Int
    }

    /// Erases `subject`: looks the events up by the digests of its
    /// identifiers under every key of the seal key ring (events stored before
    /// a rotation are found too); the audit entry records the current key's.
    public func erase(_ subject: Subject) async throws(Failure) -> Report {
        var keys: [ErasureKeys.Key] = []
        var lookups: [ErasureKeys.Key] = []
        var graphDigests: [String] = []
        let given: [(CustomerField, String?)] = [(.email, subject.email), (.phone, subject.phone), (.externalID, subject.externalID)]
        for (field, value) in given {
            guard let value, !value.trimmingWhitespace().isEmpty else { continue }
            guard let key = ErasureKeys.key(field, value, region: subject.country, sealer: sealer) else {
                throw .invalid(field: field.rawValue)
            }
            keys.append(key)
            lookups += ErasureKeys.lookupKeys(field, value, region: subject.country, sealer: sealer)
            if let digest = IdentityDigests.linkDigest(field, raw: value, region: subject.country) { graphDigests.append(digest) }
        }
        guard !keys.isEmpty else { throw .noIdentifier }
        let result: ErasureResult
        var graphEntries = 0
        do {
            result = try await store.erase(keys: lookups)
            if !graphDigests.isEmpty {
                graphEntries = try await store.eraseIdentityGraph(digests: graphDigests)
            }
        } catch {
            throw .store(error)
        }
        let at = now()
        try? await audit?.note(
            kind: "erasure", destination: "*", batchID: "erasure-\(at.millisecondsSinceEpoch)", eventIDs: result.eventIDs,
            details: [
                "keys": .array(
                    keys.map { key in
                        var entry: [String: JSONValue] = ["kind": .string(key.kind), "digest": .string("hmac-sha256:" + key.digest)]
                        if let keyID = key.keyID { entry["seal_key_id"] = .string(keyID) }
                        return .object(entry)
                    }),
                "removed": .object([
                    "events": .number(String(result.eventIDs.count)), "unsent_deliveries": .number(String(result.unsentDeliveries)),
                    "sent_deliveries": .number(String(result.sentDeliveries)),
                    "identity_graph_entries": .number(String(graphEntries)),
                ]),
            ],
            at: at)
        return Report(result: result, keys: keys, identityGraphEntries: graphEntries)
    }
}
