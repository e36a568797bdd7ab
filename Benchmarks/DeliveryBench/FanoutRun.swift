import BridgeCore
import BridgeMocks
import BridgePipeline
import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle

/// One sale fanned out to every platform destination at a paced rate: the
/// end-to-end p95 per destination and the bridge's CPU time per sale.
///
/// The mocks run in a child process (`DeliveryBench mocks`) and the load
/// generator in another (`IngestBench load`), so this process's CPU time
/// (`getrusage`) is the bridge's alone: HTTP ingest, the SQLite store,
/// preparation for every destination, delivery and the audit log. The
/// baseline, measured in the same run with the same load and mocks, is the
/// same bridge with the Meta destination only.
struct FanoutRun {
    let rate: Int
    let seconds: Int
    /// Skips the baseline (profiling the fan-out alone).
    var skipBaseline = false

    func run() async throws -> String {
        let mocks = try MockProcess.start()
        defer { mocks.stop() }
        let baseline = skipBaseline
            ? Measurement(sales: 0, cpuPerSale: 0, perDestination: [], load: "{}", other: [:])
            : try await measure(kinds: ["meta"], urls: mocks.urls)
        let fanout = try await measure(kinds: MockFleet.platformKinds, urls: mocks.urls)
        let ratio = baseline.cpuPerSale > 0 ? fanout.cpuPerSale / baseline.cpuPerSale : 0
        return "{\"rate\":\(rate),\"seconds\":\(seconds),\"baseline\":\(baseline.json),\"fanout\":\(fanout.json),\"cpu_ratio\":\(String(format: "%.2f", ratio))}"
    }

    struct Measurement {
        var sales: Int
        var cpuPerSale: Double
        var perDestination: [(name: String, delivered: Int, p50: Double, p95: Double, p99: Double, max: Double)]
        var load: String
        var other: [String: Int]

        var json: String {
            let destinations = perDestination.map {
                String(
                    format: "{\"name\":\"%@\",\"delivered\":%d,\"p50_s\":%.3f,\"p95_s\":%.3f,\"p99_s\":%.3f,\"max_s\":%.3f}", $0.name, $0.delivered, $0.p50,
                    $0.p95, $0.p99, $0.max)
            }
            let states = other.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
            return String(format: "{\"sales\":%d,\"cpu_ms_per_sale\":%.3f,", sales, cpuPerSale * 1000)
                + "\"destinations\":[\(destinations.joined(separator: ","))],\"not_delivered\":{\(states)},\"load\":\(load)}"
        }
    }

    /// GA4 sends one request per buyer: 8 workers of 25 concurrent requests
    /// (the others send a whole batch per request and need 4).
    static let ga4Tuning = "max_wait_ms: 200, concurrency: 8"

    func measure(kinds: [String], urls: [String: String]) async throws -> Measurement {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-bench-fanout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = """
            store: {path: \(directory.path)/outbox.sqlite, seal_key: "\(BenchBridge.sealKey)"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="]}
            destinations:
            \(MockFleet.destinationsYAML(kinds: kinds.filter { $0 != "ga4" }, baseURLs: urls, extra: "max_wait_ms: 200, concurrency: 4", indent: "  "))
            \(MockFleet.destinationsYAML(kinds: kinds.filter { $0 == "ga4" }, baseURLs: urls, extra: Self.ga4Tuning, indent: "  "))
            audit: {dir: \(directory.path)/audit, digest_key: bench}
            logging: {level: warning}
            """
        let config = try ConfigLoader.parse(yaml, environment: [:])
        let store = try SQLiteStore(path: config.store.path)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let runtime = try BridgeRuntime.make(
            config: config, store: store, sealer: try IdentifierSealer(base64Key: BenchBridge.sealKey), metricsFactory: NOOPMetricsHandler.instance,
            registry: nil, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(runtime.components, host: "127.0.0.1", port: 0, logger: logger) { continuation.yield($0) }
        let group = runtime.serviceGroup(app: app, logger: logger, signals: [])
        var result: Measurement?
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            let cpuBefore = CPUTime.process()
            let load = try IngestLoad.run(port: port, rate: rate, seconds: seconds)
            // Let the queues drain, then read latencies from the store.
            for _ in 0..<6000 {
                let stats = try await store.queueStats(now: Timestamp.now())
                if stats.values.allSatisfy({ $0.pending == 0 && $0.unprepared == 0 }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let cpu = CPUTime.process() - cpuBefore
            let latencies = try await store.deliveryLatencyMillisecondsByDestination()
            let summary = try await store.deliverySummary()
            var other: [String: Int] = [:]
            for row in summary where row.state != "delivered" { other["\(row.destination)/\(row.state)/\(row.reason)", default: 0] += row.count }
            let statuses = (try? JSONSerialization.jsonObject(with: Data(load.utf8)) as? [String: Any])?["statuses"] as? [String: Any] ?? [:]
            let sales = statuses.filter { $0.key.hasPrefix("2") }.compactMap { $0.value as? Int }.reduce(0, +)
            result = Measurement(
                sales: sales, cpuPerSale: sales > 0 ? cpu / Double(sales) : 0,
                perDestination: latencies.keys.sorted().map { name in
                    let values = latencies[name] ?? []
                    func percentile(_ p: Double) -> Double {
                        values.isEmpty ? 0 : Double(values[min(values.count - 1, Int(Double(values.count) * p))]) / 1000
                    }
                    return (name, values.count, percentile(0.5), percentile(0.95), percentile(0.99), percentile(1.0))
                },
                load: load, other: other)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await runtime.shutdown()
        guard let result else { throw BenchError("the bridge did not start") }
        return result
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// User plus system CPU seconds of this process.
enum CPUTime {
    static func process() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// `IngestBench load` (next to this executable) at a paced rate; its JSON report.
enum IngestLoad {
    static func run(port: Int, rate: Int, seconds: Int) throws -> String {
        let loader = Process()
        loader.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("IngestBench")
        loader.arguments = ["load", "--port", String(port), "--concurrency", "32", "--seconds", String(seconds), "--rate", String(rate)]
        let output = Pipe()
        loader.standardOutput = output
        try loader.run()
        loader.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The mock fleet in a child process (`DeliveryBench mocks`): it prints the
/// base URLs as one JSON line and serves until its standard input closes.
final class MockProcess {
    let process: Process
    let input: Pipe
    let urls: [String: String]

    static func start() throws -> MockProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["mocks"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let urls = try JSONSerialization.jsonObject(with: line) as? [String: String] else {
            throw BenchError("the mock process did not report its ports")
        }
        return MockProcess(process: process, input: input, urls: urls)
    }

    private init(process: Process, input: Pipe, urls: [String: String]) {
        self.process = process
        self.input = input
        self.urls = urls
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The child's side: starts the fleet, prints its URLs, waits for EOF on stdin.
    static func serve() async throws {
        let fleet = try await MockFleet.start(.benchmark)
        let json = try JSONSerialization.data(withJSONObject: fleet.baseURLs, options: [.sortedKeys])
        FileHandle.standardOutput.write(json + Data("\n".utf8))
        await Task.detached { _ = FileHandle.standardInput.readDataToEndOfFile() }.value
        await fleet.stop()
    }
}
