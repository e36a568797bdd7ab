import BridgeCore
import BridgeStore
import Foundation
import GRDB

// Match-quality report benchmark (issue 6): fills a SQLite store with N
// realistic deliveries (3 destinations, 3 event names, 7 days, payloads of
// ~600 bytes, states, consent reasons, identifier masks, enrichment), then
// times, in the same run and on the same file:
//   - baseline_count_ms: SELECT COUNT(*) FROM deliveries (SQLite's cheapest full count)
//   - baseline_scan_ms:  a full scan of the table rows (NOT INDEXED)
//   - tally_ms:          ReportStore.matchQualityTally over the whole window (the rollup)
//   - scan_tally_ms:     the same tally from a scan of the rows (matchQualityScanTally)
//   - report_ms:         tally + MatchQualityReport.build + all four renderings
// Usage: ReportBench [rows] [runs] [directory] [report.html]. Prints key=value
// lines; with a fourth argument, also writes the HTML report there. With
// REPORT_BENCH_KEEP=1 the store (directory/bench.sqlite) is kept.

let arguments = CommandLine.arguments
let rowCount = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let directory = arguments.count > 3 && !arguments[3].isEmpty
    ? arguments[3] : FileManager.default.temporaryDirectory.appendingPathComponent("capi-report-bench-\(getpid())").path
let htmlPath = arguments.count > 4 ? arguments[4] : nil
let path = directory + "/bench.sqlite"
try? FileManager.default.removeItem(atPath: directory)
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
// REPORT_BENCH_KEEP=1 leaves the filled store for scripts/bench-console.sh.
let keepStore = ProcessInfo.processInfo.environment["REPORT_BENCH_KEEP"] == "1"
defer { if !keepStore { try? FileManager.default.removeItem(atPath: directory) } }

/// SplitMix64: deterministic data for every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func milliseconds(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

// 1. Schema through the store's own migrations.
do { let store = try SQLiteStore(path: path); await store.close() }

// 2. Fill.
let now = Int64(Date().timeIntervalSince1970 * 1000)
let windowStart = now - 7 * 86_400_000
let destinations = ["meta", "tiktok", "sandbox"]
let bits: [String: [(IdentifierKey, Double)]] = [
    "meta": [
        (.email, 0.85), (.phone, 0.6), (.firstName, 0.8), (.lastName, 0.8), (.country, 0.9), (.postalCode, 0.7), (.city, 0.7),
        (.externalID, 0.5), (.ipAddress, 0.9), (.userAgent, 0.9), (.fbclid, 0.2), (.fbc, 0.25), (.fbp, 0.4),
    ],
    "tiktok": [(.email, 0.85), (.phone, 0.6), (.externalID, 0.5), (.ipAddress, 0.9), (.userAgent, 0.9), (.ttclid, 0.1)],
    "sandbox": [(.email, 0.85), (.phone, 0.6), (.firstName, 0.8), (.lastName, 0.8), (.ipAddress, 0.9), (.userAgent, 0.9)],
]
let reasons = ["unknown_region", "denied_consent_mode", "gpc_opt_out", "denied_tcf_purpose"]
let fillMS = try await milliseconds {
    let payload = Data(repeating: 0x61, count: 600)
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try await queue.write { db in
        var rng = SplitMix(state: 42)
        let event = try db.makeStatement(
            sql: """
                INSERT INTO events (sequence, source, event_id, event_name, event_time_ms, received_at_ms, is_test, body, prepared_at_ms)
                VALUES (?, 'shop', ?, ?, ?, ?, 0, x'7B7D', ?)
                """)
        let delivery = try db.makeStatement(
            sql: """
                INSERT INTO deliveries (event_sequence, destination, source, event_id, event_name, event_time_ms, received_at_ms,
                    prepared_at_ms, is_test, state, payload, payload_bytes, consent_action, consent_reason, skip_reason,
                    identifiers_mask, enriched_mask, dropped_mask, attempts, next_attempt_ms, delivered_at_ms, dead_code, enriched_by)
                VALUES (?, ?, 'shop', ?, ?, ?, ?, ?, 0, ?, ?, 600, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
                """)
        let events = (rowCount + destinations.count - 1) / destinations.count
        var written = 0
        for sequence in 1...Int64(events) {
            let received = windowStart + Int64(Double(sequence) / Double(events) * 7 * 86_400_000) - 1
            let roll = Double.random(in: 0..<1, using: &rng)
            let name = roll < 0.8 ? "Purchase" : roll < 0.9 ? "Refund" : "Lead"
            let id = "sale:\(sequence)"
            try event.execute(arguments: [sequence, id, name, received - 60_000, received, received + 40])
            for destination in destinations where written < rowCount {
                written += 1
                let s = Double.random(in: 0..<1, using: &rng)
                let state = s < 0.05 ? "suppressed" : s < 0.06 ? "skipped" : s < 0.07 ? "dead" : s < 0.09 ? "pending" : "delivered"
                var mask: Int64 = 0
                if state != "suppressed" && state != "skipped" {
                    for (key, p) in bits[destination] ?? [] where Double.random(in: 0..<1, using: &rng) < p { mask |= key.bit }
                }
                var enriched: Int64 = 0
                var enrichedBy: [String: IdentifierSet] = [:]
                if mask & IdentifierKey.fbc.bit != 0, Double.random(in: 0..<1, using: &rng) < 0.3 {
                    enriched |= IdentifierKey.fbc.bit
                    enrichedBy["clickids"] = IdentifierSet([.fbc])
                }
                if mask & IdentifierKey.phone.bit != 0, Double.random(in: 0..<1, using: &rng) < 0.1 {
                    enriched |= IdentifierKey.phone.bit
                    enrichedBy["graph"] = IdentifierSet([.phone])
                }
                let limited = Double.random(in: 0..<1, using: &rng) < 0.1
                let action = state == "suppressed" ? "suppress" : limited ? "send_limited" : "send"
                let reason = state == "suppressed" ? reasons[Int.random(in: 0..<reasons.count, using: &rng)] : "granted_consent_mode"
                let attempts = Double.random(in: 0..<1, using: &rng) < 0.05 ? Int.random(in: 1...3, using: &rng) : (state == "dead" ? 1 : 0)
                // Latency: mostly 0.3–3 s, a tail of retries up to minutes.
                let latency = Int64(300 + Double.random(in: 0..<1, using: &rng) * 2700) * (attempts > 0 ? 20 : 1)
                try delivery.execute(arguments: [
                    sequence, destination, id, name, received - 60_000, received, received + 40, state,
                    state == "suppressed" || state == "skipped" ? nil : payload, action, reason,
                    state == "skipped" ? "test_event" : nil, mask, enriched, attempts, received,
                    state == "delivered" ? received + latency : nil, state == "dead" ? "invalid_parameters" : nil,
                    EnrichmentAttribution.encode(enrichedBy),
                ])
            }
        }
    }
    try queue.close()
}
print("rows=\(rowCount)")
print("fill_ms=\(Int(fillMS))")

// 3. Fold the rollup's deltas (the fill's inserts fired its triggers), as
// `ReportRollupService` does in `serve`.
let store = try SQLiteStore(path: path)
let compactMS = try await milliseconds {
    while try await store.compactReportRollups(limit: 20_000) == 20_000 {}
}
print("compact_ms=\(Int(compactMS))")

// 4. Measure.
let reader = try DatabasePool(path: path)
let query = ReportQuery(
    since: Timestamp(millisecondsSinceEpoch: windowStart - 86_400_000), until: Timestamp(millisecondsSinceEpoch: now + 1), period: .day,
    destinations: [
        "meta": ReportDestination(name: "meta", kind: "meta", platform: .meta),
        "tiktok": ReportDestination(name: "tiktok", kind: "tiktok", platform: .tiktok),
        "sandbox": ReportDestination(name: "sandbox", kind: "sandbox", platform: .meta),
    ])
var count: [Double] = []
var scan: [Double] = []
var tally: [Double] = []
var scanTally: [Double] = []
var report: [Double] = []
var counted = 0
var sent = 0
var htmlBytes = 0
for _ in 0..<runs {
    count.append(try await milliseconds { counted = try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM deliveries") ?? 0 } })
    scan.append(
        try await milliseconds {
            _ = try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM deliveries NOT INDEXED WHERE payload_bytes >= 0") }
        })
    tally.append(try await milliseconds { _ = try await store.matchQualityTally(query) })
    scanTally.append(try await milliseconds { _ = try await store.matchQualityScanTally(query) })
    report.append(
        try await milliseconds {
            let data = try await store.matchQualityTally(query)
            let built = MatchQualityReport.build(data, query: query, generatedAt: Timestamp(millisecondsSinceEpoch: now))
            let html = built.html()
            htmlBytes = html.utf8.count
            if let htmlPath { try Data(html.utf8).write(to: URL(fileURLWithPath: htmlPath)) }
            _ = built.table()
            _ = built.csv()
            _ = JSONWriter.bytes(built.json())
            sent = built.series.reduce(0) { $0 + $1.total.tally.sent }
        })
}
try reader.close()
await store.close()
print("counted=\(counted)")
print("sent=\(sent)")
print("html_bytes=\(htmlBytes)")
print("runs=\(runs)")
print("baseline_count_ms=\(Int(median(count).rounded()))")
print("baseline_scan_ms=\(Int(median(scan).rounded()))")
print("tally_ms=\(Int(median(tally).rounded()))")
print("scan_tally_ms=\(Int(median(scanTally).rounded()))")
print("report_ms=\(Int(median(report).rounded()))")
