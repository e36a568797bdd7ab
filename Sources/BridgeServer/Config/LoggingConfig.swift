import BridgeCore

/// `logging:` — JSON-lines logs on standard error.
public struct LoggingConfig: Sendable {
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var level = "info"

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        level = reader.string("level", problems: &problems) ?? level
        reader.rejectUnknown(problems: &problems)
    }
}
