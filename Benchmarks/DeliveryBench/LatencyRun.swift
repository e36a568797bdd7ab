import BridgeCore
import BridgeMocks
import BridgeServer
import BridgeStore
import Foundation
import GRDB
import Hummingbird
import Logging
import ServiceLifecycle

/// End-to-end latency (webhook received → mock acknowledged) at a paced rate.
struct LatencyRun {
    let rate: Int
    let seconds: Int

    func run() async throws -> String {
        let bench = try await BenchBridge(concurrency: 4)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(bench.runtime.components, host: "127.0.0.1", port: 0, logger: logger) { continuation.yield($0) }
        let group = bench.runtime.serviceGroup(app: app, logger: logger, signals: [])
        var report = ""
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            // Drive it with IngestBench (next to this executable) at the given rate.
            let loader = Process()
            loader.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("IngestBench")
            loader.arguments = ["load", "--port", String(port), "--concurrency", "32", "--seconds", String(seconds), "--rate", String(rate)]
            let output = Pipe()
            loader.standardOutput = output
            try loader.run()
            loader.waitUntilExit()
            let load = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            // Let the queue drain (the tail of the run), then read latencies from the store.
            for _ in 0..<100 {
                let stats = try await bench.store.queueStats(now: Timestamp.now())
                if stats.values.allSatisfy({ $0.pending == 0 && $0.unprepared == 0 }) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let latencies = try await bench.store.deliveryLatencies()
            func percentile(_ p: Double) -> Double {
                latencies.isEmpty ? 0 : Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1000
            }
            report = String(
                format: "{\"rate\":%d,\"seconds\":%d,\"delivered\":%d,\"p50_s\":%.3f,\"p95_s\":%.3f,\"p99_s\":%.3f,\"max_s\":%.3f,\"load\":%@}",
                rate, seconds, latencies.count, percentile(0.5), percentile(0.95), percentile(0.99), percentile(1.0), load)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await bench.cleanUp()
        return report
    }
}

extension SQLiteStore {
    /// Received → acknowledged, in milliseconds, sorted.
    func deliveryLatencies() async throws -> [Int64] {
        try await deliveryLatencyMilliseconds()
    }
}
