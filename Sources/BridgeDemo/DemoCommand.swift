import ArgumentParser
import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// `capi-bridge demo`: the bridge end to end on a temporary store, with no
/// credentials: starts it on a free loopback port with in-process mocks of
/// every platform (`MockFleet`), posts every bundled fixture signed as its
/// sender signs it, posts them all again, and prints what happened.
///
/// It lives in its own target, BridgeDemo, the one target outside tests and
/// benchmarks that uses the mocks (BridgeMocks): the `serve` path
/// (BridgeServer, BridgePipeline, the stores and destinations) never depends
/// on them.
public struct DemoCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the bridge on a temporary store and post the bundled fixtures to it.")

    @Option(name: .long, help: "Directory holding the bundled source fixtures.")
    var fixtures = "fixtures/sources"

    @Option(name: .long, help: "Log level for the bridge while the demo runs.")
    var logLevel = "warning"

    public init() {}

    public func run() async throws {
        guard FileManager.default.fileExists(atPath: fixtures) else {
            throw DemoError("fixtures not found at \(fixtures); run the demo from the repository root or pass --fixtures DIR")
        }
        let level = Logger.Level.named(logLevel) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let logger = Logger(label: "capi-bridge.demo")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-bridge-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fleet = try await MockFleet.start(.demo)
        let config = try ConfigLoader.parse(DemoCommand.yaml(directory: directory.path, fleet: fleet.baseURLs), file: "<demo>", environment: [:])
        let store = try SQLiteStore(path: config.store.path)
        let runtime = try BridgeRuntime.make(
            config: config, store: store, sealer: IdentifierSealer.ephemeral(), metricsFactory: MetricsSystem.factory, registry: nil,
            logger: logger)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = buildApplication(runtime.components, host: "127.0.0.1", port: 0, logger: logger) { port in
            portContinuation.yield(port)
        }
        let group = runtime.serviceGroup(app: app, logger: logger, signals: [])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next() else { throw DemoError("the bridge did not start") }
            print(
                "capi-bridge demo: bridge on 127.0.0.1:\(port), temporary store, mock conversions APIs of "
                    + "\(MockFleet.allKinds.joined(separator: ", ")) on loopback, each checking requests as its platform documents\n")
            try await post(to: port)
            let settled = await waitForDelivery(store)
            try await DemoReport(store: store, fleet: fleet, config: config, settled: settled).print()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await runtime.shutdown()
        await fleet.stop()
    }

    /// Waits until nothing is left to prepare or deliver (at most 20 s).
    private func waitForDelivery(_ store: SQLiteStore) async -> Bool {
        for _ in 0..<200 {
            if let stats = try? await store.queueStats(now: Timestamp.now()),
                stats.values.allSatisfy({ $0.pending == 0 && $0.unprepared == 0 })
            {
                return true
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    private func post(to port: Int) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let now = Int64(Date().timeIntervalSince1970)
        // The fixtures are dated March 2026; move each one's latest instant to ten minutes ago.
        let recent = Timestamp(secondsSinceEpoch: now - 600)
        for round in ["first delivery", "redelivery (every webhook again)"] {
            print("== \(round)")
            print(pad("source", 9) + pad("fixture", 46) + pad("HTTP", 6) + "result")
            for fixture in SourceFixture.all {
                let original = try Array(Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + fixture.file)))
                let body = fixture.file.hasSuffix(".json") ? FixtureTimeShift.moveLatest(original, to: recent) : original
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/\(fixture.source)")
                request.method = .POST
                for (name, value) in fixture.signedHeaders(body: body, now: now, secrets: FixtureSecrets()) {
                    request.headers.add(name: name, value: value)
                }
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await client.execute(request, timeout: .seconds(10))
                let answer = try await response.body.collect(upTo: 1 << 20)
                print(pad(fixture.source, 9) + pad(fixture.file, 46) + pad(String(response.status.code), 6) + DemoCommand.summary(answer))
            }
            print("")
        }
    }

    /// One line saying what the bridge answered.
    static func summary(_ body: ByteBuffer) -> String {
        guard let json = try? JSONParser.parse(Array(body.readableBytesView)) else { return "(no JSON)" }
        if let type = json["type"]?.stringValue { return "problem \(type): \(json["detail"]?.stringValue ?? "")" }
        let status = json["status"]?.stringValue ?? "?"
        let ids = (json["events"]?.arrayValue ?? []).compactMap { event -> String? in
            guard let id = event["event_id"]?.stringValue else { return nil }
            return "\(id) (\(event["status"]?.stringValue ?? "?"))"
        }
        if let reason = json["reason"]?.stringValue, ids.isEmpty { return "\(status): \(reason)" }
        return ([status] + ids).joined(separator: " ")
    }

    static func yaml(directory: String, fleet: [String: String]) -> String {
        """
        store:
          path: \(directory)/bridge.sqlite
          ephemeral_seal_key: true
        sources:
          - {name: shop, kind: shopify, secrets: ["\(FixtureSecrets().shopify)"]}
          - {name: stripe, kind: stripe, secrets: ["\(FixtureSecrets().stripe)"]}
          - {name: woo, kind: woocommerce, secrets: ["\(FixtureSecrets().woocommerce)"]}
          - {name: backend, kind: standard-webhooks, secrets: ["\(FixtureSecrets().standardWebhooks)"]}
        consent:
          # Events without a country are treated as US traffic in the demo
          # (without this, the default policy suppresses them: region unknown).
          default: {default_region: US}
        destinations:
        \(MockFleet.destinationsYAML(kinds: MockFleet.allKinds, baseURLs: fleet, extra: "max_wait_ms: 200", indent: "  "))
          - {name: sandbox, kind: sandbox, path: \(directory)/sandbox.jsonl, max_wait_ms: 200}
        audit:
          dir: \(directory)/audit
          digest_key: demo-digest-key
        """
    }
}

/// `text` padded with spaces to `width` columns (at least one space after it).
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

/// Why the demo stopped, as one line on standard error.
struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
