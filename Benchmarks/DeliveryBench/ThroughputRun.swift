import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgePipeline
import BridgeServer
import BridgeSources
import BridgeStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Events per second forwarded from a pre-filled outbox, and the baseline.
struct ThroughputRun {
    let events: Int
    let concurrency: Int

    func run() async throws -> String {
        let bench = try await BenchBridge(concurrency: concurrency)
        // Fill the outbox (not timed): 200 requests of 1,000 events.
        let sealer = try IdentifierSealer(base64Key: BenchBridge.sealKey)
        let fillStart = ContinuousClock.now
        for chunk in stride(from: 0, to: events, by: 1000) {
            var records: [OutboxRecord] = []
            for i in chunk..<min(chunk + 1000, events) {
                let event = try ConversionEvent.decode(
                    canonical: BenchBridge.event("bench-\(i)"), source: "backend", schema: CanonicalEventSchema.compiled)
                records.append(OutboxRecord(IngestEvent(event: event), sealer: sealer))
            }
            _ = try await bench.store.ingest(IngestRequest(source: "backend", deliveryKeys: [], records: records, receivedAt: Timestamp.now()))
        }
        let fillSeconds = (ContinuousClock.now - fillStart).seconds
        if ProcessInfo.processInfo.environment["BENCH_PHASES"] != nil {
            // Diagnostic: each stage alone, sequentially.
            let p0 = ContinuousClock.now
            while try await bench.runtime.pipeline.prepare.prepareOnce() > 0 {}
            let prepareSeconds = (ContinuousClock.now - p0).seconds
            let d0 = ContinuousClock.now
            let worker = bench.runtime.pipeline.workers[0]
            while try await bench.store.deliveredCount() < events { _ = try await worker.deliverOnce(force: true) }
            let deliverSeconds = (ContinuousClock.now - d0).seconds
            await bench.cleanUp()
            return String(format: "{\"prepare_seconds\":%.2f,\"prepare_per_second\":%.0f,\"deliver_seconds\":%.2f,\"deliver_per_second\":%.0f}",
                prepareSeconds, Double(events) / prepareSeconds, deliverSeconds, Double(events) / deliverSeconds)
        }
        // Run the pipeline until everything is acknowledged.
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = bench.runtime.pipeline.services.map { .init(service: $0) }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let start = ContinuousClock.now
        let rss0 = ResourceUsage.peakResidentMegabytes()
        var elapsed: Double = 0
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while true {
                try await Task.sleep(for: .milliseconds(200))
                if try await bench.store.deliveredCount() >= events { break }
                if ContinuousClock.now - start > .seconds(600) { break }
            }
            elapsed = (ContinuousClock.now - start).seconds
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let delivered = try await bench.store.deliveredCount()
        let requests = bench.mock.requestCount
        // Baseline: the same events straight to the mock, 1,000 per request, same concurrency.
        let baseline = try await baselineRate(url: bench.mock.baseURL)
        await bench.cleanUp()
        let rate = Double(delivered) / elapsed
        return String(
            format: "{\"events\":%d,\"delivered\":%d,\"seconds\":%.2f,\"events_per_second\":%.0f,\"requests\":%d,\"baseline_events_per_second\":%.0f,\"ratio\":%.3f,\"fill_seconds\":%.1f,\"peak_rss_mb\":%.1f}",
            events, delivered, elapsed, rate, requests, baseline, rate / baseline, fillSeconds, max(rss0, ResourceUsage.peakResidentMegabytes()))
    }

    /// Events per second when 1,000-event Meta requests are posted straight to
    /// the mock (no store, no bridge), `concurrency` at a time.
    func baselineRate(url: String) async throws -> Double {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let items = (0..<1000).map { BenchBridge.event("base-\($0)") }
        let body = JSONWriter.bytes(.object(["data": .array(items)]))
        let requestsPerWorker = max(1, events / 1000 / concurrency)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<concurrency {
                tasks.addTask {
                    for _ in 0..<requestsPerWorker {
                        var request = HTTPClientRequest(url: url + "/v26.0/123456789/events?access_token=bench-token")
                        request.method = .POST
                        request.headers.add(name: "content-type", value: "application/json")
                        request.body = .bytes(ByteBuffer(bytes: body))
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let seconds = (ContinuousClock.now - start).seconds
        try await client.shutdown()
        return Double(requestsPerWorker * concurrency * 1000) / seconds
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

enum ResourceUsage {
    /// The process's peak resident set (VmHWM) in megabytes.
    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}
