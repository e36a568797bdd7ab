import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Every family `serve` exports on `/metrics` follows the Prometheus
/// conventions: `# HELP` and `# TYPE` lines, counters ending `_total`, no
/// milliseconds; the end-to-end latency histogram reaches 48 hours.
@Suite("The real process's /metrics follows the Prometheus conventions", .serialized)
struct MetricsConventionTests {
    /// One family of the exposition: its declared type and help, and the sample names seen.
    struct Family {
        var type: String?
        var help: String?
        var samples: Set<String> = []
    }

    /// The families of a Prometheus text exposition, by name.
    static func families(_ text: String) -> [String: Family] {
        var families: [String: Family] = [:]
        for line in text.split(separator: "\n").map(String.init) {
            let words = line.split(separator: " ", maxSplits: 3).map(String.init)
            if line.hasPrefix("# TYPE "), words.count >= 4 {
                families[words[2], default: Family()].type = words[3]
            } else if line.hasPrefix("# HELP "), words.count >= 4 {
                families[words[2], default: Family()].help = words[3]
            } else if !line.hasPrefix("#"), let sample = line.split(whereSeparator: { $0 == "{" || $0 == " " }).first {
                let name = String(sample)
                let family = ["_bucket", "_sum", "_count"].lazy.compactMap { suffix in
                    name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil
                }.first { families[$0]?.type == "histogram" } ?? name
                families[family, default: Family()].samples.insert(name)
            }
        }
        return families
    }

    @Test("after a webhook is delivered, every family on /metrics has HELP and TYPE, counters end _total, nothing is in ms, and end-to-end buckets reach 48 h")
    func lint() async throws {
        let bridge = try await BridgeProcess { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            consent:
              default: {default_region: US}
            destinations:
              - {name: sandbox, kind: sandbox, path: \(directory.path)/sandbox.jsonl, max_wait_ms: 100}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let body = BridgeProcess.purchase("sale:metrics:1", email: "metrics@example.com", ip: "203.0.113.9")
        #expect(try await bridge.postSigned(body, id: "msg_metrics_1", client: client) == 202)

        func scrape() async throws -> String {
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/metrics"), timeout: .seconds(10))
            return String(buffer: try await response.body.collect(upTo: 1 << 22))
        }
        var text = ""
        let delivered = try await BridgeProcess.wait {
            text = try await scrape()
            return text.contains("capi_bridge_end_to_end_seconds_count")
        }
        #expect(delivered, "\(text)")

        let families = Self.families(text)
        #expect(families.count > 10, "\(text)")
        for (name, family) in families {
            #expect(family.type != nil, "no # TYPE for \(name)")
            #expect(family.help?.isEmpty == false, "no # HELP for \(name)")
            #expect(!family.samples.isEmpty, "no sample for \(name)")
            #expect(name.hasPrefix("capi_bridge_"), "\(name) is outside the capi_bridge_ namespace")
            #expect(!name.contains("_ms") && !name.contains("millis"), "\(name) is not in base units")
            if family.type == "counter" { #expect(name.hasSuffix("_total"), "counter \(name) does not end _total") }
            if family.type != "counter" { #expect(!name.hasSuffix("_total"), "\(family.type ?? "?") \(name) ends _total") }
            if family.type == "histogram" { #expect(name.hasSuffix("_seconds"), "histogram \(name) is not in seconds") }
        }
        // Hummingbird's request metrics are exported under conventional names.
        #expect(families["capi_bridge_http_requests_total"]?.type == "counter", "\(families.keys.sorted())")
        #expect(families["capi_bridge_http_request_duration_seconds"]?.type == "histogram", "\(families.keys.sorted())")
        // The end-to-end histogram's last finite bucket is 48 hours.
        #expect(text.contains(#"capi_bridge_end_to_end_seconds_bucket{destination="sandbox",le="172800.0"}"#), "\(text)")
        #expect(!text.contains("metrics@example.com") && !text.contains("203.0.113.9"))
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }
}
