import Foundation

/// Locates `fixtures/` by walking up from this file, so tests never depend on
/// the working directory (and never read outside the repository).
enum ConsentFixtures {
    static func url(_ relativePath: String, from file: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("fixtures").appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static func data(_ relativePath: String) -> Data? {
        url(relativePath).flatMap { try? Data(contentsOf: $0) }
    }
}

/// The seeded generator of these tests.
typealias SeededGenerator = SplitMix64

/// Writes big-endian bit fields and renders them as Base64 URL sextets, the
/// way GPP sections and TC strings are built, to make test strings by hand.
struct SextetWriter {
    private(set) var bits: [Bool] = []

    mutating func int(_ value: Int, _ width: Int) {
        for shift in stride(from: width - 1, through: 0, by: -1) {
            bits.append((value >> shift) & 1 == 1)
        }
    }

    mutating func fibonacci(_ value: Int) {
        var fibs = [1, 2]
        while fibs[fibs.count - 1] <= value { fibs.append(fibs[fibs.count - 1] + fibs[fibs.count - 2]) }
        var code = [Bool](repeating: false, count: fibs.count)
        var rest = value
        for index in stride(from: fibs.count - 1, through: 0, by: -1) where fibs[index] <= rest {
            code[index] = true
            rest -= fibs[index]
        }
        while code.last == false { code.removeLast() }
        bits.append(contentsOf: code + [true])
    }

    var encoded: String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var padded = bits
        while padded.count % 6 != 0 { padded.append(false) }
        var text = ""
        for start in stride(from: 0, to: padded.count, by: 6) {
            var value = 0
            for bit in padded[start..<(start + 6)] { value = value << 1 | (bit ? 1 : 0) }
            text.append(alphabet[value])
        }
        return text
    }

    /// A GPP header listing `ids` (ascending) as single entries.
    static func gppHeader(_ ids: [Int]) -> String {
        var writer = SextetWriter()
        writer.int(3, 6)
        writer.int(1, 6)
        writer.int(ids.count, 12)
        var last = 0
        for id in ids {
            writer.int(0, 1)
            writer.fibonacci(id - last)
            last = id
        }
        return writer.encoded
    }

    /// A `usnat` version 2 core subsection with the given opt-outs (1 = opted out, 2 = did not).
    static func usnat(sale: Int, sharing: Int, targeted: Int, covered: Int = 1) -> String {
        var writer = SextetWriter()
        writer.int(2, 6)
        for _ in 0..<6 { writer.int(1, 2) }
        writer.int(sale, 2)
        writer.int(sharing, 2)
        writer.int(targeted, 2)
        writer.int(0, 32)
        writer.int(0, 6)
        writer.int(0, 2)
        writer.int(covered, 2)
        writer.int(0, 4)
        return writer.encoded
    }

    /// A GPC subsection.
    static func gpcSubsection(_ gpc: Bool) -> String {
        var writer = SextetWriter()
        writer.int(1, 2)
        writer.int(gpc ? 1 : 0, 1)
        return writer.encoded
    }
}

/// Builds TC strings for decision tests.
enum TCBuilder {
    static func string(
        purposes: Set<Int>,
        legitimateInterests: Set<Int> = [],
        vendors: [Int] = [],
        vendorLegitimateInterests: [Int] = [],
        restrictions: [(purpose: Int, type: Int, vendor: Int)] = [],
        purposeOneTreatment: Bool = false
    ) -> String {
        var w = SextetWriter()
        w.int(2, 6)
        w.int(16_899_840_000, 36)
        w.int(16_899_840_000, 36)
        w.int(300, 12)
        w.int(1, 12)
        w.int(1, 6)
        w.int(4, 6)
        w.int(13, 6)  // EN
        w.int(150, 12)
        w.int(4, 6)
        w.int(1, 1)
        w.int(0, 1)
        w.int(0, 12)
        for purpose in 1...24 { w.int(purposes.contains(purpose) ? 1 : 0, 1) }
        for purpose in 1...24 { w.int(legitimateInterests.contains(purpose) ? 1 : 0, 1) }
        w.int(purposeOneTreatment ? 1 : 0, 1)
        w.int(3, 6)
        w.int(4, 6)  // DE
        for ids in [vendors, vendorLegitimateInterests] {
            let max = ids.max() ?? 0
            w.int(max, 16)
            w.int(0, 1)
            for id in stride(from: 1, through: max, by: 1) { w.int(ids.contains(id) ? 1 : 0, 1) }
        }
        w.int(restrictions.count, 12)
        for restriction in restrictions {
            w.int(restriction.purpose, 6)
            w.int(restriction.type, 2)
            w.int(1, 12)
            w.int(0, 1)
            w.int(restriction.vendor, 16)
        }
        return w.encoded
    }
}
