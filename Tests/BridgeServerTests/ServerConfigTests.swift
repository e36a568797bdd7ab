import BridgeCore
import BridgeServer
import Foundation
import Testing

@Suite("Server options")
struct ServerConfigTests {
    static let root = ExampleConfigTests.root

    @Test("defaults bound every connection: 30 s idle and body timeouts, 1,024 connections, 16 KiB of headers, 30 s to shut down")
    func defaults() throws {
        let config = try ConfigLoader.parse("store: {path: x.sqlite, ephemeral_seal_key: true}", environment: [:])
        let server = config.server
        #expect(server.idleTimeoutSeconds == 30)
        #expect(server.bodyTimeoutSeconds == 30)
        #expect(server.maxConnections == 1024)
        #expect(server.maxHeaderBytes == 16_384)
        #expect(server.shutdownTimeoutSeconds == 30)
        #expect(server.admin == nil)
        #expect(server.tls == nil)
        #expect(server.adminTokens.isEmpty && server.metricsTokens.isEmpty)
    }

    @Test("every server option is read from the file")
    func readsOptions() throws {
        let config = try ConfigLoader.parse(
            """
            server:
              admin_tokens: [current-token, "", previous-token]
              metrics_token: [metrics-token]
              idle_timeout_seconds: 5.5
              body_timeout_seconds: 10
              max_connections: 64
              max_header_bytes: 8192
              shutdown_timeout_seconds: 2
              admin: {host: 10.0.0.5, port: 9000}
            store: {path: x.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: single-token}
            """, environment: [:])
        let server = config.server
        #expect(server.adminTokens == ["current-token", "previous-token"])
        #expect(server.metricsTokens == ["metrics-token"])
        #expect(server.idleTimeoutSeconds == 5.5)
        #expect(server.bodyTimeoutSeconds == 10)
        #expect(server.maxConnections == 64)
        #expect(server.maxHeaderBytes == 8192)
        #expect(server.shutdownTimeoutSeconds == 2)
        #expect(server.admin?.host == "10.0.0.5")
        #expect(server.admin?.port == 9000)
        #expect(config.eventsAPI.tokens == ["single-token"])
    }

    @Test("server options out of range are reported at their key paths")
    func serverRanges() throws {
        let text = """
            server:
              port: 8080
              idle_timeout_seconds: 0
              body_timeout_seconds: 7200
              shutdown_timeout_seconds: -1
              max_connections: 0
              max_header_bytes: 100
              admin: {port: 8080}
              tls: {certificate: /nonexistent/cert.pem, key: /nonexistent/key.pem}
            store: {path: x.sqlite, ephemeral_seal_key: true}
            """
        do throws(ConfigError) {
            _ = try ConfigLoader.parse(text, environment: [:])
            Issue.record("expected problems")
        } catch {
            #expect(
                error.problems.map(\.path) == [
                    "server.idle_timeout_seconds", "server.body_timeout_seconds", "server.shutdown_timeout_seconds", "server.max_connections",
                    "server.max_header_bytes", "server.admin.port", "server.tls.certificate",
                ])
        }
    }

    @Test("admin_token and admin_tokens together are refused")
    func bothAdminKeys() throws {
        let text = """
            server: {admin_token: a, admin_tokens: [b]}
            store: {path: x.sqlite, ephemeral_seal_key: true}
            """
        do throws(ConfigError) {
            _ = try ConfigLoader.parse(text, environment: [:])
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.map(\.path) == ["server.admin_tokens"])
        }
    }

    @Test("the example configuration documents every server option")
    func exampleDocumentsServerOptions() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("config/bridge.example.yaml"), encoding: .utf8)
        for key in [
            "admin_token:", "admin_tokens:", "metrics_token:", "idle_timeout_seconds:", "body_timeout_seconds:", "max_connections:",
            "max_header_bytes:", "shutdown_timeout_seconds:", "admin:", "tls:", "certificate:", "key:",
        ] {
            #expect(text.contains(key), "config/bridge.example.yaml does not mention \(key)")
        }
    }
}
