import BridgeCore

/// One entry of the configuration's `destinations:` list, as the config
/// loader hands it over: the name, the kind and every other key with
/// `${VAR}` references already replaced from the environment.
///
/// Values arrive as YAML scalars: a number may be `.number("1000")` or
/// `.string("1000")` (an environment variable is always text), so the
/// destinations read them with `JSONValue.scalarText`.
public struct DestinationSettings: Sendable, Equatable {
    /// The configured name (`meta`, `meta-eu`, …).
    public var name: String
    /// The configured kind (`meta`, `webhook`, `sandbox`).
    public var kind: String
    /// The kind-specific keys (`pixel_id`, `access_token`, …).
    public var settings: [String: JSONValue]
    /// Keys that may appear in `settings` but belong to the pipeline
    /// (rate limits, batching), so the destination does not reject them as
    /// unknown. Every other key a destination does not read is an error, so
    /// a typo such as `test_event_cod` is caught at start-up.
    public var pipelineKeys: Set<String>

    /// - Parameters:
    ///   - name: The configured destination name.
    ///   - kind: The configured kind.
    ///   - settings: The other keys, environment variables substituted.
    ///   - pipelineKeys: Keys read by the pipeline rather than the destination.
    public init(name: String, kind: String, settings: [String: JSONValue] = [:], pipelineKeys: Set<String> = []) {
        self.name = name
        self.kind = kind
        self.settings = settings
        self.pipelineKeys = pipelineKeys
    }
}

/// Why a destination's configuration was refused. Names the key and says
/// what is expected; never repeats a value, so a secret cannot end up in a
/// start-up error or a log line.
public struct DestinationConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Equatable {
        /// A required key is absent or empty.
        case missingKey = "missing_key"
        /// A key has a value of the wrong type or out of range.
        case invalidValue = "invalid_value"
        /// A key the destination does not know (often a typo).
        case unknownKey = "unknown_key"
        /// `kind` names no registered destination.
        case unknownKind = "unknown_kind"
    }

    /// What kind of problem it is.
    public var code: Code
    /// The configured destination name.
    public var destination: String
    /// The offending key inside the destination entry (`pixel_id`, `kind`).
    public var keyPath: String
    /// What is expected, phrased so the operator can fix it.
    public var message: String
    /// For an unknown key: every key the kind reads (pipeline keys
    /// included), so tools and tests can list what is accepted.
    public var knownKeys: [String] = []

    public init(code: Code, destination: String, keyPath: String, message: String) {
        self.code = code
        self.destination = destination
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String { "destination '\(destination)': \(keyPath): \(message)" }

    /// Errors are the same problem when code, destination, key and message are (`knownKeys` is a listing).
    public static func == (lhs: DestinationConfigError, rhs: DestinationConfigError) -> Bool {
        lhs.code == rhs.code && lhs.destination == rhs.destination && lhs.keyPath == rhs.keyPath && lhs.message == rhs.message
    }
}

/// Reads a destination's keys one by one and remembers which were read, so
/// the rest can be reported as unknown.
struct SettingsReader {
    private let settings: DestinationSettings
    private var read: Set<String> = []

    init(_ settings: DestinationSettings) {
        self.settings = settings
    }

    private func error(_ code: DestinationConfigError.Code, _ key: String, _ message: String) -> DestinationConfigError {
        DestinationConfigError(code: code, destination: settings.name, keyPath: key, message: message)
    }

    /// The trimmed text of a string or number; `nil` when absent, null or blank.
    mutating func string(_ key: String) throws(DestinationConfigError) -> String? {
        read.insert(key)
        guard let value = settings.settings[key], !value.isNull else { return nil }
        guard let text = value.scalarText else { throw error(.invalidValue, key, "must be a string") }
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Like `string`, but absent is an error.
    mutating func requiredString(_ key: String, _ what: String) throws(DestinationConfigError) -> String {
        guard let text = try string(key) else { throw error(.missingKey, key, "required: \(what)") }
        return text
    }

    /// A whole number in `range`, `defaultValue` when absent.
    mutating func integer(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(DestinationConfigError) -> Int {
        guard let text = try string(key) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw error(.invalidValue, key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `true`/`false` (a YAML boolean or the text of one), `defaultValue` when absent.
    mutating func boolean(_ key: String, default defaultValue: Bool) throws(DestinationConfigError) -> Bool {
        read.insert(key)
        switch settings.settings[key] {
        case nil, .null?: return defaultValue
        case .bool(let value)?: return value
        case .string(let text)?:
            switch text.trimmingWhitespace().lowercased() {
            case "true": return true
            case "false": return false
            case "": return defaultValue
            default: break
            }
        default: break
        }
        throw error(.invalidValue, key, "must be true or false")
    }

    /// An `http://` or `https://` URL with a host, without a trailing `/`.
    mutating func httpURL(_ key: String) throws(DestinationConfigError) -> String? {
        guard let text = try string(key) else { return nil }
        guard HTTPURLText.isHTTP(text) else {
            throw error(.invalidValue, key, "must be an absolute http:// or https:// URL")
        }
        return HTTPURLText.withoutTrailingSlash(text)
    }

    /// An endpoint the bridge sends requests to (`base_url`, `token_url`,
    /// `url`): an `http(s)://` URL without a trailing `/` that
    /// `OutboundURLPolicy` allows — `https://`, or `http://` only to a
    /// loopback host or with `allow_insecure: true` on the destination.
    /// Always reads `allow_insecure`, so the key is known to every
    /// destination with an endpoint.
    mutating func endpointURL(_ key: String) throws(DestinationConfigError) -> String? {
        let allowInsecure = try boolean("allow_insecure", default: false)
        guard let url = try httpURL(key) else { return nil }
        try checkEndpoint(url, key: key, allowInsecure: allowInsecure)
        return url
    }

    /// Checks an endpoint URL read another way (the webhook's `url`)
    /// against `OutboundURLPolicy`, with the destination's `allow_insecure`.
    mutating func checkEndpoint(_ url: String, key: String) throws(DestinationConfigError) {
        try checkEndpoint(url, key: key, allowInsecure: try boolean("allow_insecure", default: false))
    }

    private func checkEndpoint(_ url: String, key: String, allowInsecure: Bool) throws(DestinationConfigError) {
        do {
            try OutboundURLPolicy.check(url, allowInsecure: allowInsecure)
        } catch {
            throw self.error(.invalidValue, key, error.description)
        }
    }

    /// An error for `key` with `message`, for checks the reader does not know.
    func invalid(_ key: String, _ message: String) -> DestinationConfigError {
        error(.invalidValue, key, message)
    }

    /// Throws for the first key (in sorted order) that was never read and is
    /// not a pipeline key.
    func rejectUnknownKeys(known: [String]) throws(DestinationConfigError) {
        let unknown = settings.settings.keys.filter { !read.contains($0) && !settings.pipelineKeys.contains($0) }.sorted()
        if let key = unknown.first {
            var refusal = error(.unknownKey, key, "unknown key for kind \(settings.kind); known keys: \(known.sorted().joined(separator: ", "))")
            refusal.knownKeys = Set(known).union(read).union(settings.pipelineKeys).sorted()
            throw refusal
        }
    }
}

/// Small checks on URL text, without Foundation's lenient parser.
enum HTTPURLText {
    /// True for `http(s)://host…` with a non-empty host and no white space.
    /// Runs per sent item (landing pages), so it reads UTF-8 bytes and asks
    /// Unicode's white-space property only of non-ASCII scalars.
    static func isHTTP(_ text: String) -> Bool {
        let bytes = text.utf8
        let schemeLength: Int
        if hasPrefixIgnoringCase(bytes, "https://") {
            schemeLength = 8
        } else if hasPrefixIgnoringCase(bytes, "http://") {
            schemeLength = 7
        } else {
            return false
        }
        guard let first = bytes.dropFirst(schemeLength).first, first != UInt8(ascii: "/"), first != UInt8(ascii: "?"), first != UInt8(ascii: "#")
        else { return false }
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return !bytes.contains { $0 == 0x20 || (0x09...0x0D).contains($0) }
        }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    private static func hasPrefixIgnoringCase(_ bytes: String.UTF8View, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        return zip(bytes, UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)).allSatisfy { byte, expected in
            ((0x41...0x5A).contains(byte) ? byte | 0x20 : byte) == expected
        }
    }

    /// `text` without trailing `/` characters.
    static func withoutTrailingSlash(_ text: String) -> String {
        var result = Substring(text)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
