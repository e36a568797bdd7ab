// DeliveryBench: the delivery benchmark (scripts/bench-delivery.sh).
//
//   DeliveryBench throughput [--events 200000]
//       Fills an outbox with N events, then runs the pipeline (prepare +
//       deliver to an in-process mock of Meta answering in 20 ms) until all
//       are acknowledged; also measures a baseline in the same run: the same
//       number of events posted straight to the mock in 1,000-event batches
//       with the same concurrency, without the bridge.
//   DeliveryBench latency [--rate 2000] [--seconds 60]
//       Runs the whole bridge (HTTP ingest + pipeline) with the mock, drives it
//       with IngestBench at the given rate, and reports received → acknowledged
//       latency percentiles from the store.
//   DeliveryBench fanout [--rate 2000] [--seconds 60]
//       One sale fanned out to every platform destination (mocks in a child
//       process): p95 per destination and the bridge's CPU time per sale,
//       against the same bridge with Meta only.
//   DeliveryBench mocks
//       Serves the mock fleet (for `fanout`) until standard input closes.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

switch arguments.first {
case "throughput":
    print(try await ThroughputRun(events: Int(option("events", "200000")) ?? 200_000, concurrency: Int(option("concurrency", "4")) ?? 4).run())
case "latency":
    print(try await LatencyRun(rate: Int(option("rate", "2000")) ?? 2000, seconds: Int(option("seconds", "60")) ?? 60).run())
case "fanout":
    print(
        try await FanoutRun(
            rate: Int(option("rate", "2000")) ?? 2000, seconds: Int(option("seconds", "60")) ?? 60,
            skipBaseline: arguments.contains("--skip-baseline")
        ).run())
case "mocks":
    try await MockProcess.serve()
default:
    FileHandle.standardError.write(Data("usage: DeliveryBench throughput [--events N] | latency [--rate R] [--seconds S] | fanout [--rate R] [--seconds S]\n".utf8))
    exit(2)
}
