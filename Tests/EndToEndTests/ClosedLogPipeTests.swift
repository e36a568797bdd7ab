import BridgeCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A supervisor that stops reading the bridge's log pipe (it restarted, or
/// died) must not turn the next log line into a crash.
@Suite("A closed log pipe")
struct ClosedLogPipeTests {
    /// A port the kernel just handed out on 127.0.0.1.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    @Test("serve whose log reader has gone starts, keeps running and exits 0 on SIGTERM (it crashed on the first log line it could not write)")
    func sigtermAfterReaderLeft() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Self.freePort()
        let config = directory.appendingPathComponent("bridge.yaml")
        try """
            server: {host: 127.0.0.1, port: \(port)}
            store: {path: \(directory.path)/outbox.sqlite, ephemeral_seal_key: true}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            logging: {level: debug}
            """.write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = BridgeProcess.binary
        process.arguments = ["serve", "--config", config.path]
        process.environment = ["PATH": "/usr/bin:/bin"]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Nobody reads the logs any more: every later write gets EPIPE.
        try pipe.fileHandleForReading.close()

        var listening = false
        for _ in 0..<600 where process.isRunning {
            if Self.accepts(port: port) {
                listening = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(listening, "serve did not start (status \(process.isRunning ? -1 : process.terminationStatus))")
        #expect(process.isRunning)

        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<1200 where process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
