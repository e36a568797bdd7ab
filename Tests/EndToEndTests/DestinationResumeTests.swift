import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import Testing

@Suite("Resuming a paused destination in the real process", .serialized)
struct DestinationResumeTests {
    static func config(meta: MockMetaServer, token: String) -> (URL, String) -> String {
        { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            destinations:
              - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "\(token)", base_url: "\(meta.baseURL)", max_wait_ms: 20}
            audit: {dir: \(directory.path)/audit}
            logging: {level: info}
            """
        }
    }

    /// Posts purchase `i` and waits up to `timeout` for Meta to accept it.
    static func sell(_ i: Int, to bridge: BridgeProcess, meta: MockMetaServer, client: HTTPClient, timeout: Duration) async throws -> Bool {
        let (_, status) = try await DurabilityTests.post(i, body: CrashRecoveryTests.purchase(i, at: Date().addingTimeInterval(-60)), port: bridge.port, client: client)
        #expect(status == 202)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if meta.acceptedEventIDs.contains("sale:crash:\(i)") { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Waits until the bridge has paused `meta` (its report in the store says so).
    static func waitUntilPaused(_ bridge: BridgeProcess) async throws -> String {
        var output = ""
        for _ in 0..<100 {
            output = try await BridgeCommand.run(["destinations", "list", "--config", bridge.directory.appendingPathComponent("bridge.yaml").path], environment: ["CAPI_SEAL_KEY": bridge.sealKey], in: bridge.directory).output
            if output.contains("paused") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        return output
    }

    @Test("refused credentials pause the destination; after the platform side is fixed, destinations resume delivers without a restart")
    func resumeCommand() async throws {
        let meta = try await MockMetaServer.start()
        let bridge = try await BridgeProcess(config: Self.config(meta: meta, token: "meta-token"))
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        // Given the platform refuses the token once (the system user lost its permission)
        meta.script(.graphError(code: 190, subcode: 463, status: 401))
        #expect(try await Self.sell(1, to: bridge, meta: meta, client: client, timeout: .seconds(1)) == false)
        let paused = try await Self.waitUntilPaused(bridge)
        #expect(paused.contains("meta") && paused.contains("paused"), "\(paused)")
        // While paused, nothing more is sent
        #expect(try await Self.sell(2, to: bridge, meta: meta, client: client, timeout: .milliseconds(500)) == false)
        // When the operator resumes it (after fixing the permission)
        let resume = try await BridgeCommand.run(
            ["destinations", "resume", "meta", "--config", bridge.directory.appendingPathComponent("bridge.yaml").path],
            environment: ["CAPI_SEAL_KEY": bridge.sealKey], in: bridge.directory)
        #expect(resume.status == 0, "\(resume.output)")
        // Then the waiting purchase is delivered, without a restart
        let deadline = ContinuousClock.now + .seconds(10)
        while !meta.acceptedEventIDs.contains("sale:crash:2"), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(meta.acceptedEventIDs.contains("sale:crash:2"))
        #expect(bridge.process.isRunning)
        // And an unknown name is refused precisely
        let unknown = try await BridgeCommand.run(
            ["destinations", "resume", "tiktok", "--config", bridge.directory.appendingPathComponent("bridge.yaml").path],
            environment: ["CAPI_SEAL_KEY": bridge.sealKey], in: bridge.directory)
        #expect(unknown.status != 0)
        #expect(unknown.output.contains("no destination named 'tiktok'"))
        try await client.shutdown()
        await meta.stop()
    }

    @Test("a wrong token pauses the destination; the fixed token in the file and SIGHUP resume it without a restart")
    func reloadOnSIGHUP() async throws {
        var options = MockMetaServer.Options()
        options.accessToken = "the-right-token"
        let meta = try await MockMetaServer.start(options)
        let bridge = try await BridgeProcess(config: Self.config(meta: meta, token: "a-wrong-token"))
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        // Given a token the platform refuses
        #expect(try await Self.sell(1, to: bridge, meta: meta, client: client, timeout: .seconds(1)) == false)
        _ = try await Self.waitUntilPaused(bridge)
        // When the operator fixes the file and sends SIGHUP
        let file = bridge.directory.appendingPathComponent("bridge.yaml")
        let fixed = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "a-wrong-token", with: "the-right-token")
        try fixed.write(to: file, atomically: true, encoding: .utf8)
        kill(bridge.process.processIdentifier, SIGHUP)
        // Then the next purchase is delivered with the new token, by the same process
        #expect(try await Self.sell(2, to: bridge, meta: meta, client: client, timeout: .seconds(5)))
        #expect(bridge.process.isRunning)
        #expect(bridge.logLines.contains { $0.contains("configuration reloaded") })
        #expect(!bridge.logLines.contains { $0.contains("the-right-token") || $0.contains("a-wrong-token") })
        try await client.shutdown()
        await meta.stop()
    }
}
