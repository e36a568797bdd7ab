import ArgumentParser
import BridgeServer

/// `capi-bridge check-config FILE`: reports every problem with its key path.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and report each problem with its key path.")

    @Argument(help: "Configuration file.")
    var file = "config/bridge.yaml"

    func run() throws {
        do {
            let config = try ConfigLoader.load(path: file)
            print("\(file): OK (\(config.sources.count) source(s), \(config.destinations.count) destination(s))")
        } catch {
            var stderr = StandardError()
            print(error.description, to: &stderr)
            throw ExitCode(1)
        }
    }
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileOutput.standardError(string)
    }
}
