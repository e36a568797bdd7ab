import BridgeCore
import Foundation
import Testing

/// Compares JSON output with a golden file under `fixtures/destinations/`,
/// byte for byte, in a stable pretty form (sorted keys, two-space indent,
/// numbers as written). `UPDATE_GOLDEN=1 swift test` rewrites the files.
enum GoldenFile {
    static func check(_ value: JSONValue, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = pretty(value) + "\n"
        let url = DestinationFixtures.root.appendingPathComponent("fixtures/destinations").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let expected = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(text == expected, "differs from fixtures/destinations/\(name) (UPDATE_GOLDEN=1 rewrites it)", sourceLocation: sourceLocation)
    }

    /// Sorted keys, two-space indentation, strings escaped as `JSONWriter` does.
    static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let elements):
            if elements.isEmpty { return "[]" }
            return "[\n" + elements.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let lines = members.keys.sorted().map { key in
                JSONWriter.string(.string(key)) + ": " + pretty(members[key] ?? .null, indent: inner)
            }
            return "{\n" + lines.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return JSONWriter.string(value)
        }
    }
}
