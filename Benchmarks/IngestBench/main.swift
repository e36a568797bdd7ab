// IngestBench: load generator and no-op baseline server for the ingest
// benchmark (scripts/bench-ingest.sh). Not part of the bridge.
//
//   IngestBench noop --port P
//   IngestBench load --port P [--path /v1/webhooks/backend] [--concurrency 64]
//                    [--seconds 20] [--rate 0] [--secret whsec_...]
//
// `load` keeps `concurrency` keep-alive HTTP/1.1 connections busy with
// unique, signed Standard Webhooks events (each with its own webhook-id and
// event_id) and prints one JSON line: requests, per-status counts, requests
// per second, latency percentiles in milliseconds. With --rate R it paces the
// connections to R requests per second in total.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

switch arguments.first {
case "noop":
    try await NoopServer.run(port: Int(option("port", "18080")) ?? 18080)
case "load":
    let settings = LoadSettings(
        port: Int(option("port", "18080")) ?? 18080,
        path: option("path", "/v1/webhooks/backend"),
        concurrency: Int(option("concurrency", "64")) ?? 64,
        seconds: Double(option("seconds", "20")) ?? 20,
        rate: Double(option("rate", "0")) ?? 0,
        secret: option("secret", "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="),
        runID: option("run-id", String(UInt32.random(in: 0...UInt32.max), radix: 36)))
    let report = try await LoadGenerator(settings: settings).run()
    print(report)
default:
    FileHandle.standardError.write(Data("usage: IngestBench noop --port P | load --port P [--concurrency N] [--seconds S] [--rate R]\n".utf8))
    exit(2)
}
