import BridgeCore
import BridgeMocks
import BridgePipeline
import Foundation

/// The pipeline (SQLite store, real `DestinationWorkers`, loopback HTTP)
/// wired to one Google destination and a `MockPlatformServer` playing its
/// API and Google's token endpoint. Built on `PipelineHarness` (whose own
/// Meta mock stays idle): the Google destination is its only one.
struct GooglePipelineHarness {
    let pipeline: PipelineHarness
    let mock: MockPlatformServer

    /// Starts the mock and a bridge configured with `destination` (YAML
    /// lines of the destination entry after `name`, indented six spaces;
    /// `{mock}` is replaced by the mock's base URL).
    static func start(
        _ api: any MockPlatformAPI, oauth: MockOAuthOptions = MockOAuthOptions(), kind: String, name: String = "google", destination: String,
        sideEndpoints: [any MockSideEndpoint] = [], tune: @escaping @Sendable (inout DeliverySettings) -> Void = { _ in }
    ) async throws -> GooglePipelineHarness {
        var options = MockPlatformServer.Options(oauth: oauth)
        options.sideEndpoints = sideEndpoints
        let mock = try await MockPlatformServer.start(api, options: options)
        let entry = destination.replacingOccurrences(of: "{mock}", with: mock.baseURL)
        let pipeline = try await PipelineHarness(yaml: { _, directory in
            """
            store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: \(name)
                kind: \(kind)
            \(entry)
            audit: {dir: \(directory)/audit, digest_key: test-digest-key}
            """
        }, tune: tune)
        return GooglePipelineHarness(pipeline: pipeline, mock: mock)
    }

    /// YAML lines of a destination entry, each indented four spaces.
    static func lines(_ lines: [String]) -> String {
        lines.filter { !$0.isEmpty }.map { "    " + $0 }.joined(separator: "\n")
    }

    /// The refresh-token credentials `MockOAuthOptions` expects.
    static func refreshCredentials(refreshToken: String = MockOAuthOptions().refreshToken) -> [String] {
        let oauth = MockOAuthOptions()
        return [
            "token_url: \"{mock}\(oauth.path)\"", "refresh_token: \(refreshToken)", "client_id: \(oauth.clientID)",
            "client_secret: \(oauth.clientSecret)",
        ]
    }

    /// A `google` (Data Manager) entry pointed at the mock.
    static func dataManagerEntry(extra: [String] = [], credentials: [String] = refreshCredentials()) -> String {
        lines(["operating_account_id: \"1234567890\"", "conversion_action_id: \"555111222\"", "base_url: \"{mock}\""] + credentials + extra)
    }

    /// A `google_ads` entry pointed at the mock.
    static func adsEntry(developerToken: String, extra: [String] = []) -> String {
        lines(
            ["customer_id: \"1234567890\"", "conversion_action_id: \"555111222\"", "developer_token: \(developerToken)", "base_url: \"{mock}\""]
                + refreshCredentials() + extra)
    }

    /// Posts `ids` as purchases and prepares them.
    func postAndPrepare(_ ids: [String]) async throws {
        try await pipeline.post(ids.map { PipelineHarness.purchase($0) })
        try await pipeline.prepareAll()
    }

    func close() async {
        await mock.stop()
        await pipeline.close()
    }
}
