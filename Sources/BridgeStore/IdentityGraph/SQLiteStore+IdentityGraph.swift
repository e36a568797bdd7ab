import BridgeCore
import GRDB

extension SQLiteStore: IdentityGraphStore {
    public func identityProfile(for keys: [IdentityLinkKey]) async throws(StoreError) -> IdentityProfile? {
        guard !keys.isEmpty else { return nil }
        do {
            return try await pool.read { db in
                let find = try db.cachedStatement(sql: "SELECT person FROM identity_keys WHERE digest = ? AND kind = ?")
                for key in IdentityGraphLimits.lookupKeys(keys) {
                    guard let person = try Int64.fetchOne(find, arguments: [key.digest, key.kind]) else { continue }
                    var attributes: [String: String] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT kind, digest FROM identity_attributes WHERE person = ?", arguments: [person]) {
                        attributes[row[0]] = row[1]
                    }
                    return IdentityProfile(person: person, attributes: attributes)
                }
                return nil
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func learnIdentities(_ observations: [IdentityObservation]) async throws(StoreError) {
        guard !observations.isEmpty else { return }
        do {
            try await pool.write { db in
                for observation in observations { try SQLiteStore.learn(observation, in: db) }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func eraseIdentityGraph(digests: [String]) async throws(StoreError) -> Int {
        let wanted = Array(Set(digests.map { $0.lowercased() }))
        guard !wanted.isEmpty else { return 0 }
        do {
            return try await pool.write { db in
                let placeholders = Array(repeating: "?", count: wanted.count).joined(separator: ",")
                let arguments = StatementArguments(wanted)
                let persons = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT person FROM identity_keys WHERE digest IN (\(placeholders))
                        UNION SELECT person FROM identity_attributes WHERE digest IN (\(placeholders))
                        """,
                    arguments: arguments + arguments)
                var deleted = 0
                if !persons.isEmpty {
                    let list = Array(repeating: "?", count: persons.count).joined(separator: ",")
                    try db.execute(sql: "DELETE FROM identity_keys WHERE person IN (\(list))", arguments: StatementArguments(persons))
                    deleted += db.changesCount
                    try db.execute(sql: "DELETE FROM identity_attributes WHERE person IN (\(list))", arguments: StatementArguments(persons))
                    deleted += db.changesCount
                }
                return deleted
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// Learns one observation inside a write transaction.
    ///
    /// The person is the one the strongest known key belongs to (a new one
    /// when no key is known; when the event has an e-mail, phone or external
    /// id, a person known only through a click or browser id is not used). Other people reached through an e-mail, phone
    /// or external id of the same event are merged into it — the event
    /// proves those identifiers belong together — unless the merged person
    /// would hold more than `IdentityGraphLimits.maxKeysPerPerson` keys;
    /// click and browser ids attach to a person but never merge two. Keys
    /// not yet known are attached (within the same limit); attributes replace
    /// older ones of the same kind.
    static func learn(_ observation: IdentityObservation, in db: Database) throws {
        let seen = observation.seenAt.millisecondsSinceEpoch
        let find = try db.cachedStatement(sql: "SELECT person FROM identity_keys WHERE digest = ? AND kind = ?")
        var known: [(key: IdentityLinkKey, person: Int64)] = []
        var unknown: [IdentityLinkKey] = []
        for key in observation.keys.sorted() {
            if let person = try Int64.fetchOne(find, arguments: [key.digest, key.kind]) {
                known.append((key, person))
            } else {
                unknown.append(key)
            }
        }
        let count = try db.cachedStatement(sql: "SELECT COUNT(*) FROM identity_keys WHERE person = ?")
        // The person: the one the strongest known key belongs to; but when the
        // event has an e-mail, phone or external id, only those decide (a
        // shared click id must not pull a new customer into someone else).
        let hasStrongKey = observation.keys.contains { $0.mayMerge }
        let person: Int64
        if let strongest = known.first(where: { $0.key.mayMerge || !hasStrongKey }) {
            person = strongest.person
        } else {
            person = (try Int64.fetchOne(db, sql: "SELECT MAX(person) FROM identity_keys") ?? 0) + 1
        }
        var size = try Int.fetchOne(count, arguments: [person]) ?? 0
        for other in Set(known.filter { $0.person != person && $0.key.mayMerge }.map(\.person)).sorted() {
            let otherSize = try Int.fetchOne(count, arguments: [other]) ?? 0
            guard size + otherSize <= IdentityGraphLimits.maxKeysPerPerson else { continue }
            try db.execute(sql: "UPDATE identity_keys SET person = ? WHERE person = ?", arguments: [person, other])
            try db.execute(
                sql: """
                    INSERT INTO identity_attributes (person, kind, digest, seen_at_ms)
                    SELECT ?, kind, digest, seen_at_ms FROM identity_attributes WHERE person = ? AND true
                    ON CONFLICT (person, kind) DO UPDATE SET digest = excluded.digest, seen_at_ms = excluded.seen_at_ms
                    WHERE excluded.seen_at_ms > identity_attributes.seen_at_ms
                    """,
                arguments: [person, other])
            try db.execute(sql: "DELETE FROM identity_attributes WHERE person = ?", arguments: [other])
            size += otherSize
        }
        let touch = try db.cachedStatement(
            sql: "UPDATE identity_keys SET seen_at_ms = MAX(seen_at_ms, ?) WHERE digest = ? AND kind = ? AND person = ?")
        for (key, _) in known { try touch.execute(arguments: [seen, key.digest, key.kind, person]) }
        // Weak keys already known elsewhere stay with their person.
        let attach = try db.cachedStatement(
            sql: "INSERT INTO identity_keys (digest, kind, person, seen_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (digest, kind) DO NOTHING")
        for key in unknown where size < IdentityGraphLimits.maxKeysPerPerson {
            try attach.execute(arguments: [key.digest, key.kind, person, seen])
            size += db.changesCount
        }
        // A person none of whose keys could be stored keeps no attributes.
        guard size > 0 else { return }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO identity_attributes (person, kind, digest, seen_at_ms) VALUES (?, ?, ?, ?)
                ON CONFLICT (person, kind) DO UPDATE SET digest = excluded.digest, seen_at_ms = excluded.seen_at_ms
                WHERE excluded.seen_at_ms >= identity_attributes.seen_at_ms
                """)
        for attribute in observation.attributes {
            try upsert.execute(arguments: [person, attribute.kind, attribute.digest, seen])
        }
    }
}
