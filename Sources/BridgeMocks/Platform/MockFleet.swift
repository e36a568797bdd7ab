import BridgeCore

/// Every platform mock at once, for `capi-bridge demo` and the fan-out
/// benchmark: one `MockPlatformServer` per destination kind, each playing
/// its platform's `MockPlatformAPI`, with fixed credentials that
/// `destinationsYAML` writes into matching destination entries. The OAuth
/// platforms (Google, Google Ads) also serve their token endpoint at `/token`.
public final class MockFleet: Sendable {
    public struct Options: Sendable {
        /// Check requests as each platform does.
        public var validate: Bool
        /// Added to every answer.
        public var responseDelay: Duration
        /// Keep every request.
        public var recordRequests: Bool
        /// Called with the kind, the request and its accepted event ids
        /// after every API request that accepted events.
        public var onAccepted: (@Sendable (_ kind: String, _ request: MockHTTPRequest, _ acceptedIDs: [String]) -> Void)?

        public init(validate: Bool, responseDelay: Duration, recordRequests: Bool) {
            self.validate = validate
            self.responseDelay = responseDelay
            self.recordRequests = recordRequests
        }

        /// For the demo: checked as the platforms check, recorded.
        public static let demo = Options(validate: true, responseDelay: .zero, recordRequests: true)
        /// For benchmarks: 20 ms per answer, nothing checked or kept.
        public static let benchmark = Options(validate: false, responseDelay: .milliseconds(20), recordRequests: false)
    }

    /// The destination kinds of the fan-out, one per ad platform (Google's
    /// Data Manager stands for Google; `google_ads` is available too).
    public static let platformKinds = ["meta", "google", "tiktok", "snapchat", "pinterest", "linkedin", "reddit", "ga4"]
    /// Every kind the fleet serves.
    public static let allKinds = platformKinds + ["google_ads"]

    /// Kind → its mock, for every kind.
    public let platforms: [String: MockPlatformServer]

    /// The Meta mock, in Meta's vocabulary (`received` requests and their Graph answers).
    public let meta: MockMetaServer

    private init(platforms: [String: MockPlatformServer], meta: MockMetaServer) {
        self.platforms = platforms
        self.meta = meta
    }

    public static func start(_ options: Options) async throws -> MockFleet {
        var platforms: [String: MockPlatformServer] = [:]
        do {
            for (kind, api) in apis() {
                var serverOptions = MockPlatformServer.Options(expectedToken: Credentials.token(kind))
                if ["google", "google_ads"].contains(kind) {
                    serverOptions.oauth = MockOAuthOptions(
                        clientID: Credentials.oauthClient, clientSecret: Credentials.oauthSecret, refreshToken: Credentials.refreshToken)
                }
                serverOptions.validate = options.validate
                serverOptions.responseDelay = options.responseDelay
                serverOptions.recordRequests = options.recordRequests
                if let onAccepted = options.onAccepted {
                    serverOptions.onAccepted = { request, ids in onAccepted(kind, request, ids) }
                }
                platforms[kind] = try await MockPlatformServer.start(api, options: serverOptions)
            }
            guard let meta = platforms["meta"] else { throw MockListener.StartError(label: "meta") }
            return MockFleet(platforms: platforms, meta: MockMetaServer(meta))
        } catch {
            for server in platforms.values { await server.stop() }
            throw error
        }
    }

    static func apis() -> [(String, any MockPlatformAPI)] {
        [
            ("meta", MockMetaAPI()),
            ("google", MockGoogleDataManagerAPI()),
            ("google_ads", MockGoogleAdsAPI(developerToken: Credentials.developerToken)),
            ("tiktok", MockTikTokAPI()),
            ("snapchat", MockSnapAPI()),
            ("pinterest", MockPinterestAPI()),
            ("linkedin", MockLinkedInAPI()),
            ("reddit", MockRedditAPI()),
            ("ga4", MockGA4API()),
        ]
    }

    /// Destination kind → the `base_url` of its mock.
    public var baseURLs: [String: String] { platforms.mapValues(\.baseURL) }

    /// Events each mock accepted, by kind.
    public var acceptedEventCounts: [String: Int] { platforms.mapValues(\.acceptedEventCount) }

    /// Requests each mock answered, by kind.
    public var requestCounts: [String: Int] { platforms.mapValues(\.requestCount) }

    public func stop() async {
        for server in platforms.values { await server.stop() }
    }

    /// The fixed credentials the mocks expect.
    enum Credentials {
        static func token(_ kind: String) -> String { "fleet-\(kind)-token" }
        static let oauthClient = "fleet-client"
        static let oauthSecret = "fleet-client-secret"
        static let refreshToken = "fleet-refresh-token"
        static let developerToken = "fleet-developer-token"
    }

    /// The kind-specific keys of a destination entry pointing at the fleet.
    static func keys(_ kind: String, baseURL: String) -> String? {
        let token = Credentials.token(kind)
        let oauth =
            "refresh_token: \(Credentials.refreshToken), client_id: \(Credentials.oauthClient), client_secret: \(Credentials.oauthSecret), token_url: \"\(baseURL)/token\""
        switch kind {
        case "meta": return "pixel_id: \"1234567890\", access_token: \(token)"
        case "google": return "operating_account_id: \"1234567890\", conversion_action_id: \"555111222\", \(oauth)"
        case "google_ads":
            return "customer_id: \"1234567890\", conversion_action_id: \"555111222\", developer_token: \(Credentials.developerToken), \(oauth)"
        case "tiktok": return "pixel_code: C0FLEETPIXEL000000000, access_token: \(token), site_url: \"https://shop.example.com\""
        case "snapchat": return "pixel_id: 0f1e2d3c-fleet-pixel, access_token: \(token), event_source_url: \"https://shop.example.com/thank-you\""
        case "pinterest": return "ad_account_id: \"549755885175\", access_token: \(token)"
        case "linkedin": return "conversion_rule_id: \"104012\", access_token: \(token)"
        case "reddit": return "pixel_id: t2_fleet, access_token: \(token)"
        case "ga4": return "measurement_id: G-FLEET00001, api_secret: \(token)"
        default: return nil
        }
    }

    /// `destinations:` entries (flow-style YAML, one per line) for `kinds`,
    /// pointing at `baseURLs`, each with `extra` keys added.
    public static func destinationsYAML(kinds: [String], baseURLs: [String: String], extra: String, indent: String) -> String {
        kinds.compactMap { kind -> String? in
            guard let url = baseURLs[kind], let keys = keys(kind, baseURL: url) else { return nil }
            return "\(indent)- {name: \(kind), kind: \(kind), \(keys), base_url: \"\(url)\"\(extra.isEmpty ? "" : ", " + extra)}"
        }.joined(separator: "\n")
    }
}
