import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of a test's own (`scripts/start-test-postgres.sh`),
/// which the test may stop and start again: an outage without touching the
/// server other suites share (`CAPI_TEST_POSTGRES_URL`).
struct ThrowawayPostgres: Sendable {
    /// `postgres://capi@127.0.0.1:PORT/capi_bridge_test`.
    let url: String
    /// The cluster's directory (its data directory is `data/`).
    let directory: String

    static let binaries = "/usr/lib/postgresql/15/bin"

    /// Whether this machine runs PostgreSQL tests: `CAPI_TEST_POSTGRES_URL`
    /// is set (as in CI) and Debian's PostgreSQL 15 binaries are installed.
    static var isAvailable: Bool {
        ProcessInfo.processInfo.environment["CAPI_TEST_POSTGRES_URL"].map { !$0.isEmpty } == true
            && FileManager.default.isExecutableFile(atPath: "\(binaries)/pg_ctl")
    }

    /// The repository's root (where `scripts/` is).
    private static var root: URL {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        return root
    }

    /// Creates and starts a new cluster.
    static func start() throws -> ThrowawayPostgres {
        let output = try run(root.appendingPathComponent("scripts/start-test-postgres.sh").path, [])
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        guard let url = values["CAPI_TEST_POSTGRES_URL"], let directory = values["CAPI_TEST_POSTGRES_DIR"] else {
            throw ThrowawayPostgresError.failed("start-test-postgres.sh printed no URL: \(output)")
        }
        return ThrowawayPostgres(url: url, directory: directory)
    }

    /// Stops the server (`pg_ctl stop -m fast`: open connections are cut).
    func stop() throws { try pgCtl(["-m", "fast", "-w", "-t", "60", "stop"]) }

    /// Starts the stopped server again on the same port and data.
    func restart() throws { try pgCtl(["-l", "\(directory)/server.log", "-w", "-t", "60", "start"]) }

    /// Stops the server and removes its files.
    func remove() {
        _ = try? Self.run(Self.root.appendingPathComponent("scripts/stop-test-postgres.sh").path, [directory])
    }

    /// `pg_ctl` as the cluster's owner (PostgreSQL refuses to run as root).
    private func pgCtl(_ arguments: [String]) throws {
        let pgCtl = "\(Self.binaries)/pg_ctl"
        if getuid() == 0 {
            _ = try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", pgCtl, "-D", "\(directory)/data"] + arguments)
        } else {
            _ = try Self.run(pgCtl, ["-D", "\(directory)/data"] + arguments)
        }
    }

    /// Runs `path arguments…`, returns its standard output; throws on a
    /// non-zero exit. Spawned and reaped here (`posix_spawn`, `waitpid`):
    /// Foundation's `Process.waitUntilExit` never returned for these scripts
    /// when called from a test task.
    private static func run(_ path: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("capi-pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ThrowawayPostgresError.failed("\(path) could not be started (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally (no signal) with status 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ThrowawayPostgresError.failed("\(path) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return output
    }
}

enum ThrowawayPostgresError: Error, CustomStringConvertible {
    case failed(String)
    var description: String {
        switch self {
        case .failed(let message): return message
        }
    }
}
