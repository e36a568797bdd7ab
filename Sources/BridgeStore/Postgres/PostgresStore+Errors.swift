import PostgresNIO

extension StoreError {
    /// Wraps a PostgreSQL error, keeping the server's SQLSTATE so callers and
    /// operators can match it (`SQLSTATE 40P01`, `SQLSTATE 28P01`, …). Keeps
    /// the server's primary message except for data exceptions (class 22),
    /// whose messages may quote the offending value; never the `DETAIL`,
    /// `HINT` or `WHERE` fields (they quote row contents, e.g. the duplicate
    /// key), and never the query's bound values.
    static func postgres(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError:
            // The first of: the closure's error, the commit's, BEGIN's.
            if let inner = error.closureError ?? error.commitError ?? error.beginError { return .postgres(inner) }
            return StoreError(.unavailable, "PostgreSQL transaction failed")
        case let error as PSQLError:
            return .psql(error)
        case let error as PostgresDecodingError:
            return StoreError(.corrupt, "column \(error.columnName) could not be read as \(error.targetType) (\(error.code))")
        case is CancellationError, AbandonableCall.Abandoned.cancelled:
            return StoreError(.closed, "cancelled")
        case AbandonableCall.Abandoned.deadline:
            return StoreError(.unavailable, "PostgreSQL did not answer in time")
        default:
            // e.g. the pool's circuit breaker after a minute without a connection.
            return StoreError(.unavailable, "PostgreSQL: \(String(describing: type(of: error))) \(error)")
        }
    }

    private static func psql(_ error: PSQLError) -> StoreError {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?????"
            var detail = "PostgreSQL error SQLSTATE \(state)"
            if !state.hasPrefix("22"), let message = error.serverInfo?[.message] { detail += ": \(message)" }
            if let table = error.serverInfo?[.tableName] { detail += " (table \(table))" }
            return StoreError(code(forSQLState: state), detail)
        case .poolClosed, .clientClosedConnection, .queryCancelled:
            return StoreError(.closed, "PostgreSQL client closed (\(error.code))")
        case .sslUnsupported, .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return StoreError(.misconfigured, "PostgreSQL connection refused: \(error.code)")
        default:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            return StoreError(.unavailable, "PostgreSQL \(error.code)\(cause)")
        }
    }

    /// What a caller can do about a server error, by SQLSTATE class.
    static func code(forSQLState state: String) -> Code {
        switch state.prefix(2) {
        // invalid authorization, unknown database or schema, syntax or access rule
        // violation (undefined table or column, insufficient privilege): fix the setup.
        case "28", "3D", "3F", "42": return .misconfigured
        // connection exceptions, resources, operator intervention, serialization
        // failures and deadlocks: try again later.
        default: return .unavailable
        }
    }

    /// True when PostgreSQL aborted the statement to break a lock cycle or a
    /// serialization conflict: running it again can succeed.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }
}
