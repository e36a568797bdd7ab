import Foundation

/// Which configuration file a command reads when `--config` is not given:
/// `$CAPI_BRIDGE_CONFIG` when set and not empty, otherwise
/// `config/bridge.yaml`. An explicit `--config` always wins, because this is
/// only the option's default value.
enum ConfigFile {
    /// The environment variable naming the configuration file.
    static let environmentVariable = "CAPI_BRIDGE_CONFIG"

    /// The file read when neither `--config` nor the variable is given.
    static let fallback = "config/bridge.yaml"

    /// The default of every `--config` option (see the type's documentation).
    static var defaultPath: String { defaultPath(environment: ProcessInfo.processInfo.environment) }

    /// The default path for `environment` (pure, for tests).
    static func defaultPath(environment: [String: String]) -> String {
        guard let path = environment[environmentVariable], !path.isEmpty else { return fallback }
        return path
    }

    /// The help text of every `--config` option.
    static let help = "Configuration file; when not given, $\(environmentVariable) if set, else \(fallback)."
}
