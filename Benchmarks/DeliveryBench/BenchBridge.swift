import BridgeCore
import BridgeMocks
import BridgePipeline
import BridgeServer
import BridgeStore
import Foundation
import Logging
import Metrics

/// A bridge on a temporary SQLite store delivering to an in-process mock of
/// Meta that answers in 20 ms without validating (the benchmark measures the
/// bridge, not the mock).
struct BenchBridge {
    let directory: URL
    let store: SQLiteStore
    let mock: MockMetaServer
    let runtime: BridgeRuntime
    let config: BridgeConfig

    static let sealKey = IdentifierSealer.generateKey()

    init(concurrency: Int, port: Int = 0) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-bench-delivery-\(UUID().uuidString)")
        var options = MockMetaServer.Options()
        options.validate = false
        options.recordRequests = false
        options.responseDelay = .milliseconds(20)
        mock = try await MockMetaServer.start(options)
        let yaml = """
            server: {port: \(port)}
            store: {path: \(directory.path)/outbox.sqlite, seal_key: "\(BenchBridge.sealKey)"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="]}
            events_api: {tokens: [bench]}
            destinations:
              - {name: meta, kind: meta, pixel_id: "123456789", access_token: bench-token, base_url: "\(mock.baseURL)", concurrency: \(concurrency)}
            audit: {dir: \(directory.path)/audit, digest_key: bench}
            logging: {level: warning}
            """
        config = try ConfigLoader.parse(yaml, environment: [:])
        store = try SQLiteStore(path: config.store.path)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        runtime = try BridgeRuntime.make(
            config: config, store: store, sealer: try IdentifierSealer(base64Key: BenchBridge.sealKey), metricsFactory: NOOPMetricsHandler.instance,
            registry: nil, logger: logger)
    }

    func cleanUp() async {
        await runtime.shutdown()
        await mock.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A realistic canonical purchase, `ageSeconds` old.
    static func event(_ id: String, ageSeconds: Int64 = 60) -> JSONValue {
        let time = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) - ageSeconds * 1000)
        return .object([
            "event_id": .string(id), "event_name": .string("Purchase"), "event_time": .string(time.rfc3339), "order_id": .string(id),
            "value": .string("129.90"), "currency": .string("EUR"),
            "line_items": .array([
                .object(["id": .string("BK-1001"), "name": .string("Der Zauberberg"), "quantity": .number("1"), "unit_price": .string("34.00")]),
                .object(["id": .string("BK-2040"), "name": .string("Leselampe"), "quantity": .number("1"), "unit_price": .string("95.90")]),
            ]),
            "customer": .object([
                "email": .string("noah.schmidt+\(id.suffix(6))@example.de"), "phone": .string("+4917612345678"), "first_name": .string("Noah"),
                "last_name": .string("Schmidt"), "city": .string("Hamburg"), "postal_code": .string("20095"), "country": .string("DE"),
                "external_id": .string("cust_\(id.suffix(8))"),
            ]),
            "client": .object([
                "ip_address": .string("198.51.100.61"), "user_agent": .string("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/134.0"),
                "landing_url": .string("https://books.example.de/zauberberg?fbclid=IwZXh0bgNhZW0BMABhZGlk"),
                "click_ids": .object(["fbp": .string("fb.1.1773499990000.1122334455")]),
            ]),
            "consent": .object(["ad_user_data": .string("granted"), "ad_personalization": .string("granted")]),
        ])
    }
}

/// Delivered-event statistics straight from the store.
extension SQLiteStore {
    func deliveredCount() async throws -> Int {
        let rows = try await deliverySummary()
        return rows.filter { $0.state == "delivered" }.reduce(0) { $0 + $1.count }
    }
}
