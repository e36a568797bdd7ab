import Logging

/// `logging.access`: the level of the one access-log line written per HTTP
/// request, or `off` for none (the `X-Request-Id` header is echoed either way).
public enum AccessLogLevel: String, Sendable, CaseIterable {
    case info
    case debug
    case off

    /// The swift-log level the line is written at; `nil` when off.
    public var loggerLevel: Logger.Level? {
        switch self {
        case .info: return .info
        case .debug: return .debug
        case .off: return nil
        }
    }
}
