import Foundation

/// One run of the `capi-bridge` binary to completion (a command that is
/// expected to exit: `check-config`, or `serve` refusing to start).
struct BridgeCommand {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// The repository root (where `Package.swift` is).
    static var repositoryRoot: URL {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        return root
    }

    /// Runs `capi-bridge arguments…` in `directory` with only `environment`
    /// (and `PATH`) set, and waits for it to exit (at most `timeout`; killed then).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: URL, timeout: Duration = .seconds(30)
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
        let outputData = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let errorData = Task.detached { error.fileHandleForReading.readDataToEndOfFile() }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return BridgeCommand(
            status: process.terminationStatus, standardOutput: String(decoding: await outputData.value, as: UTF8.self),
            standardError: String(decoding: await errorData.value, as: UTF8.self))
    }

    /// Standard output and standard error together.
    var output: String { standardOutput + standardError }
}
