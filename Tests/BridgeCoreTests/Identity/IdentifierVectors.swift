import Foundation

@testable import BridgeCore

/// One conformance vector of `fixtures/identifiers/sdk-vectors.json`
/// (written by scripts/gen-identifier-vectors.py).
struct IdentifierVector: Decodable, Sendable, CustomStringConvertible {
    struct Expected: Decodable, Sendable {
        let normalized: String?
        let encoding: String?
        let wire: String?
        let dropped: String?
    }

    struct SDKOutput: Decodable, Sendable {
        let name: String
        let normalized: String?
        let hash: String?
        let error: String?
    }

    let id: Int
    let category: String
    let platform: String
    let field: String
    let input: String
    let region: String?
    let expected: Expected
    let sdk: SDKOutput?
    let deviation: String?
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let expected_source: String

    var description: String { "#\(id) \(platform) \(field) [\(category)]" }
}

/// A vector the platforms publish in their own documentation.
struct PublishedVector: Decodable, Sendable, CustomStringConvertible {
    let platform: String
    let field: String
    let input: String
    let region: String?
    let normalized: String
    let sha256: String
    let source: String

    var description: String { "\(platform) \(field) (\(source))" }
}

/// The vector file, located from this source file (never from outside the repository).
struct IdentifierVectorFile: Decodable, Sendable {
    let inputs: Int
    let vectors: [IdentifierVector]
    let published: [PublishedVector]

    /// `<repo>/fixtures/identifiers/sdk-vectors.json`, found by walking up from `#filePath`.
    static let url: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("fixtures/identifiers/sdk-vectors.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("fixtures/identifiers/sdk-vectors.json")
    }()

    static func load() throws -> IdentifierVectorFile {
        try JSONDecoder().decode(IdentifierVectorFile.self, from: Data(contentsOf: url))
    }

    /// The file's contents, or an empty file when it cannot be read (a separate
    /// test fails loudly in that case).
    static let shared: IdentifierVectorFile = (try? load()) ?? IdentifierVectorFile(inputs: 0, vectors: [], published: [])
}
