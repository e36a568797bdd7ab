import ArgumentParser
import BridgeServer

/// `capi-bridge check-config FILE`: reports every problem with its key path,
/// and the development settings that `serve` would refuse on a non-loopback
/// address (`ConfigLoader.developmentSettings`).
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and report each problem with its key path.")

    @Argument(help: ArgumentHelp(ConfigFile.help))
    var file = ConfigFile.defaultPath

    @Option(name: .long, help: "Check as if serve --host HOST were given (overrides server.host).")
    var host: String?

    @Flag(name: .long, help: "Check as if serve --dev were given: development settings are reported, not refused.")
    var dev = false

    func run() throws {
        var stderr = StandardError()
        var config: BridgeConfig
        do {
            config = try ConfigLoader.load(path: file)
        } catch {
            print(error.description, to: &stderr)
            throw ExitCode(1)
        }
        if let host { config.server.host = host }
        let development = ConfigLoader.developmentSettings(config)
        if !development.isEmpty, config.server.isExposed, !dev {
            print(
                "\(file): \(development.count) development setting(s) that serve refuses on \(ServeCommand.addresses(config.server)):",
                to: &stderr)
            for problem in development { print("  - \(problem)", to: &stderr) }
            throw ExitCode(1)
        }
        print("\(file): OK (\(config.sources.count) source(s), \(config.destinations.count) destination(s))")
        if !development.isEmpty {
            print("\(file): \(development.count) development setting(s), allowed only on loopback or with --dev:", to: &stderr)
            for problem in development { print("  - \(problem)", to: &stderr) }
        }
    }
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileOutput.standardError(string)
    }
}
