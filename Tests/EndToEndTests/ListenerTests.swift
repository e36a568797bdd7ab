import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// Native TLS and the separate admin listener, against the real
/// `capi-bridge serve` process over loopback.
@Suite("The real process's listeners", .serialized)
struct ListenerTests {
    /// A self-signed certificate for 127.0.0.1, made with `openssl` in `directory`.
    static func makeCertificate(in directory: URL) throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw ListenerTestError.openssl(openssl.terminationStatus) }
        return (certificate, key)
    }

    static func client(tls: TLSConfiguration) -> HTTPClient {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    @Test("a webhook over HTTPS to the TLS listener is accepted; a TLS 1.1 client is refused")
    func tlsListener() async throws {
        let certificates = FileManager.default.temporaryDirectory.appendingPathComponent("capi-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: certificates) }
        let (certificate, key) = try Self.makeCertificate(in: certificates)
        let bridge = try await BridgeProcess { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0, idle_timeout_seconds: 2, tls: {certificate: \(certificate), key: \(key)}}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            audit: {dir: \(directory.path)/audit}
            """
        }
        defer { bridge.cleanUp() }
        #expect(bridge.logs("listening").first?["server.tls"]?.stringValue == "true")
        let trusted = try NIOSSLCertificate.fromPEMFile(certificate)
        // Given a client that trusts the test certificate and verifies the host
        var modern = TLSConfiguration.makeClientConfiguration()
        modern.trustRoots = .certificates(trusted)
        let https = Self.client(tls: modern)
        let webhook = try await SignedWebhook.post(baseURL: "https://127.0.0.1:\(bridge.port)", eventID: "sale:tls:1", client: https)
        try await https.shutdown()
        #expect(webhook.status == 202)
        // When a client offers nothing newer than TLS 1.1
        var legacy = modern
        legacy.minimumTLSVersion = .tlsv1
        legacy.maximumTLSVersion = .tlsv11
        let old = Self.client(tls: legacy)
        // Then the server answers its hello with a protocol_version alert
        // (the client keeps retrying until its connect timeout, then reports it)
        do {
            _ = try await SignedWebhook.post(baseURL: "https://127.0.0.1:\(bridge.port)", eventID: "sale:tls:2", client: old)
            Issue.record("a TLS 1.1 client was served")
        } catch let error as NIOSSLError {
            guard case .handshakeFailed = error else { throw error }
            #expect(String(describing: error).contains("PROTOCOL_VERSION"), "\(error)")
        }
        try await old.shutdown()
        // And plain HTTP on the TLS port is not served
        let plain = HTTPClient(eventLoopGroupProvider: .singleton)
        await #expect(throws: HTTPClientError.remoteConnectionClosed) {
            _ = try await SignedWebhook.post(baseURL: "http://127.0.0.1:\(bridge.port)", eventID: "sale:tls:3", client: plain)
        }
        try await plain.shutdown()
        #if os(Linux)
        // And a handshake that never completes is closed by the idle timeout
        let stalled = try SlowClient(port: bridge.port, request: "\u{16}\u{03}\u{01}")
        let started = ContinuousClock.now
        while !stalled.isClosed, ContinuousClock.now - started < .seconds(15) {
            stalled.trickle()
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(stalled.isClosed)
        #endif
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }

    @Test("with server.admin, admin routes and metrics answer only on the admin listener, behind their tokens")
    func adminListener() async throws {
        let adminToken = String(repeating: "a", count: 32)
        let previousToken = String(repeating: "p", count: 32)
        let metricsToken = String(repeating: "m", count: 32)
        let bridge = try await BridgeProcess { directory, storePath in
            """
            server:
              host: 127.0.0.1
              port: 0
              admin_tokens: [\(adminToken), \(previousToken)]
              metrics_token: \(metricsToken)
              admin: {port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            audit: {dir: \(directory.path)/audit}
            """
        }
        defer { bridge.cleanUp() }
        let adminPort = try await bridge.adminPort()
        #expect(adminPort != bridge.port)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func get(_ port: Int, _ path: String, token: String? = nil) async throws -> UInt {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response.status.code
        }
        // The public listener: webhooks and health, no admin route, no metrics
        let webhook = try await SignedWebhook.post(baseURL: "http://127.0.0.1:\(bridge.port)", eventID: "sale:admin:1", client: client)
        #expect(webhook.status == 202)
        #expect(try await get(bridge.port, "/healthz") == 200)
        #expect(try await get(bridge.port, "/v1/dead-letters", token: adminToken) == 404)
        #expect(try await get(bridge.port, "/metrics", token: metricsToken) == 404)
        // A webhook-id longer than 256 bytes is refused as a problem
        let long = try await SignedWebhook.post(
            baseURL: "http://127.0.0.1:\(bridge.port)", eventID: "sale:admin:2", webhookID: String(repeating: "w", count: 300), client: client)
        #expect(long.status == 400)
        #expect(long.body.contains("urn:capi-bridge:problem:key-too-long"))
        // The admin listener: current and previous admin tokens; metrics behind its own token
        #expect(try await get(adminPort, "/v1/dead-letters") == 401)
        #expect(try await get(adminPort, "/v1/dead-letters", token: adminToken) == 200)
        #expect(try await get(adminPort, "/v1/dead-letters", token: previousToken) == 200)
        #expect(try await get(adminPort, "/metrics") == 401)
        #expect(try await get(adminPort, "/metrics", token: adminToken) == 401)
        #expect(try await get(adminPort, "/metrics", token: metricsToken) == 200)
        #expect(try await get(adminPort, "/readyz") == 200)
        let ingestOnAdmin = try await SignedWebhook.post(baseURL: "http://127.0.0.1:\(adminPort)", eventID: "sale:admin:3", client: client)
        #expect(ingestOnAdmin.status == 404)
        try await client.shutdown()
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }
}

enum ListenerTestError: Error {
    case openssl(Int32)
}
