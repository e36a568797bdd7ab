import BridgeCore
import BridgeSources
import Foundation

/// Reads the project's copies of the shared source fixtures
/// (`fixtures/sources/`), located from this file's path, never from outside
/// the repository.
enum Fixtures {
    /// The repository root: the nearest directory above this file that holds
    /// `Package.swift` and `fixtures/` (symbolic links resolved first).
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let files = FileManager.default
        while directory.path != "/" {
            if files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                files.fileExists(atPath: directory.appendingPathComponent("fixtures").path)
            {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    /// The raw bytes of `fixtures/sources/<path>`.
    static func bytes(_ path: String) throws -> [UInt8] {
        let url = root.appendingPathComponent("fixtures/sources").appendingPathComponent(path)
        return Array(try Data(contentsOf: url))
    }

    /// `fixtures/sources/test-vectors.json`, parsed.
    static func vectors() throws -> JSONValue {
        try JSONParser.parse(try bytes("test-vectors.json"))
    }

    /// The signing time of every vector and fixture (2026-01-01T12:00:00Z).
    static let signedAt: Int64 = 1_767_268_800

    /// Five seconds after signing, as the fixtures section verifies.
    static let now = Timestamp(secondsSinceEpoch: signedAt + 5)

    /// The test secrets of `test-vectors.json`.
    enum Secret {
        static let shopify = "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"
        static let stripe = "whsec_N7kQ2vR8xT4mW9pL3sY6zB1cF5hJ0dG8"
        static let wooCommerce = "K}q8(Zv#2mR^x@L4!pW]tN7*eB0$yH~cJ6)uF9[gD1-sA3_oT5"
        static let standardWebhooks = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
    }

    /// Personal data appearing in the fixtures: no error may contain any of it.
    static let personalData = [
        "avery.jensen@example.com", "Avery", "Jensen", "+12025550143", "202-555-0143", "203.0.113.42",
        "test.buyer@example.com", "morgan.reyes@example.com", "Morgan", "Reyes", "+15035550178", "198.51.100.23",
        "sam.oconnor@example.com", "O'Connor", "lena.hoffmann@example.de", "Lena", "Hoffmann", "030 1234567",
        "198.51.100.77", "guest.4907@example.net", "jonas.becker@example.de", "Becker", "Torstra", "Larkspur",
    ]
}
