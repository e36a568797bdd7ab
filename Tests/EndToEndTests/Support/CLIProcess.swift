import Foundation

/// One run of the `capi-bridge` command line (not `serve`): its exit status
/// and what it printed.
struct CLIRun: Sendable {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// Runs `capi-bridge arguments…` with `environment` and waits for it to exit.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIRun {
        let process = Process()
        process.executableURL = BridgeProcess.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes to the end before waiting, so a chatty process cannot block on a full pipe.
        let (outData, errData) = readBoth(output.fileHandleForReading, error.fileHandleForReading)
        process.waitUntilExit()
        return CLIRun(
            status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }

    private static func readBoth(_ first: FileHandle, _ second: FileHandle) -> (Data, Data) {
        let group = DispatchGroup()
        nonisolated(unsafe) var secondData = Data()  // written by the one reader below, read after `wait()`
        group.enter()
        DispatchQueue.global().async {
            secondData = second.readDataToEndOfFile()
            group.leave()
        }
        let firstData = first.readDataToEndOfFile()
        group.wait()
        return (firstData, secondData)
    }
}
