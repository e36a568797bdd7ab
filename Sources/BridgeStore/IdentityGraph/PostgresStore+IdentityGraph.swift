import BridgeCore
import Logging
import PostgresNIO

/// The identity graph in PostgreSQL: the same tables, rules and results as
/// `SQLiteStore`'s, for several instances sharing one database.
///
/// Every write to the graph (`learn`, `eraseIdentityGraph`) first takes one
/// transaction-level advisory lock per schema (`lockIdentityGraph`), held
/// until its transaction ends, so graph writes run one at a time across all
/// instances, as they do under SQLite's single writer. Row locks would not
/// do: learning decides from keys that may not exist yet (absent rows cannot
/// be locked), so two instances could each create a person for the same new
/// key, and a merge rewrites every row of a person, not only the rows its
/// keys found. The lock is taken last in `recordPreparation`, after the
/// deliveries are written, and graph statements touch only the graph's
/// tables, which no one writes without the lock: a holder never waits for
/// anything but the server, so the lock cannot take part in a deadlock.
/// Lookups take no lock: each is one statement, one consistent snapshot.
extension PostgresStore: IdentityGraphStore {
    public func identityProfile(for keys: [IdentityLinkKey]) async throws(StoreError) -> IdentityProfile? {
        let ordered = IdentityGraphLimits.lookupKeys(keys)
        guard !ordered.isEmpty else { return nil }
        do {
            // The first key (in lookup order) that is known decides the person.
            let rows = try await client.query(
                """
                WITH found AS (
                    SELECT k.person FROM unnest(\(ordered.map(\.kind))::text[], \(ordered.map(\.digest))::text[])
                        WITH ORDINALITY AS key (kind, digest, position)
                    JOIN identity_keys AS k ON k.digest = key.digest AND k.kind = key.kind
                    ORDER BY key.position LIMIT 1)
                SELECT found.person, a.kind, a.digest FROM found LEFT JOIN identity_attributes AS a ON a.person = found.person
                """, logger: logger
            ).collect()
            guard let first = rows.first else { return nil }
            let person = try first.decode((Int64, String?, String?).self).0
            var attributes: [String: String] = [:]
            for row in rows {
                let (_, kind, digest) = try row.decode((Int64, String?, String?).self)
                if let kind, let digest { attributes[kind] = digest }
            }
            return IdentityProfile(person: person, attributes: attributes)
        } catch {
            throw storeError(error)
        }
    }

    public func learnIdentities(_ observations: [IdentityObservation]) async throws(StoreError) {
        guard !observations.isEmpty else { return }
        let logger = self.logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await PostgresStore.learn(observations, on: connection, logger: logger)
            }
        } catch {
            throw storeError(error)
        }
    }

    public func eraseIdentityGraph(digests: [String]) async throws(StoreError) -> Int {
        let wanted = Array(Set(digests.map { $0.lowercased() })).sorted()
        guard !wanted.isEmpty else { return 0 }
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await PostgresStore.lockIdentityGraph(connection, logger: logger)
                let rows = try await connection.query(
                    """
                    WITH persons AS (
                        SELECT person FROM identity_keys WHERE digest = ANY(\(wanted)::text[])
                        UNION SELECT person FROM identity_attributes WHERE digest = ANY(\(wanted)::text[])),
                    deleted_keys AS (DELETE FROM identity_keys WHERE person IN (SELECT person FROM persons) RETURNING 1),
                    deleted_attributes AS (DELETE FROM identity_attributes WHERE person IN (SELECT person FROM persons) RETURNING 1)
                    SELECT (SELECT count(*) FROM deleted_keys) + (SELECT count(*) FROM deleted_attributes)
                    """, logger: logger
                ).collect()
                return try rows.first.map { Int(try $0.decode(Int64.self)) } ?? 0
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Takes the identity graph's lock for the rest of `connection`'s
    /// transaction: one advisory lock per schema (the schema the tables
    /// resolve to), so stores on other schemas of the database do not wait
    /// for each other.
    static func lockIdentityGraph(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            "SELECT pg_advisory_xact_lock(hashtext('capi-bridge/identity-graph'), hashtext(coalesce(current_schema(), '')))",
            logger: logger)
    }

    /// Learns `observations` in order inside the caller's transaction, under
    /// the graph's lock (taken here; nothing is locked when there is nothing
    /// to learn): `SQLiteStore.learn(_:in:)`'s rules, with the same outcome,
    /// in at most eight statements for the whole batch, the lock's included.
    /// The part of the graph the batch touches (its stored keys, their
    /// people's key counts and attributes) is read once, every observation is
    /// learned on that copy (`IdentityGraphBatch`), and the outcome is written
    /// back: new people numbered, merged people's keys moved, keys attached
    /// or touched, changed people's attributes replaced. Statement by
    /// statement (about four round trips per observation) a 512-event batch
    /// held the lock for ~0.6 s on a local server; this way, ~0.03-0.05 s.
    static func learn(_ observations: [IdentityObservation], on connection: PostgresConnection, logger: Logger) async throws {
        let batchKeys = Array(Set(observations.flatMap(\.keys))).sorted()
        guard !batchKeys.isEmpty else { return }
        try await lockIdentityGraph(connection, logger: logger)
        var batch = try await loadGraph(around: batchKeys, on: connection, logger: logger)
        for observation in observations { batch.learn(observation) }
        try await write(batch, on: connection, logger: logger)
    }

    /// The stored part of the graph `keys` reach: each stored key's person,
    /// those people's key counts and all their attributes.
    static func loadGraph(around keys: [IdentityLinkKey], on connection: PostgresConnection, logger: Logger) async throws -> IdentityGraphBatch {
        var storedKeys: [IdentityLinkKey: Int64] = [:]
        var sizes: [Int64: Int] = [:]
        for try await (kind, digest, person, size) in try await connection.query(
            """
            WITH found AS (
                SELECT k.kind, k.digest, k.person FROM unnest(\(keys.map(\.kind))::text[], \(keys.map(\.digest))::text[]) AS key (kind, digest)
                JOIN identity_keys AS k ON k.digest = key.digest AND k.kind = key.kind),
            sizes AS (
                SELECT person, count(*) AS size FROM identity_keys WHERE person IN (SELECT person FROM found) GROUP BY person)
            SELECT found.kind, found.digest, found.person, sizes.size FROM found JOIN sizes USING (person)
            """, logger: logger
        ).decode((String, String, Int64, Int64).self) {
            storedKeys[IdentityLinkKey(kind: kind, digest: digest)] = person
            sizes[person] = Int(size)
        }
        var attributes: [Int64: [String: IdentityGraphBatch.Attribute]] = [:]
        if !sizes.isEmpty {
            for try await (person, kind, digest, seenAt) in try await connection.query(
                "SELECT person, kind, digest, seen_at_ms FROM identity_attributes WHERE person = ANY(\(Array(sizes.keys))::bigint[])",
                logger: logger
            ).decode((Int64, String, String, Int64).self) {
                attributes[person, default: [:]][kind] = IdentityGraphBatch.Attribute(digest: digest, seenAtMS: seenAt)
            }
        }
        return IdentityGraphBatch(storedKeys: storedKeys, sizes: sizes, attributes: attributes)
    }

    /// Writes what `batch` learned over the graph it was loaded from.
    static func write(_ batch: IdentityGraphBatch, on connection: PostgresConnection, logger: Logger) async throws {
        // Numbers for the new people still standing, in creation order (the
        // sequence only grows, so they sort after every existing person).
        let fresh = batch.newPeople.filter { batch.finalPerson($0) == $0 && batch.holdsKeys($0) }
        var numbers: [Int64: Int64] = [:]
        if !fresh.isEmpty {
            var allocated: [Int64] = []
            for try await number in try await connection.query(
                "SELECT nextval('identity_person_seq') FROM generate_series(1, \(fresh.count))", logger: logger
            ).decode(Int64.self) {
                allocated.append(number)
            }
            guard allocated.count == fresh.count else { throw StoreError(.corrupt, "identity_person_seq returned too few values") }
            for (temporary, number) in zip(fresh, allocated.sorted()) { numbers[temporary] = number }
        }
        func number(_ person: Int64) throws -> Int64 {
            let final = batch.finalPerson(person)
            guard final < 0 else { return final }
            guard let number = numbers[final] else { throw StoreError(.corrupt, "identity graph: a new person without a number") }
            return number
        }
        // Stored people merged into others: their keys move (the batch's and the rest).
        let merged = batch.mergedInto.keys.filter { $0 > 0 }.sorted()
        if !merged.isEmpty {
            let targets = try merged.map(number)
            try await connection.run(
                """
                UPDATE identity_keys SET person = m.target
                FROM unnest(\(merged)::bigint[], \(targets)::bigint[]) AS m (source, target)
                WHERE identity_keys.person = m.source
                """, logger: logger)
        }
        // Keys attached (inserted) or touched (seen later: the stored time only grows).
        let seenKeys = batch.keySeenAtMS.keys.sorted()
        if !seenKeys.isEmpty {
            let people = try seenKeys.map { key in try number(batch.personOfKey[key] ?? 0) }
            try await connection.run(
                """
                INSERT INTO identity_keys (digest, kind, person, seen_at_ms)
                SELECT * FROM unnest(
                    \(seenKeys.map(\.digest))::text[], \(seenKeys.map(\.kind))::text[], \(people)::bigint[],
                    \(seenKeys.map { batch.keySeenAtMS[$0] ?? 0 })::bigint[])
                ON CONFLICT (digest, kind) DO UPDATE SET seen_at_ms = GREATEST(identity_keys.seen_at_ms, excluded.seen_at_ms)
                """, logger: logger)
        }
        // Changed people's attributes: replaced by what the batch holds for them.
        let changed = batch.changedAttributes.sorted()
        let storedChanged = changed.filter { $0 > 0 }
        if !storedChanged.isEmpty {
            try await connection.run("DELETE FROM identity_attributes WHERE person = ANY(\(storedChanged)::bigint[])", logger: logger)
        }
        var people: [Int64] = []
        var kinds: [String] = []
        var digests: [String] = []
        var times: [Int64] = []
        for person in changed where batch.finalPerson(person) == person && batch.holdsKeys(person) {
            let owner = try number(person)
            for (kind, attribute) in batch.attributes(of: person).sorted(by: { $0.key < $1.key }) {
                people.append(owner)
                kinds.append(kind)
                digests.append(attribute.digest)
                times.append(attribute.seenAtMS)
            }
        }
        if !people.isEmpty {
            try await connection.run(
                """
                INSERT INTO identity_attributes (person, kind, digest, seen_at_ms)
                SELECT * FROM unnest(\(people)::bigint[], \(kinds)::text[], \(digests)::text[], \(times)::bigint[])
                """, logger: logger)
        }
    }
}
