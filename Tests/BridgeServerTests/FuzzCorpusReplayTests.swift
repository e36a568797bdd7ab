import BridgeConfigFuzzing
import BridgeFuzzing
import Foundation
import Testing

/// Every committed fuzz corpus file (`fuzz/corpus/<target>/`, grown by
/// `scripts/reliability/fuzz.sh` and including every input that once
/// crashed) replayed through the same entry points libFuzzer drives: a
/// regression crashes this test process.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/corpus")

    /// Every target's corpus directory name.
    static let names = FuzzTarget.allCases.map(\.rawValue) + [ConfigFuzzTarget.name]

    /// Runs `bytes` through the entry point of the target named `name`.
    static func run(_ name: String, _ bytes: [UInt8]) {
        if let target = FuzzTarget(rawValue: name) {
            target.run(bytes)
        } else {
            ConfigFuzzTarget.run(bytes)
        }
    }

    /// The corpus files of `name`, sorted.
    static func files(_ name: String) throws -> [URL] {
        let directory = corpus.appendingPathComponent(name)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("every target has a committed corpus of at least ten inputs", arguments: names)
    func corpusExists(_ name: String) throws {
        #expect(try Self.files(name).count >= 10)
    }

    @Test("every corpus file runs through its target without a crash", arguments: names)
    func replay(_ name: String) throws {
        for file in try Self.files(name) {
            Self.run(name, Array(try Data(contentsOf: file)))
        }
    }
}
