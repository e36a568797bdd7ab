/// Why the store could not do what was asked. Carries the database's own
/// error code where there is one, never row contents.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The database cannot be reached or written (disk full, I/O error, locked).
        case unavailable
        /// The store is shutting down and takes no new work.
        case closed
        /// Stored data could not be read back (corrupt row, wrong seal key).
        case corrupt
        /// The store's schema or configuration is wrong for this binary.
        case misconfigured
    }

    public let code: Code
    /// What happened, for operators: a database error code and message.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "store \(code.rawValue): \(detail)" }
}
