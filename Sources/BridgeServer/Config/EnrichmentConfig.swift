import BridgeCore
import BridgePipeline

/// `enrichment:` — the providers, in order, and the per-event budget.
///
/// ```yaml
/// enrichment:
///   budget_ms: 500            # total per event, all providers (default 500)
///   concurrency: 16           # events enriched at once (default 16)
///   providers:
///     - {name: clicks, kind: click_ids}
///     - {name: graph, kind: identity_graph, default_region: US}
///     - name: crm
///       kind: http
///       url: https://profiles.example.com/v1/lookup   # http:// only to loopback, or with allow_insecure: true
///       auth: {kind: api_key, header: X-Api-Key, value: ${CRM_API_KEY}}
///       lookup_keys: [email_sha256, external_id]
///       timeout_ms: 300
///       map: {phone: /phone, first_name: /name/first}
/// ```
///
/// Decoded from `BridgeConfig.enrichment` with every problem reported at its
/// key path (`enrichment.providers[2].auth.token_url`); messages never
/// repeat a value.
public struct EnrichmentConfig: Sendable {
    /// One provider entry.
    public enum Provider: Sendable {
        case clickIDs(name: String)
        case identityGraph(name: String, defaultRegion: String?)
        case http(name: String, settings: HTTPLookupSettings)

        public var name: String {
            switch self {
            case .clickIDs(let name), .identityGraph(let name, _), .http(let name, _): name
            }
        }
    }

    public var budget: Duration = .milliseconds(500)
    public var concurrency = 16
    public var providers: [Provider] = []

    public init() {}

    /// The provider kinds.
    public static let kinds = ["http", "identity_graph", "click_ids"]

    /// Decodes `enrichment:`; an absent or empty section has no providers.
    /// - Throws: `ConfigError` listing every problem.
    public static func decode(_ json: JSONValue?) throws(ConfigError) -> EnrichmentConfig {
        var problems: [ConfigProblem] = []
        let config = decode(json, problems: &problems)
        guard problems.isEmpty else { throw ConfigError(file: "<config>", problems: problems) }
        return config
    }

    /// Every problem of `enrichment:` (empty when it is usable), for `check-config`.
    public static func problems(_ json: JSONValue?) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        _ = decode(json, problems: &problems)
        return problems
    }

    static func decode(_ json: JSONValue?, problems: inout [ConfigProblem]) -> EnrichmentConfig {
        var config = EnrichmentConfig()
        guard let json, !json.isNull else { return config }
        var root = ConfigReader(json, path: "enrichment", problems: &problems)
        if let ms = root.integer("budget_ms", in: 1...60_000, problems: &problems) { config.budget = .milliseconds(ms) }
        if let n = root.integer("concurrency", in: 1...256, problems: &problems) { config.concurrency = Int(n) }
        let list = root.value("providers")
        root.rejectUnknown(problems: &problems)
        guard let list else { return config }
        guard let entries = list.arrayValue else {
            problems.append(ConfigProblem("enrichment.providers", "must be a list of providers"))
            return config
        }
        var names = Set<String>()
        for (index, entry) in entries.enumerated() {
            let path = "enrichment.providers[\(index)]"
            var reader = ConfigReader(entry, path: path, problems: &problems)
            guard reader.isObject else { continue }
            let name = reader.string("name", required: true, problems: &problems)
            let kind = reader.string("kind", required: true, problems: &problems)
            if let name {
                if !ConfigLoader.isRouteName(name) {
                    problems.append(ConfigProblem(path + ".name", "must be 1-64 characters of a-z, 0-9, - and _"))
                } else if !names.insert(name).inserted {
                    problems.append(ConfigProblem(path + ".name", "duplicate provider name '\(name)'"))
                }
            }
            var provider: Provider?
            switch kind {
            case "click_ids":
                provider = name.map { .clickIDs(name: $0) }
            case "identity_graph":
                let region = reader.string("default_region", problems: &problems)
                if let region, CountryCode.resolve(region) == nil {
                    problems.append(ConfigProblem(path + ".default_region", "must be a country (ISO 3166 alpha-2, e.g. US)"))
                }
                provider = name.map { .identityGraph(name: $0, defaultRegion: region) }
            case "http":
                if let settings = http(&reader, path: path, problems: &problems), let name { provider = .http(name: name, settings: settings) }
            case nil:
                break
            case let other?:
                problems.append(ConfigProblem(path + ".kind", "unknown provider kind '\(other)' (expected one of: \(kinds.joined(separator: ", ")))"))
            }
            reader.rejectUnknown(problems: &problems)
            if let provider { config.providers.append(provider) }
        }
        return config
    }

    /// The keys of an `http` provider.
    static func http(_ reader: inout ConfigReader, path: String, problems: inout [ConfigProblem]) -> HTTPLookupSettings? {
        let before = problems.count
        let url = reader.string("url", required: true, problems: &problems)
        let sendRawEmail = reader.bool("send_raw_email", problems: &problems) ?? false
        let insecureLoopback = reader.bool("allow_insecure_loopback", problems: &problems) ?? false
        let allowInsecure = reader.bool("allow_insecure", problems: &problems) ?? false
        if let url { checkURL(url, path: path + ".url", allowInsecure: allowInsecure, problems: &problems) }
        var keys: [HTTPLookupSettings.LookupKey] = []
        if let list = reader.value("lookup_keys") {
            if let items = list.arrayValue, !items.isEmpty {
                for (i, item) in items.enumerated() {
                    guard let text = item.stringValue, let key = HTTPLookupSettings.LookupKey(rawValue: text) else {
                        let allowed = HTTPLookupSettings.LookupKey.allCases.map(\.rawValue).joined(separator: ", ")
                        problems.append(ConfigProblem("\(path).lookup_keys[\(i)]", "unknown lookup key (expected one of: \(allowed))"))
                        continue
                    }
                    if !keys.contains(key) { keys.append(key) }
                }
            } else {
                problems.append(ConfigProblem(path + ".lookup_keys", "must be a non-empty list such as [email_sha256, external_id]"))
            }
        } else {
            problems.append(ConfigProblem(path + ".lookup_keys", "required key is missing"))
        }
        if keys.contains(.email) {
            if !sendRawEmail {
                problems.append(
                    ConfigProblem(path + ".lookup_keys", "'email' sends raw e-mail addresses: set send_raw_email: true to allow it, or use email_sha256"))
            } else if let url, !url.lowercased().hasPrefix("https://"), !(insecureLoopback && isLoopback(url)) {
                problems.append(
                    ConfigProblem(path + ".url", "raw e-mail addresses are only sent over https (allow_insecure_loopback: true permits a loopback http URL, for tests)"))
            }
        } else if sendRawEmail {
            problems.append(ConfigProblem(path + ".send_raw_email", "set, but 'email' is not among lookup_keys"))
        }
        var map: [(field: CustomerField, pointer: JSONPointer)] = []
        if let value = reader.value("map") {
            if let object = value.objectValue, !object.isEmpty {
                for (key, target) in object.sorted(by: { $0.key < $1.key }) {
                    guard let field = CustomerField(rawValue: key) else {
                        let allowed = CustomerField.allCases.map(\.rawValue).joined(separator: ", ")
                        problems.append(ConfigProblem("\(path).map.\(key)", "unknown customer field (expected one of: \(allowed))"))
                        continue
                    }
                    guard let text = target.stringValue, !text.isEmpty, let pointer = JSONPointer(parsing: text) else {
                        problems.append(ConfigProblem("\(path).map.\(key)", "must be a JSON pointer such as /profile/phone"))
                        continue
                    }
                    map.append((field, pointer))
                }
            } else {
                problems.append(ConfigProblem(path + ".map", "must map customer fields to JSON pointers, e.g. {phone: /phone}"))
            }
        } else {
            problems.append(ConfigProblem(path + ".map", "required key is missing"))
        }
        let timeout = reader.integer("timeout_ms", in: 1...10_000, problems: &problems) ?? 300
        let concurrency = reader.integer("concurrency", in: 1...1024, problems: &problems) ?? 16
        let region = reader.string("default_region", problems: &problems)
        if let region, CountryCode.resolve(region) == nil {
            problems.append(ConfigProblem(path + ".default_region", "must be a country (ISO 3166 alpha-2, e.g. US)"))
        }
        var cacheEntries: Int64 = 10_000
        var cacheTTL: Int64 = 600
        if let value = reader.value("cache") {
            var cache = ConfigReader(value, path: path + ".cache", problems: &problems)
            cacheEntries = cache.integer("max_entries", in: 1...10_000_000, problems: &problems) ?? cacheEntries
            cacheTTL = cache.integer("ttl_seconds", in: 0...604_800, problems: &problems) ?? cacheTTL
            cache.rejectUnknown(problems: &problems)
        }
        var breaker = CircuitBreaker.Configuration.standard
        if let value = reader.value("breaker") {
            var keys = ConfigReader(value, path: path + ".breaker", problems: &problems)
            let failures = keys.integer("consecutive_failures", in: 1...1000, problems: &problems)
            let coolDown = keys.integer("cool_down_seconds", in: 1...3600, problems: &problems)
            keys.rejectUnknown(problems: &problems)
            let cool = Duration.seconds(coolDown ?? 30)
            if let configured = try? CircuitBreaker.Configuration(
                consecutiveFailures: Int(failures ?? 5), coolDown: cool, maxCoolDown: max(cool, .seconds(600)), probeTimeout: .seconds(10))
            {
                breaker = configured
            }
        } else if let shorter = try? CircuitBreaker.Configuration(coolDown: .seconds(30), probeTimeout: .seconds(10)) {
            breaker = shorter
        }
        var auth = HTTPLookupSettings.Auth.none
        if let value = reader.value("auth") {
            auth = authentication(value, path: path + ".auth", allowInsecure: allowInsecure, problems: &problems) ?? .none
        }
        guard problems.count == before, let url else { return nil }
        return HTTPLookupSettings(
            url: url, auth: auth, lookupKeys: keys, map: map, timeout: .milliseconds(timeout), concurrency: Int(concurrency),
            cacheEntries: Int(cacheEntries), cacheTTL: .seconds(cacheTTL), breaker: breaker, defaultRegion: region)
    }

    /// `auth: {kind: api_key, header, value}` or
    /// `{kind: oauth2_client_credentials, token_url, client_id, client_secret, scope, client_auth}`.
    static func authentication(_ value: JSONValue, path: String, allowInsecure: Bool, problems: inout [ConfigProblem])
        -> HTTPLookupSettings.Auth?
    {
        var reader = ConfigReader(value, path: path, problems: &problems)
        guard reader.isObject else { return nil }
        defer { reader.rejectUnknown(problems: &problems) }
        switch reader.string("kind", required: true, problems: &problems) {
        case "api_key":
            let header = reader.string("header", required: true, problems: &problems)
            let secret = reader.string("value", required: true, problems: &problems)
            if let header, !isHeaderName(header) {
                problems.append(ConfigProblem(path + ".header", "must be an HTTP header name such as X-Api-Key"))
                return nil
            }
            guard let header, let secret else { return nil }
            if secret.contains(where: { $0 == "\r" || $0 == "\n" }) {
                problems.append(ConfigProblem(path + ".value", "must be one line"))
                return nil
            }
            return .apiKey(header: header, value: secret)
        case "oauth2_client_credentials":
            let tokenURL = reader.string("token_url", required: true, problems: &problems)
            let clientID = reader.string("client_id", required: true, problems: &problems)
            let secret = reader.string("client_secret", required: true, problems: &problems)
            let scope = reader.string("scope", problems: &problems)
            let clientAuth = reader.string("client_auth", problems: &problems)
            var method = OAuthClientCredentials.ClientAuthentication.basic
            if let clientAuth {
                guard let parsed = OAuthClientCredentials.ClientAuthentication(rawValue: clientAuth) else {
                    problems.append(ConfigProblem(path + ".client_auth", "must be basic or body"))
                    return nil
                }
                method = parsed
            }
            if let tokenURL { checkURL(tokenURL, path: path + ".token_url", allowInsecure: allowInsecure, problems: &problems) }
            guard let tokenURL, let clientID, let secret else { return nil }
            return .oauth2(
                OAuthClientCredentials(tokenURL: tokenURL, clientID: clientID, clientSecret: secret, scope: scope, clientAuthentication: method))
        case nil:
            return nil
        case .some:
            problems.append(ConfigProblem(path + ".kind", "unknown auth kind (expected api_key or oauth2_client_credentials)"))
            return nil
        }
    }

    /// `https://…`, or `http://` to a loopback host (a sidecar on the same
    /// machine, or a test) or with the provider's `allow_insecure: true`
    /// (`OutboundURLPolicy`): identifiers, even hashed, and credentials never
    /// cross a network in clear unless the operator says so.
    static func checkURL(_ url: String, path: String, allowInsecure: Bool, problems: inout [ConfigProblem]) {
        do {
            try OutboundURLPolicy.check(url, allowInsecure: allowInsecure)
        } catch {
            problems.append(ConfigProblem(path, error.description))
        }
    }

    /// Whether an `http(s)://` URL's host is a loopback address.
    static func isLoopback(_ url: String) -> Bool {
        OutboundURLPolicy.host(of: url).map(OutboundURLPolicy.isLoopback(host:)) ?? false
    }

    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
