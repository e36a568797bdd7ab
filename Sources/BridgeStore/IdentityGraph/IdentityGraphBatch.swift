import BridgeCore

/// The identity graph's learning rules (`SQLiteStore.learn(_:in:)`, step for
/// step) applied to an in-memory copy of the part of the graph a batch of
/// observations touches, so that a store can load that part in one go, learn
/// every observation, and write the outcome back in a few set-based
/// statements instead of several round trips per observation. Pure.
///
/// Requires a complete snapshot: the person of every stored key the batch
/// carries, how many keys each of those people holds, and all their
/// attributes — and that nobody else writes the graph until the outcome is
/// written (the PostgreSQL store holds the graph's lock).
///
/// People created by the batch get temporary negative numbers until the
/// store allocates real ones (`newPeople`, in creation order). Among people,
/// "in order" means stored people by number, then new ones by creation —
/// the order of their numbers in both stores, where a new person's number is
/// always above every existing one.
struct IdentityGraphBatch {
    struct Attribute: Equatable {
        var digest: String
        var seenAtMS: Int64
    }

    /// The current person of every key of the batch that is stored or was attached.
    private(set) var personOfKey: [IdentityLinkKey: Int64]
    /// Keys per person (stored count, plus merges and attachments).
    private var sizes: [Int64: Int]
    private var attributes: [Int64: [String: Attribute]]
    /// Keys attached by the batch.
    private(set) var attachedKeys = Set<IdentityLinkKey>()
    /// Per key attached or touched: the latest time it was seen in the batch.
    private(set) var keySeenAtMS: [IdentityLinkKey: Int64] = [:]
    /// Person → the person it was merged into.
    private(set) var mergedInto: [Int64: Int64] = [:]
    /// People whose attributes changed (or who were merged away).
    private(set) var changedAttributes = Set<Int64>()
    /// People created by the batch, in creation order (temporary numbers).
    private(set) var newPeople: [Int64] = []

    /// - Parameters:
    ///   - storedKeys: the person of each stored key the batch carries.
    ///   - sizes: how many keys each of those people holds.
    ///   - attributes: every attribute of those people.
    init(storedKeys: [IdentityLinkKey: Int64], sizes: [Int64: Int], attributes: [Int64: [String: Attribute]]) {
        self.personOfKey = storedKeys
        self.sizes = sizes
        self.attributes = attributes
    }

    /// People in the order both stores number them: stored ones first (by
    /// number), then new ones (by creation).
    static func precedes(_ lhs: Int64, _ rhs: Int64) -> Bool {
        switch (lhs > 0, rhs > 0) {
        case (true, true): lhs < rhs
        case (false, false): lhs > rhs
        case (let left, _): left
        }
    }

    /// The person `person` ended up in after the batch's merges.
    func finalPerson(_ person: Int64) -> Int64 {
        var current = person
        while let next = mergedInto[current] { current = next }
        return current
    }

    /// The attributes `person` holds now.
    func attributes(of person: Int64) -> [String: Attribute] { attributes[person] ?? [:] }

    /// Whether `person` holds any key now.
    func holdsKeys(_ person: Int64) -> Bool { (sizes[person] ?? 0) > 0 }

    /// Learns one observation; see `SQLiteStore.learn(_:in:)` for the rules.
    mutating func learn(_ observation: IdentityObservation) {
        let keys = observation.keys.sorted()
        guard !keys.isEmpty else { return }
        let seen = observation.seenAt.millisecondsSinceEpoch
        let limit = IdentityGraphLimits.maxKeysPerPerson
        var known: [(key: IdentityLinkKey, person: Int64)] = []
        var unknown: [IdentityLinkKey] = []
        for key in keys {
            if let person = personOfKey[key] { known.append((key, person)) } else { unknown.append(key) }
        }
        let hasStrongKey = keys.contains { $0.mayMerge }
        let person: Int64
        if let strongest = known.first(where: { $0.key.mayMerge || !hasStrongKey }) {
            person = strongest.person
        } else {
            person = -Int64(newPeople.count + 1)
            newPeople.append(person)
        }
        var size = sizes[person] ?? 0
        let others = Set(known.filter { $0.person != person && $0.key.mayMerge }.map(\.person)).sorted(by: Self.precedes)
        for other in others {
            let otherSize = sizes[other] ?? 0
            guard size + otherSize <= limit else { continue }
            for (key, owner) in personOfKey where owner == other { personOfKey[key] = person }
            // The merged person's attributes move over where strictly newer.
            var merged = attributes[person] ?? [:]
            for (kind, attribute) in attributes[other] ?? [:] {
                if let existing = merged[kind], attribute.seenAtMS <= existing.seenAtMS { continue }
                merged[kind] = attribute
            }
            attributes[person] = merged
            attributes[other] = nil
            changedAttributes.formUnion([person, other])
            mergedInto[other] = person
            sizes[other] = 0
            size += otherSize
        }
        // Only keys now held by the person: weak keys known elsewhere stay with their person.
        for (key, _) in known where personOfKey[key] == person {
            keySeenAtMS[key] = max(keySeenAtMS[key] ?? seen, seen)
        }
        for key in unknown where size < limit {
            // A key repeated in the observation is attached once.
            guard personOfKey[key] == nil else { continue }
            personOfKey[key] = person
            attachedKeys.insert(key)
            keySeenAtMS[key] = seen
            size += 1
        }
        sizes[person] = size
        // A person none of whose keys could be stored keeps no attributes.
        guard size > 0 else { return }
        for attribute in observation.attributes {
            if let existing = attributes[person]?[attribute.kind], seen < existing.seenAtMS { continue }
            attributes[person, default: [:]][attribute.kind] = Attribute(digest: attribute.digest, seenAtMS: seen)
            changedAttributes.insert(person)
        }
    }
}
