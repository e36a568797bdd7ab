import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeStore
import Foundation
import Testing

/// Seal keys rotate without losing anything: what `capi-bridge serve`
/// sealed under key A is re-sealed under key B by `capi-bridge keys rotate`,
/// then a restarted `serve` delivers it and `capi-bridge erase` still finds it.
@Suite("The real process: seal key rotation", .serialized)
struct KeyRotationTests {
    static func yaml(storePath: String, directory: URL, ring: String, hookURL: String) -> String {
        """
        server: {host: 127.0.0.1, port: 0}
        store:
          path: \(storePath)
          seal_keys: \(ring)
        sources:
          - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
        consent:
          default: {default_region: US}
        destinations:
          - {name: hook, kind: webhook, url: "\(hookURL)", secret: "\(BridgeProcess.standardSecret)", max_wait_ms: 50, retry_base_ms: 100, retry_cap_seconds: 1}
        audit: {dir: \(directory.path)/audit, digest_key: e2e-audit-key}
        logging: {level: info}
        """
    }

    static func now() -> Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    @Test("identifiers sealed under key A, keys rotate to B, restart: the events are delivered and erased")
    func rotateDeliverErase() async throws {
        let keys = ["SEAL_A": IdentifierSealer.generateKey(), "SEAL_B": IdentifierSealer.generateKey()]
        let onlyA = #"[{id: a, key: "${SEAL_A}"}]"#
        let rotated = #"[{id: b, key: "${SEAL_B}"}, {id: a, key: "${SEAL_A}"}]"#
        let receiver = try await MockRedirectServer.start()
        // Given a bridge sealing with key A whose destination is down: three events wait, prepared, their clear fields sealed
        let first = try await BridgeProcess(environment: keys) { directory, storePath in
            Self.yaml(storePath: storePath, directory: directory, ring: onlyA, hookURL: "http://127.0.0.1:1/hooks")
        }
        let directory = first.directory
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        for index in 0..<3 {
            let body = BridgeProcess.purchase("sale:rotate:\(index)", email: "rotate.buyer\(index)@example.com", ip: "198.51.100.\(10 + index)")
            #expect(try await first.postSigned(body, id: "msg_rotate_\(index)", client: client) == 202)
        }
        try await client.shutdown()
        let prepared = try await BridgeProcess.wait {
            let store = try SQLiteStore(path: first.storePath)
            let stats = try await store.queueStats(now: Self.now())
            await store.close()
            return stats["hook"]?.pending == 3
        }
        #expect(prepared)
        #expect(try await first.stop(signal: SIGTERM) == 0)
        let header = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: keys["SEAL_B"] ?? "")]).currentHeader
        #expect(try await Self.stale(first.storePath, header: header) == 3, "the events' send contexts (their clear fields) are sealed under A")

        // When key B goes first in the ring and keys rotate runs, two rows per transaction
        let configPath = directory.appendingPathComponent("rotate.yaml").path
        try Self.yaml(storePath: first.storePath, directory: directory, ring: rotated, hookURL: receiver.baseURL + "/hooks")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let rotation = try CLIRun.run(["keys", "rotate", "--config", configPath, "--batch-size", "2"], environment: keys)
        #expect(rotation.status == 0, "\(rotation.standardError)")
        #expect(rotation.standardOutput.contains("events.client_sealed: 2/3 re-sealed"))
        #expect(rotation.standardOutput.contains("events.client_sealed: 3/3 re-sealed"))
        #expect(rotation.standardOutput.contains("done: 0 events' identifiers, 3 events' send contexts, 0 earlier deliveries' clear fields re-sealed"))
        #expect(rotation.standardOutput.contains("3 event(s) keep erasure keys made under an older key"))
        #expect(try await Self.stale(first.storePath, header: header) == 0)
        // And running it again finds nothing to do
        let again = try CLIRun.run(["keys", "rotate", "--config", configPath], environment: keys)
        #expect(again.status == 0 && again.standardOutput.contains("done: 0 events' identifiers, 0 events' send contexts, 0 earlier deliveries' clear fields re-sealed"), "\(again.standardError)")

        // Then a restarted bridge with the rotated ring delivers all three, clear fields intact
        let second = try await BridgeProcess(environment: keys, directory: directory) { directory, storePath in
            Self.yaml(storePath: storePath, directory: directory, ring: rotated, hookURL: receiver.baseURL + "/hooks")
        }
        defer { second.cleanUp() }
        let delivered = await BridgeProcess.wait {
            let bodies = receiver.requests.map { String(decoding: $0.body, as: UTF8.self) }
            return (0..<3).allSatisfy { index in bodies.contains { $0.contains("198.51.100.\(10 + index)") } }
        }
        #expect(delivered, "the receiver got \(receiver.requests.count) request(s)")
        // And erasure (a separate process, while the bridge runs) finds the event sealed under A
        let erase = try CLIRun.run(
            ["erase", "--config", directory.appendingPathComponent("bridge.yaml").path, "--email", "Rotate.Buyer1@example.com"], environment: keys)
        #expect(erase.status == 0, "\(erase.standardError)")
        #expect(erase.standardOutput.contains("erased 1 event(s)") && erase.standardOutput.contains("sale:rotate:1"), "\(erase.standardOutput)")
        let store = try SQLiteStore(path: second.storePath)
        let remaining = try await store.storedEvents(source: nil, limit: 10).map(\.eventID)
        await store.close()
        #expect(remaining == ["sale:rotate:0", "sale:rotate:2"])
        #expect(try await second.stop(signal: SIGTERM) == 0)
        #expect(!(first.logLines + second.logLines).contains { $0.contains("@example.com") || $0.contains("198.51.100.") })
        await receiver.stop()
    }

    /// Deliveries whose sealed clear fields are not under the key `header` names.
    static func stale(_ path: String, header: [UInt8]) async throws -> Int {
        let store = try SQLiteStore(path: path)
        let count = try await store.countStaleSealed(.eventContexts, currentHeader: header)
        await store.close()
        return count
    }
}
