import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeServer
import Foundation
import Testing
import _CryptoExtras

/// `config/bridge.example.yaml` is documentation operators copy: it must
/// load, and every destination in it must build, once its `${VAR}`s are set.
@Suite("The example configuration")
struct ExampleConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `${VAR}` the file names, set to a value of the right shape.
    static func environment(for text: String) throws -> [String: String] {
        var environment: [String: String] = [:]
        let pattern = try Regex(#"\$\{([A-Z0-9_]+)"#)
        for match in text.matches(of: pattern) {
            guard let name = match.output[1].substring.map(String.init) else { continue }
            environment[name] = "example-\(name.lowercased())"
        }
        environment["CAPI_SEAL_KEY"] = IdentifierSealer.generateKey()
        environment["CAPI_SEAL_KEY_PREVIOUS"] = IdentifierSealer.generateKey()
        environment["CAPI_CONSOLE_SESSION_KEY"] = IdentifierSealer.generateKey()
        environment["SNAP_VALIDATE_ONLY"] = "false"
        environment["SNAP_PIXEL_ID"] = "6f8d1c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f"
        environment["TIKTOK_PIXEL_CODE"] = "C0ABCDEF1234567890"
        environment["CAPI_ALERT_WEBHOOK"] = "https://hooks.example.com/alerts"
        environment["BACKEND_WEBHOOK_SECRET"] = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
        environment["WAREHOUSE_WEBHOOK_SECRET"] = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let serviceAccount: [String: String] = [
            "type": "service_account", "client_email": "bridge@example-project.iam.gserviceaccount.com",
            "private_key": key.pemRepresentation, "token_uri": "https://oauth2.googleapis.com/token",
        ]
        environment["GOOGLE_SERVICE_ACCOUNT_JSON"] = String(decoding: try JSONSerialization.data(withJSONObject: serviceAccount), as: UTF8.self)
        return environment
    }

    @Test("loads, and builds every destination it lists, one per platform")
    func loads() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("config/bridge.example.yaml"), encoding: .utf8)
        let config = try ConfigLoader.parse(text, file: "bridge.example.yaml", environment: try Self.environment(for: text))
        let routes = try PipelineFactory.routes(config)
        let kinds = Set(routes.map(\.0.destination.kind))
        #expect(kinds == Set(DestinationRegistry.kinds), "the example shows a block for every kind")
        #expect(config.store.sealKeys.map(\.id) == ["2026-05", "default"], "the example shows a seal key ring mid-rotation")
        #expect(config.audit.digestKeys.map(\.id) == ["2026-05", "default"])
    }

    @Test("an unset variable is named in the error")
    func unsetVariable() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("config/bridge.example.yaml"), encoding: .utf8)
        var environment = try Self.environment(for: text)
        environment["TIKTOK_ACCESS_TOKEN"] = nil
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, file: "bridge.example.yaml", environment: environment) }
        do {
            _ = try ConfigLoader.parse(text, file: "bridge.example.yaml", environment: environment)
        } catch {
            #expect(String(describing: error).contains("TIKTOK_ACCESS_TOKEN"))
        }
    }
}
