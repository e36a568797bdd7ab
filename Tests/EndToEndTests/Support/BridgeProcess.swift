import BridgeCore
import Foundation
import Synchronization

/// A `capi-bridge serve` child process on a temporary store, for tests of
/// real process behaviour (durability across SIGKILL, graceful shutdown).
final class BridgeProcess: Sendable {
    let process: Process
    let directory: URL
    let storePath: String
    let sealKey: String
    let port: Int
    private let stderrLines: LineCollector

    static let standardSecret = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="

    /// The built executable: `CAPI_BRIDGE_BINARY`, else `.build/debug/capi-bridge`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CAPI_BRIDGE_BINARY"] { return URL(fileURLWithPath: path) }
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/capi-bridge")
    }

    /// Starts the bridge on the standard test configuration (one Standard
    /// Webhooks source, a fresh SQLite store and seal key) and waits until it listens.
    convenience init() async throws {
        try await self.init { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            logging: {level: info}
            """
        }
    }

    /// Starts the bridge on the configuration `config` writes (given the
    /// process's temporary directory and store path) and waits until it listens.
    /// - Parameters:
    ///   - arguments: extra arguments after `serve --config FILE`.
    ///   - environment: added to the child's environment (`CAPI_SEAL_KEY` is set to `sealKey`).
    ///   - directory: reuse this directory (a restart on the same store); a new one when `nil`.
    ///   - sealKey: the key exported as `CAPI_SEAL_KEY`; a new one when `nil`.
    init(
        arguments: [String] = [], environment: [String: String] = [:], directory reuse: URL? = nil, sealKey reuseKey: String? = nil,
        config: (_ directory: URL, _ storePath: String) -> String
    ) async throws {
        directory = reuse ?? FileManager.default.temporaryDirectory.appendingPathComponent("capi-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        storePath = directory.appendingPathComponent("outbox.sqlite").path
        sealKey = reuseKey ?? IdentifierSealer.generateKey()
        let config = config(directory, storePath)
        let configPath = directory.appendingPathComponent("bridge.yaml")
        try config.write(to: configPath, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = BridgeProcess.binary
        process.arguments = ["serve", "--config", configPath.path] + arguments
        process.environment = ["CAPI_SEAL_KEY": sealKey, "PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }
        // Relative paths of the configuration (data/…) land in the temporary directory.
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let lines = LineCollector()
        self.stderrLines = lines
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            var buffer = Data()
            var bytes = [UInt8](repeating: 0, count: 65_536)
            let descriptor = handle.fileDescriptor
            while true {
                // read(2) with EINTR retried: FileHandle.availableData traps on
                // EINTR, which a child's SIGCHLD can cause at any time.
                let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return }
                buffer.append(contentsOf: bytes[0..<count])
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    lines.append(line)
                }
            }
        }
        guard let port = try await Self.port(logged: "listening", by: process, lines: lines) else {
            process.terminate()
            throw BridgeProcessError.didNotStart(lines.snapshot.joined(separator: "\n"))
        }
        self.port = port
    }

    /// The `server.port` of the first log line whose message is `message`,
    /// waiting up to 30 s; `nil` when the process exits or never logs it.
    private static func port(logged message: String, by process: Process, lines: LineCollector) async throws -> Int? {
        for _ in 0..<600 {
            try await Task.sleep(for: .milliseconds(50))
            let port = lines.snapshot.lazy.compactMap { line -> Int? in
                guard let json = try? JSONParser.parse(line), json["msg"]?.stringValue == message else { return nil }
                return json["server.port"]?.stringValue.flatMap(Int.init)
            }.first
            if let port { return port }
            if !process.isRunning { return nil }
        }
        return nil
    }

    /// The port of the admin listener (`server.admin`), once it listens.
    func adminPort() async throws -> Int {
        guard let port = try await Self.port(logged: "admin listening", by: process, lines: stderrLines) else {
            throw BridgeProcessError.didNotStart(logLines.joined(separator: "\n"))
        }
        return port
    }

    /// Everything the process wrote to standard error so far.
    var logLines: [String] { stderrLines.snapshot }

    /// Log lines (JSON) whose message is `message`.
    func logs(_ message: String) -> [JSONValue] {
        logLines.compactMap { line in
            guard let json = try? JSONParser.parse(line), json["msg"]?.stringValue == message else { return nil }
            return json
        }
    }

    /// Peak resident memory of the process (`VmHWM` in `/proc/<pid>/status`), in bytes.
    func peakResidentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { throw BridgeProcessError.noMemoryFigure }
        return kilobytes * 1024
    }

    /// Sends `signal` and waits for the process to exit; returns its status.
    @discardableResult
    func stop(signal: Int32) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        for _ in 0..<400 where process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        return process.terminationStatus
    }

    func cleanUp() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }
}

enum BridgeProcessError: Error, CustomStringConvertible {
    case didNotStart(String)
    case noMemoryFigure
    var description: String {
        switch self {
        case .didNotStart(let log): return "capi-bridge did not start listening; its log:\n\(log)"
        case .noMemoryFigure: return "no VmHWM line in /proc/<pid>/status"
        }
    }
}

/// Lines read from the child's standard error, shared with the reader thread.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var snapshot: [String] { lines.withLock { $0 } }
}

