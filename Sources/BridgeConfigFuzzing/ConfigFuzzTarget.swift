import BridgeServer

/// The configuration loader's hostile-input entry point (YAML, `${VAR}`
/// substitution, every section's reader and validation), for libFuzzer
/// (`fuzz/CapiFuzzConfig`) and the corpus replay test. Anything but a crash
/// passes: a precise `ConfigError` is the expected answer to bad input.
public enum ConfigFuzzTarget {
    /// The corpus directory name (`fuzz/corpus/config`).
    public static let name = "config"

    /// The environment the inputs' `${VAR}` references resolve in.
    static let environment = ["FUZZ_SECRET": "fuzz-secret-value-0123456789abcdef", "CAPI_ADMIN_TOKEN": "fuzz-admin-token-0123456789abcdef0123"]

    /// Loads one input as a configuration file's text.
    public static func run(_ bytes: [UInt8]) {
        _ = try? ConfigLoader.parse(String(decoding: bytes, as: UTF8.self), environment: environment)
    }
}
