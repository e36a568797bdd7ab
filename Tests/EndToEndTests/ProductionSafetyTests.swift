import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `capi-bridge serve` on the repository's default `config/bridge.yaml` with
/// no environment: fine on loopback, refused off it unless `--dev`.
@Suite("The real process refuses development settings off loopback", .serialized)
struct ProductionSafetyTests {
    /// The key paths of `config/bridge.yaml` that hold development values when no variable is set.
    static let developmentKeys = [
        "server.admin_token", "sources[0].secrets[0]", "sources[1].secrets[0]", "sources[2].secrets[0]", "sources[3].secrets[0]",
        "events_api.tokens[0]", "store.seal_key", "audit.digest_key",
    ]
    static var defaultConfig: String { BridgeCommand.repositoryRoot.appendingPathComponent("config/bridge.yaml").path }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("serve --host 0.0.0.0 on the default configuration exits 2 with one line per development key, and never listens")
    func refusesOffLoopback() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await BridgeCommand.run(["serve", "--config", Self.defaultConfig, "--host", "0.0.0.0", "--port", "0"], in: directory)
        #expect(run.status == 2)
        let lines = run.standardError.split(separator: "\n")
        for key in Self.developmentKeys {
            #expect(lines.filter { $0.contains(key + ":") }.count == 1, "one line for \(key) in:\n\(run.standardError)")
        }
        #expect(lines.first?.contains("0.0.0.0") == true)
        #expect(!run.standardError.contains("\"listening\""))
        // The refusal names variables, never the development values printed in the file.
        #expect(!run.standardError.contains("dev-admin-token"))
        #expect(!run.standardError.contains("shpss_"))
        // Nothing was opened or written.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path))
    }

    @Test("serve --host 0.0.0.0 --dev starts, logs one warning per development key, and accepts a webhook")
    func devFlagStarts() async throws {
        let text = try String(contentsOfFile: Self.defaultConfig, encoding: .utf8)
        let bridge = try await BridgeProcess(arguments: ["--host", "0.0.0.0", "--port", "0", "--dev"], environment: ["CAPI_SEAL_KEY": ""]) { _, _ in text }
        defer { bridge.cleanUp() }
        let warnings = bridge.logs("development setting in use")
        #expect(warnings.compactMap { $0["config.key"]?.stringValue } == Self.developmentKeys)
        #expect(warnings.allSatisfy { $0["level"]?.stringValue == "warning" })
        #expect(!bridge.logLines.contains { $0.contains("dev-admin-token") })
        // The README's curl example: Shopify's fixture with the HMAC printed in the repository.
        let fixture = try Data(contentsOf: BridgeCommand.repositoryRoot.appendingPathComponent("fixtures/sources/shopify/orders-create.json"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/v1/webhooks/shop")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Shopify-Topic", value: "orders/create")
        request.headers.add(name: "X-Shopify-Shop-Domain", value: "northwind-outfitters.myshopify.com")
        request.headers.add(name: "X-Shopify-Webhook-Id", value: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
        request.headers.add(name: "X-Shopify-Hmac-Sha256", value: "c+7S6VzqoqxTjPZZolFASvsTVtGlunstSPII+VKRE1Q=")
        request.body = .bytes(ByteBuffer(bytes: Array(fixture)))
        let status = try await client.execute(request, timeout: .seconds(10)).status.code
        try await client.shutdown()
        #expect(status == 202)
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }

    @Test("serve on loopback with the default configuration starts and warns, as the README shows")
    func loopbackStarts() async throws {
        let text = try String(contentsOfFile: Self.defaultConfig, encoding: .utf8)
        let bridge = try await BridgeProcess(arguments: ["--port", "0"], environment: ["CAPI_SEAL_KEY": ""]) { _, _ in text }
        defer { bridge.cleanUp() }
        #expect(bridge.logs("development setting in use").count == Self.developmentKeys.count)
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }

    @Test("check-config reports the same development keys for a non-loopback host, and only notes them on loopback")
    func checkConfig() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let exposed = try await BridgeCommand.run(["check-config", Self.defaultConfig, "--host", "0.0.0.0"], in: directory)
        #expect(exposed.status == 1)
        for key in Self.developmentKeys {
            #expect(exposed.standardError.split(separator: "\n").filter { $0.contains(key + ":") }.count == 1)
        }
        let local = try await BridgeCommand.run(["check-config", Self.defaultConfig], in: directory)
        #expect(local.status == 0)
        #expect(local.standardOutput.contains("OK"))
        #expect(local.standardError.contains("audit.digest_key"))
        let allowed = try await BridgeCommand.run(["check-config", Self.defaultConfig, "--host", "0.0.0.0", "--dev"], in: directory)
        #expect(allowed.status == 0)
    }

    @Test("check-config lists every problem of a broken file in one run, structural ones included, and names no value")
    func checkConfigEveryProblem() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.yaml")
        try """
            server: {port: seventy, max_connections: 0}
            store: {seal_key: not-base64-secret-value, colour: blue}
            sources: [{name: shop, kind: shopify}]
            events_api: {tokens: "${UNSET_TOKEN}"}
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await BridgeCommand.run(["check-config", file.path], in: directory)
        #expect(result.status == 1)
        for path in ["server.port:", "server.max_connections:", "store.seal_key:", "store.colour:", "sources[0].secrets:", "events_api.tokens:"] {
            #expect(result.standardError.contains(path), "\(path) in \(result.standardError)")
        }
        #expect(!result.standardError.contains("not-base64-secret-value"))
    }

    @Test("serve --host 0.0.0.0 with production values for every variable starts")
    func productionStarts() async throws {
        let environment = [
            "CAPI_ADMIN_TOKEN": String(repeating: "a", count: 40), "CAPI_EVENTS_TOKEN": String(repeating: "e", count: 40),
            "CAPI_AUDIT_KEY": IdentifierSealer.generateKey(), "SHOPIFY_SECRET": "shpss_production-secret",
            "STRIPE_WEBHOOK_SECRET": "whsec_production", "WOOCOMMERCE_SECRET": "production-secret",
            "BACKEND_WEBHOOK_SECRET": BridgeProcess.standardSecret,
        ]
        let text = try String(contentsOfFile: Self.defaultConfig, encoding: .utf8)
        let bridge = try await BridgeProcess(arguments: ["--host", "0.0.0.0", "--port", "0"], environment: environment) { _, _ in text }
        defer { bridge.cleanUp() }
        #expect(bridge.logs("development setting in use").isEmpty)
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }
}
