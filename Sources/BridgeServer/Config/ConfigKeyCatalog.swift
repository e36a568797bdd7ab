import Synchronization

/// The keys the configuration loader asks for, as `ConfigReader`s record
/// them in catalog mode (`ConfigLoader.keyCatalog`): the loader's own
/// account of what a file may hold, which a test compares with the
/// published JSON Schema (`config/schema/bridge-config.schema.json`).
public struct ConfigKeyCatalog: Sendable, Equatable {
    /// The kind of value a getter reads.
    public enum ValueKind: String, Sendable, Comparable {
        /// Anything (read raw: `consent`, `enrichment`, a destination's own keys).
        case any
        case string
        case integer
        case number
        case boolean
        /// One of `allowed`.
        case choice
        /// A list of strings.
        case stringList
        /// One string or a list of strings.
        case stringOrList
        /// A nested mapping.
        case mapping
        /// A list of mappings.
        case list

        /// When one key is read by several getters (`choice` reads a string,
        /// which reads a raw value), the most specific kind wins.
        var rank: Int {
            switch self {
            case .any: return 0
            case .string, .stringList: return 1
            case .integer, .number, .boolean, .stringOrList, .mapping, .list: return 2
            case .choice: return 3
            }
        }

        public static func < (lhs: ValueKind, rhs: ValueKind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One key: its path (`server.port`, list entries as `sources[].name`),
    /// what it reads, and for a choice the values allowed.
    public struct Key: Sendable, Equatable {
        public let path: String
        public let kind: ValueKind
        public let allowed: [String]
    }

    /// Every key asked for, by path.
    public let keys: [String: Key]
    /// The mappings that refuse keys no getter asked for (`rejectUnknown`).
    public let closedMappings: Set<String>
}

/// Collects what `ConfigReader`s ask for in catalog mode: every reader
/// made while `current` is set records into it, however deep in the
/// loader (enrichment providers, consent, destinations) it was made.
final class ConfigKeyRecorder: Sendable {
    @TaskLocal static var current: ConfigKeyRecorder?

    private let state = Mutex<(keys: [String: ConfigKeyCatalog.Key], closed: Set<String>)>(([:], []))

    func record(_ path: String, _ kind: ConfigKeyCatalog.ValueKind, allowed: [String] = []) {
        let path = Self.pattern(path)
        state.withLock { state in
            if let known = state.keys[path], known.kind.rank >= kind.rank { return }
            state.keys[path] = ConfigKeyCatalog.Key(path: path, kind: kind, allowed: allowed)
        }
    }

    func recordClosed(_ path: String) {
        let path = Self.pattern(path)
        state.withLock { _ = $0.closed.insert(path) }
    }

    var catalog: ConfigKeyCatalog {
        state.withLock { ConfigKeyCatalog(keys: $0.keys, closedMappings: $0.closed) }
    }

    /// `sources[2].secrets[0]` → `sources[].secrets[]`.
    static func pattern(_ path: String) -> String {
        var result = ""
        var inIndex = false
        for character in path {
            if character == "[" {
                inIndex = true
                result.append("[")
            } else if character == "]" {
                inIndex = false
                result.append("]")
            } else if !inIndex {
                result.append(character)
            }
        }
        return result
    }
}
