/// A value that came from the fallback of `${VAR:-fallback}` because `VAR`
/// was unset or empty: the development defaults of `config/bridge.yaml`.
/// Recorded by the loader so that `serve` can refuse them off loopback.
public struct ConfigFallback: Sendable, Equatable {
    /// Key path of the value, e.g. `sources[0].secrets[0]`.
    public let path: String
    /// The environment variable that was not set.
    public let variable: String

    public init(path: String, variable: String) {
        self.path = path
        self.variable = variable
    }
}
