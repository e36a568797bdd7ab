import BridgeCore
import GRDB

extension SQLiteStore: LeaseStore {
    public func renewLeases(_ kind: LeaseKind, ids: [Int64], owner: String, until: Timestamp) async throws(StoreError) -> Int {
        guard !ids.isEmpty else { return 0 }
        let (table, key) = Self.leaseTable(kind)
        do {
            return try await pool.write { db in
                var renewed = 0
                for chunk in ids.chunked(by: SQLiteStore.maxVariablesPerStatement - 2) {
                    var arguments: StatementArguments = [until.millisecondsSinceEpoch, owner]
                    arguments += StatementArguments(chunk)
                    try db.execute(
                        sql: """
                            UPDATE \(table) SET lease_until_ms = ?
                            WHERE lease_owner = ? AND \(key) IN (\(SQLiteStore.placeholders(chunk.count)))
                            """,
                        arguments: arguments)
                    renewed += db.changesCount
                }
                return renewed
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func releaseLeases(ownedBy match: LeaseOwnerMatch) async throws(StoreError) -> ReleasedLeases {
        do {
            return try await pool.write { db in
                var released = ReleasedLeases()
                for kind in LeaseKind.allCases {
                    let (table, _) = Self.leaseTable(kind)
                    switch match {
                    case .all:
                        try db.execute(
                            sql: "UPDATE \(table) SET lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner IS NOT NULL")
                    case .prefix(let prefix):
                        try db.execute(
                            sql: """
                                UPDATE \(table) SET lease_owner = NULL, lease_until_ms = NULL
                                WHERE substr(lease_owner, 1, length(?)) = ?
                                """,
                            arguments: [prefix, prefix])
                    }
                    switch kind {
                    case .preparation: released.preparation = db.changesCount
                    case .delivery: released.delivery = db.changesCount
                    }
                }
                return released
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// The table and key column a lease kind lives in.
    static func leaseTable(_ kind: LeaseKind) -> (table: String, key: String) {
        switch kind {
        case .preparation: return ("events", "sequence")
        case .delivery: return ("deliveries", "id")
        }
    }

    /// SQLite's default limit on `?` parameters in one statement
    /// (`SQLITE_MAX_VARIABLE_NUMBER`, 32,766 since 3.32; 999 before): long
    /// id lists are cut well below it.
    static let maxVariablesPerStatement = 900

    /// `?,?,…` for `count` parameters.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
