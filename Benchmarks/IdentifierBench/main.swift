// Identifier normalization + hashing throughput on one thread.
//
// Usage: IdentifierBench [inputs.tsv] [seconds]
//   inputs.tsv: lines "field<TAB>value<TAB>region" (region may be empty);
//   without it a built-in realistic mix is used. Prints key=value lines
//   that scripts/bench-identifiers.sh turns into a table.

import BridgeCore
import Foundation

struct Row {
    let field: CustomerField
    let value: String
    let region: String?
}

func loadRows(_ path: String?) -> [Row] {
    guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return BuiltInMix.rows() }
    return text.split(separator: "\n").compactMap { line in
        let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard parts.count >= 2, let field = CustomerField(rawValue: String(parts[0])) else { return nil }
        let region = parts.count > 2 && !parts[2].isEmpty ? String(parts[2]) : nil
        return Row(field: field, value: String(parts[1]), region: region)
    }
}

enum BuiltInMix {
    static func rows() -> [Row] {
        var rng = SplitMix(seed: 42)
        // Mostly ASCII, as real order data is; one name in ten takes the Unicode path.
        let first = ["john", "Mary", "Anne-Marie", "Jose", "Li", "Olga", "Peter", "Sarah", "Mohammed", "Emma"]
        let last = ["Smith", "O'Brien", "Mueller", "Garcia", "Nguyen", "Johnson", "Rossi", "Kowalski", "Müller", "Smith"]
        let domains = ["gmail.com", "yahoo.com", "Example.com", "outlook.com", "shop.co.uk", "web.de"]
        var rows: [Row] = []
        for i in 0..<10_000 {
            let f = first[Int(rng.next() % UInt64(first.count))]
            let l = last[Int(rng.next() % UInt64(last.count))]
            switch i % 20 {
            case 0..<7:
                let local = l == "Müller" ? "mueller" : l
                rows.append(Row(field: .email, value: " \(f).\(local)\(i)@\(domains[i % domains.count]) ", region: nil))
            case 7..<10:
                rows.append(Row(field: .phone, value: "+1 (650) 555-\(String(1000 + i % 9000))", region: "US"))
            case 10..<12:
                rows.append(Row(field: .phone, value: "0151 \(String(2000_0000 + i))", region: "DE"))
            case 12: rows.append(Row(field: .firstName, value: f, region: nil))
            case 13: rows.append(Row(field: .lastName, value: l, region: nil))
            case 14: rows.append(Row(field: .city, value: "San Francisco", region: nil))
            case 15: rows.append(Row(field: .state, value: "CA", region: "US"))
            case 16: rows.append(Row(field: .postalCode, value: "94025-1234", region: "US"))
            case 17: rows.append(Row(field: .country, value: "US", region: nil))
            case 18: rows.append(Row(field: .externalID, value: "cust-\(i)", region: nil))
            default: rows.append(Row(field: .gender, value: "F", region: nil))
            }
        }
        return rows
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs `body` over `rows` repeatedly for about `seconds`; returns items per second.
func measure(seconds: Double, count: Int, _ body: () -> Int) -> (rate: Double, checksum: Int) {
    var checksum = body()  // warm-up: tables parsed, caches hot
    let clock = ContinuousClock()
    let start = clock.now
    var items = 0
    var elapsed = Duration.zero
    repeat {
        checksum &+= body()
        items += count
        elapsed = clock.now - start
    } while elapsed < .seconds(seconds)
    let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(items) / secs, checksum)
}

/// Everything runs inside a function: top-level variables of main.swift are
/// globals, and every access to them pays a dynamic exclusivity check.
func runBenchmark() {
    let arguments = CommandLine.arguments
    let rows = loadRows(arguments.count > 1 ? arguments[1] : nil)
    let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3

    var dropped = 0
    for row in rows where IdentifierNormalizer.normalize(row.field, row.value, for: .meta, region: row.region).value == nil {
        dropped += 1
    }

    let identifiers = measure(seconds: seconds, count: rows.count) {
        var sum = 0
        for row in rows {
            if case .sent(let v) = IdentifierPreparer.prepare(row.field, row.value, for: .meta, region: row.region) {
                sum &+= v.wireValue.utf8.count
            }
        }
        return sum
    }

    // Per field, normalization only (no hashing), to show where time goes.
    var perField: [(CustomerField, Double)] = []
    for field in CustomerField.allCases {
        let subset = rows.filter { $0.field == field }
        guard !subset.isEmpty else { continue }
        let rate = measure(seconds: min(seconds, 0.5), count: subset.count) {
            var sum = 0
            for row in subset {
                sum &+= IdentifierNormalizer.normalize(row.field, row.value, for: .meta, region: row.region).value?.utf8.count ?? 0
            }
            return sum
        }
        perField.append((field, rate.rate))
    }

    let block = [UInt8](repeating: 0x61, count: 32)
    let rawCount = 10_000
    let rawSHA = measure(seconds: seconds, count: rawCount) {
        var sum = 0
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            block.withUnsafeBytes { bytes in
                for _ in 0..<rawCount {
                    IdentifierHasher.sha256(bytes, into: digest)
                    sum &+= Int(digest[0])
                }
            }
        }
        return sum
    }
    let hexSHA = measure(seconds: seconds, count: rawCount) {
        var sum = 0
        block.withUnsafeBytes { bytes in
            for _ in 0..<rawCount { sum &+= IdentifierHasher.sha256Hex(bytes: bytes).utf8.count }
        }
        return sum
    }

    print("inputs=\(rows.count)")
    print("dropped=\(dropped)")
    print("identifiers_per_second=\(Int(identifiers.rate))")
    print("sha256_32b_per_second=\(Int(rawSHA.rate))")
    print("sha256_32b_hex_per_second=\(Int(hexSHA.rate))")
    for (field, rate) in perField { print("normalize_\(field.rawValue)_per_second=\(Int(rate))") }
    print("checksum=\(identifiers.checksum &+ rawSHA.checksum &+ hexSHA.checksum)")
}

runBenchmark()
