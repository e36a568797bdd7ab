import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard
/// error: `{"ts", "level", "label", "msg", ...metadata}`. Messages and
/// metadata must never hold personal data; this handler does not filter.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: LogSink

    /// A destination for log lines (standard error, or memory in tests).
    public final class LogSink: Sendable {
        private let lines = Mutex<[String]?>(nil)
        private let writeToStderr: Bool

        /// Writes to standard error.
        public static let standardError = LogSink(capture: false)

        /// - Parameter capture: keep lines in memory instead of writing them.
        public init(capture: Bool) {
            self.writeToStderr = !capture
            if capture { lines.withLock { $0 = [] } }
        }

        func write(_ line: String) {
            if writeToStderr {
                ProcessStream.standardError.write(line + "\n")
            } else {
                lines.withLock { $0?.append(line) }
            }
        }

        /// Captured lines (empty when writing to standard error).
        public var captured: [String] { lines.withLock { $0 ?? [] } }
    }

    public init(label: String, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var object: [String: Any] = [
            "ts": Date().formatted(.iso8601),
            "level": event.level.rawValue,
            "label": label,
            "msg": event.message.description,
        ]
        for (key, value) in merged { object[key] = JSONLogHandler.plain(value) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            let line = String(data: data, encoding: .utf8)
        else { return }
        sink.write(line)
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let a): return a.map(plain)
        case .dictionary(let d): return d.mapValues(plain)
        }
    }
}

extension Logger.Level {
    /// The level for a configuration name (`info`, `warning`, …).
    public static func named(_ name: String) -> Logger.Level? {
        Logger.Level(rawValue: name.lowercased())
    }
}
