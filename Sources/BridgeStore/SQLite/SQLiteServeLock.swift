import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one `serve` process of an SQLite store: an exclusive `flock` on
/// `<store>.serve.lock`, held for the process's life and released by the
/// kernel when it exits, however it exits (`kill -9` included). Holding it is
/// what lets a starting process release every lease it finds: they can only
/// be a dead incarnation's. One-shot commands (`dlq`, `erase`, `keys`) do not
/// take it; they share the database through SQLite's own locking.
public final class SQLiteServeLock: Sendable {
    private let descriptor: Int32
    /// The lock file's path.
    public let path: String

    /// Takes the lock, or fails at once when another process holds it.
    /// - Throws: `StoreError` (`misconfigured` when another `serve` runs on
    ///   the store, `unavailable` when the lock file cannot be opened).
    public init(storePath: String) throws(StoreError) {
        path = storePath + ".serve.lock"
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: storePath).deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.unavailable, "cannot open \(path) (errno \(errno))")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(descriptor)
            if code == EWOULDBLOCK {
                throw StoreError(.misconfigured, "another capi-bridge serve process is using \(storePath); run one per SQLite store (use PostgreSQL for several)")
            }
            throw StoreError(.unavailable, "cannot lock \(path) (errno \(code))")
        }
        self.descriptor = descriptor
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
