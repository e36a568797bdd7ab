import BridgeCore
import BridgeServer
import Foundation
import Testing

@Suite("Development settings")
struct DevelopmentSettingsTests {
    static let root = ExampleConfigTests.root
    static let strongToken = String(repeating: "t", count: 32)

    static func defaultConfigText() throws -> String {
        try String(contentsOf: root.appendingPathComponent("config/bridge.yaml"), encoding: .utf8)
    }

    /// Every variable `config/bridge.yaml` names, set to a production-grade value.
    static let productionEnvironment: [String: String] = [
        "CAPI_ADMIN_TOKEN": strongToken, "CAPI_EVENTS_TOKEN": String(repeating: "e", count: 40),
        "CAPI_SEAL_KEY": IdentifierSealer.generateKey(), "CAPI_AUDIT_KEY": IdentifierSealer.generateKey(),
        "SHOPIFY_SECRET": "shpss_production", "STRIPE_WEBHOOK_SECRET": "whsec_production", "WOOCOMMERCE_SECRET": "production",
        "BACKEND_WEBHOOK_SECRET": "whsec_" + Data(repeating: 7, count: 24).base64EncodedString(),
    ]

    @Test("the loader records each value that came from a non-empty ${VAR:-fallback}, by key path")
    func recordsFallbacks() throws {
        let config = try ConfigLoader.parse(
            """
            server: {admin_token: "${ADMIN:-dev-admin}"}
            store: {path: x.sqlite, seal_key: "${SEAL:-}", ephemeral_seal_key: true}
            sources:
              - {name: a, kind: shopify, secrets: ["${SET:-unused}", "${UNSET:-dev-secret}"]}
            """, environment: ["SET": "from-environment"])
        #expect(config.fallbacks == [ConfigFallback(path: "server.admin_token", variable: "ADMIN"), ConfigFallback(path: "sources[0].secrets[1]", variable: "UNSET")])
    }

    @Test("config/bridge.yaml with no environment: one problem per development key, naming its key path")
    func defaultConfiguration() throws {
        let config = try ConfigLoader.parse(Self.defaultConfigText(), file: "config/bridge.yaml", environment: [:])
        let problems = ConfigLoader.developmentSettings(config)
        #expect(
            problems.map(\.path) == [
                "server.admin_token", "sources[0].secrets[0]", "sources[1].secrets[0]", "sources[2].secrets[0]", "sources[3].secrets[0]",
                "events_api.tokens[0]", "store.seal_key", "audit.digest_key",
            ])
        #expect(problems.first?.message.contains("CAPI_ADMIN_TOKEN") == true)
        // Never a value: none of the development secrets printed in the file appears.
        for secret in ["dev-admin-token", "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", "dev-woocommerce-secret", "dev-events-token", "whsec_"] {
            #expect(!problems.contains { $0.description.contains(secret) })
        }
        // It listens on loopback by default, where these are allowed.
        #expect(!config.server.isExposed)
    }

    @Test("config/bridge.yaml with every variable set to production values has no development setting")
    func productionEnvironment() throws {
        let config = try ConfigLoader.parse(Self.defaultConfigText(), environment: Self.productionEnvironment)
        #expect(ConfigLoader.developmentSettings(config) == [])
    }

    @Test("tokens shorter than 32 characters are named with their key path, list entries by index")
    func weakTokens() throws {
        let config = try ConfigLoader.parse(
            """
            server: {admin_tokens: ["\(Self.strongToken)", "short-previous"], metrics_token: "metrics"}
            store: {path: x.sqlite, seal_key: "\(IdentifierSealer.generateKey())"}
            events_api: {tokens: "\(String(Self.strongToken.dropLast()))"}
            audit: {digest_key: "\(IdentifierSealer.generateKey())"}
            """, environment: [:])
        let problems = ConfigLoader.developmentSettings(config)
        #expect(problems.map(\.path) == ["server.admin_tokens[1]", "server.metrics_token", "events_api.tokens"])
        #expect(problems.allSatisfy { $0.message.contains("32 characters") })
    }

    @Test("an audit digest key that is not base64 of exactly 32 bytes is named")
    func weakDigestKey() throws {
        for key in ["a-passphrase", Data(repeating: 1, count: 16).base64EncodedString()] {
            let config = try ConfigLoader.parse(
                """
                store: {path: x.sqlite, seal_key: "\(IdentifierSealer.generateKey())"}
                audit: {digest_key: "\(key)"}
                """, environment: [:])
            let problems = ConfigLoader.developmentSettings(config)
            #expect(problems.map(\.path) == ["audit.digest_key"])
            #expect(!problems.contains { $0.description.contains(key) })
        }
    }

    @Test("a Standard Webhooks secret with a key shorter than 16 bytes is named; 16 bytes pass")
    func weakWebhookSecret() throws {
        let short = "whsec_" + Data(repeating: 3, count: 15).base64EncodedString()
        let enough = "whsec_" + Data(repeating: 3, count: 16).base64EncodedString()
        let config = try ConfigLoader.parse(
            """
            store: {path: x.sqlite, seal_key: "\(IdentifierSealer.generateKey())"}
            audit: {digest_key: "\(IdentifierSealer.generateKey())"}
            sources:
              - {name: a, kind: standard-webhooks, secrets: ["\(enough)", "\(short)"]}
            """, environment: [:])
        #expect(ConfigLoader.developmentSettings(config).map(\.path) == ["sources[0].secrets[1]"])
    }

    @Test("fallbacks count only for keys that hold secrets")
    func secretKeysOnly() throws {
        let config = try ConfigLoader.parse(
            """
            server:
              port: ${PORT:-8080}
            store: {path: "${DB:-x.sqlite}", seal_key: "${SEAL:-\(IdentifierSealer.generateKey())}"}
            audit: {digest_key: "\(IdentifierSealer.generateKey())"}
            destinations:
              - {name: snap, kind: snapchat, pixel_id: "${PIXEL:-6f8d1c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f}", access_token: "${SNAP:-dev}", validate_only: "${V:-false}"}
            """, environment: [:])
        #expect(ConfigLoader.developmentSettings(config).map(\.path) == ["store.seal_key", "destinations[0].access_token"])
    }

    @Test("loopback addresses", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("[::1]", true), ("::ffff:127.0.0.1", true),
        ("0.0.0.0", false), ("::", false), ("10.0.0.1", false), ("128.0.0.1", false), ("example.com", false), ("127.0.0.256", false),
        ("127.0.0", false), ("", false),
    ])
    func loopback(host: String, loopback: Bool) {
        #expect(ServerConfig.isLoopback(host) == loopback)
    }

    @Test("an admin listener off loopback makes the configuration exposed")
    func exposedAdmin() throws {
        let config = try ConfigLoader.parse(
            """
            server: {host: 127.0.0.1, admin: {host: 0.0.0.0, port: 9090}}
            store: {path: x.sqlite, ephemeral_seal_key: true}
            """, environment: [:])
        #expect(config.server.isExposed)
        let local = try ConfigLoader.parse(
            """
            server: {admin: {port: 9090}}
            store: {path: x.sqlite, ephemeral_seal_key: true}
            """, environment: [:])
        #expect(local.server.admin?.host == "127.0.0.1")
        #expect(!local.server.isExposed)
    }
}
