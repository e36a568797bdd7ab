import BridgeCore

/// `logging:` — JSON-lines logs on standard error.
public struct LoggingConfig: Sendable {
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var level = "info"
    /// The access-log line per HTTP request: `info` (default), `debug` or `off`.
    public var access = AccessLogLevel.info

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        level = reader.string("level", problems: &problems) ?? level
        // YAML 1.1 reads an unquoted `off` as false.
        if reader.value("access")?.boolValue == false {
            access = .off
        } else {
            access = reader.choice("access", problems: &problems) ?? access
        }
        reader.rejectUnknown(problems: &problems)
    }
}
