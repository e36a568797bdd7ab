import BridgeCore

/// Every platform mock at once, for the demo and the fan-out benchmark:
/// one server per destination kind, with fixed credentials that
/// `destinationsYAML` writes into the matching destination entries.
public final class MockFleet: Sendable {
    public struct Options: Sendable {
        /// Check requests as each platform does.
        public var validate: Bool
        /// Added to every answer.
        public var responseDelay: Duration
        /// Keep every request.
        public var recordRequests: Bool

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

    /// The destination kinds of the fan-out: one per ad platform.
    public static let platformKinds = ["meta"]

    public let meta: MockMetaServer

    private init(meta: MockMetaServer) {
        self.meta = meta
    }

    public static func start(_ options: Options) async throws -> MockFleet {
        var metaOptions = MockMetaServer.Options()
        metaOptions.validate = options.validate
        metaOptions.responseDelay = options.responseDelay
        metaOptions.recordRequests = options.recordRequests
        metaOptions.accessToken = Credentials.meta
        let meta = try await MockMetaServer.start(metaOptions)
        return MockFleet(meta: meta)
    }

    /// Destination kind → the `base_url` of its mock.
    public var baseURLs: [String: String] { ["meta": meta.baseURL] }

    public func stop() async {
        await meta.stop()
    }

    /// The fixed credentials the mocks expect.
    enum Credentials {
        static let meta = "fleet-meta-token"
    }

    /// `destinations:` entries (flow-style YAML, one per line) for `kinds`,
    /// pointing at `baseURLs`, each with `extra` keys added.
    public static func destinationsYAML(kinds: [String], baseURLs: [String: String], extra: String, indent: String) -> String {
        kinds.compactMap { kind -> String? in
            guard let url = baseURLs[kind] else { return nil }
            let keys: String
            switch kind {
            case "meta": keys = "pixel_id: \"1234567890\", access_token: \(Credentials.meta)"
            default: return nil
            }
            return "\(indent)- {name: \(kind), kind: \(kind), \(keys), base_url: \"\(url)\"\(extra.isEmpty ? "" : ", " + extra)}"
        }.joined(separator: "\n")
    }
}
