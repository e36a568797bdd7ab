import Foundation
import Synchronization

extension BridgeCommand {
    /// `run`, for a command that talks to a mock served by this test process:
    /// the pipes are read on threads of their own, so that no blocking read
    /// holds a thread of the cooperative pool the mock's handlers need (on a
    /// two-core machine that pool has two threads).
    static func runBeside(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL, timeout: Duration = .seconds(60)
    ) async throws -> BridgeCommand {
        let process = Process()
        process.executableURL = BridgeProcess.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = PipeDrain(output)
        let errorData = PipeDrain(error)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return BridgeCommand(
            status: process.terminationStatus, standardOutput: String(decoding: await outputData.value(), as: UTF8.self),
            standardError: String(decoding: await errorData.value(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: Sendable {
    private let data = Mutex<Data?>(nil)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            let bytes = handle.readDataToEndOfFile()
            self.data.withLock { $0 = bytes }
        }
    }

    /// The bytes, once the writer closed the pipe.
    func value() async -> Data {
        while true {
            if let bytes = data.withLock({ $0 }) { return bytes }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
