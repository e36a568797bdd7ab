import Foundation
import Testing

/// The layers of `Sources/` read in one direction: Core ← Sources,
/// Destinations, Store ← Pipeline ← Server ← executable (source clients,
/// `BridgeReconcile`, sit on Sources, beside Pipeline); mocks only in the
/// demo (and tests, benchmarks); a capability of a store is a type, never a
/// runtime cast.
@Suite("Layers import downward only")
struct LayeringTests {
    /// Target → the Bridge modules its files may import.
    static let allowed: [String: Set<String>] = [
        "BridgeCore": [],
        "BridgeSources": ["BridgeCore"],
        "BridgeDestinations": ["BridgeCore"],
        "BridgeStore": ["BridgeCore"],
        "BridgeMocks": ["BridgeCore"],
        "BridgeReconcile": ["BridgeCore", "BridgeSources"],
        "BridgePipeline": ["BridgeCore", "BridgeDestinations", "BridgeStore"],
        "BridgeServer": ["BridgeCore", "BridgeSources", "BridgeDestinations", "BridgeStore", "BridgePipeline", "BridgeReconcile"],
        "BridgeFuzzing": ["BridgeCore", "BridgeSources"],
        "BridgeConfigFuzzing": ["BridgeServer"],
        "BridgeDemo": ["BridgeCore", "BridgeSources", "BridgeDestinations", "BridgeStore", "BridgePipeline", "BridgeServer", "BridgeMocks"],
        "capi-bridge": [
            "BridgeCore", "BridgeSources", "BridgeDestinations", "BridgeStore", "BridgePipeline", "BridgeReconcile", "BridgeServer", "BridgeDemo",
        ],
    ]

    /// Every Swift file under `Sources/<target>/`, with its text.
    static func files(of target: String) throws -> [(path: String, text: String)] {
        let root = BridgeCommand.repositoryRoot.appendingPathComponent("Sources/\(target)")
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        return try enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }.map {
            ($0.path.replacingOccurrences(of: root.path + "/", with: "\(target)/"), try String(contentsOf: $0, encoding: .utf8))
        }
    }

    @Test("every target imports only the layers below it")
    func imports() throws {
        let targets = try FileManager.default.contentsOfDirectory(atPath: BridgeCommand.repositoryRoot.appendingPathComponent("Sources").path)
        #expect(Set(targets) == Set(Self.allowed.keys), "a new target needs its place in the layers")
        for (target, allowed) in Self.allowed {
            for file in try Self.files(of: target) {
                for line in file.text.split(separator: "\n") where line.hasPrefix("import Bridge") || line.contains(" import Bridge") {
                    let module = String(line.split(separator: " ").last ?? "")
                    #expect(allowed.contains(module), "\(file.path): \(line)")
                }
            }
        }
    }

    @Test("no component finds a store's capability by a runtime cast")
    func noCapabilityCasts() throws {
        for target in Self.allowed.keys {
            for file in try Self.files(of: target) {
                for line in file.text.split(separator: "\n") where line.contains("as? any") || line.contains("as! any") || line.contains("is any ") {
                    Issue.record("\(file.path): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
    }
}
