import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeStore
import Foundation
import Testing

/// `capi-bridge serve` never follows a redirect: a destination, an
/// enrichment provider and an OAuth token endpoint all answer 307 pointing at
/// a capture server, which must receive nothing.
@Suite("The real process: outbound redirects", .serialized)
struct OutboundRedirectTests {
    static let auditKey = "e2e-audit-key-0123456789"

    @Test("a destination, an enrichment provider and a token endpoint answering 307: the capture server receives nothing")
    func redirectsAreNotFollowed() async throws {
        let capture = try await MockRedirectServer.start()
        let redirect = try await MockRedirectServer.start(redirectingTo: capture.baseURL + "/captured")
        let bridge = try await BridgeProcess { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            consent:
              default: {default_region: US}
            destinations:
              - {name: hook, kind: webhook, url: "\(redirect.baseURL)/hooks", secret: "\(BridgeProcess.standardSecret)", max_wait_ms: 50, retry_base_ms: 100, retry_cap_seconds: 1}
            enrichment:
              providers:
                - {name: crm, kind: http, url: "\(redirect.baseURL)/lookup", lookup_keys: [email_sha256], map: {phone: /phone}}
                - name: vendor
                  kind: http
                  url: "\(redirect.baseURL)/vendor-lookup"
                  lookup_keys: [external_id]
                  map: {phone: /phone}
                  auth: {kind: oauth2_client_credentials, token_url: "\(redirect.baseURL)/token", client_id: bridge, client_secret: "vendor-secret-42"}
            audit:
              dir: \(directory.path)/audit
              digest_keys: [{id: "2026-05", key: "\(Self.auditKey)"}]
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        // Given a purchase with an e-mail, an external id and an IP address
        let status = try await bridge.postSigned(
            BridgeProcess.purchase("sale:redirect:1", email: "redirect.buyer@example.com", ip: "198.51.100.23"), id: "msg_redirect_1", client: client)
        try await client.shutdown()
        #expect(status == 202)
        // When the bridge has called the lookup, the token endpoint and the destination (which it retries)
        let paths = { Set(redirect.requests.map(\.path)) }
        let reached = await BridgeProcess.wait { paths().isSuperset(of: ["/lookup", "/token", "/hooks"]) && redirect.requests.filter { $0.path == "/hooks" }.count >= 2 }
        #expect(reached, "the redirecting server saw \(paths())")
        // Then nothing ever reached the location the 307s named
        try await Task.sleep(for: .milliseconds(300))
        #expect(capture.requests.count == 0, "the capture server was reached at \(capture.requests.map(\.path))")
        // And the destination's answer was classified as a retry with status 307, audited under the digest key's id
        let audit = try Self.auditLines(in: bridge.directory.appendingPathComponent("audit"))
        let hookEntries = audit.filter { $0["destination"]?.stringValue == "hook" }
        let answers = hookEntries.filter { $0["kind"] == .string("outcome") }
        let requests = hookEntries.filter { $0["kind"] == .string("attempt") }
        #expect(!answers.isEmpty && answers.allSatisfy { $0["response_status"] == .number("307") })
        #expect(!requests.isEmpty && requests.allSatisfy { $0["digest_key_id"] == .string("2026-05") })
        // And keys digest gives an auditor the digest the entries hold for the buyer's IP address
        let digest = try CLIRun.run(["keys", "digest", "--config", bridge.directory.appendingPathComponent("bridge.yaml").path, "198.51.100.23"], environment: ["CAPI_SEAL_KEY": bridge.sealKey])
        let line = digest.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
        #expect(digest.status == 0 && line.hasPrefix("2026-05\thmac-sha256:"), "\(digest.standardError)")
        let value = String(line.split(separator: "\t").last ?? "")
        #expect(hookEntries.contains { JSONWriter.string($0).contains(value) })
        try await bridge.stop(signal: SIGTERM)
        let store = try SQLiteStore(path: bridge.storePath)
        let stats = try await store.queueStats(now: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)))
        await store.close()
        #expect(stats["hook"]?.pending == 1, "the event waits for a retry: \(stats)")
        // And neither the buyer's e-mail nor the client secret appears in the logs
        #expect(!bridge.logLines.contains { $0.contains("redirect.buyer@example.com") || $0.contains("vendor-secret-42") })
        await redirect.stop()
        await capture.stop()
    }

    /// Every audit entry under `directory`, parsed.
    static func auditLines(in directory: URL) throws -> [JSONValue] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        return try names.flatMap { name in
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        }
    }
}
