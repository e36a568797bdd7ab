import ArgumentParser
import BridgeCore

/// `capi-bridge hash`: shows how one identifier is normalized and hashed for
/// a platform (or all of them), so support staff can debug a mismatch.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Normalize and hash one identifier the way a platform receives it.",
        discussion: """
            Prints the normalized value and its SHA-256 (or the clear value where the \
            platform takes it in clear), or why the value would be dropped.
            Example: capi-bridge hash --platform meta --field phone --country DE "0151 2345 6789"
            """
    )

    @Option(help: "Destination kind.")
    var platform: Platform?

    @Option(help: "Customer field.")
    var field: CustomerField

    @Option(help: "Country of the order (alpha-2, alpha-3 or name); supplies the calling code of national phone numbers.")
    var country: String?

    @Flag(name: .customLong("all-platforms"), help: "Print one row per platform.")
    var allPlatforms = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Argument(help: "The value as the source sent it.")
    var value: String

    func validate() throws {
        _ = try platforms()
    }

    func run() throws {
        let report = HashReport(field: field, value: value, platforms: try platforms(), region: country)
        print(json ? report.json() : report.text(), terminator: json ? "\n" : "")
    }

    /// The requested platforms: `--all-platforms`, or the one named by `--platform`.
    func platforms() throws -> [Platform] {
        if allPlatforms {
            guard platform == nil else { throw ValidationError("Use either --platform or --all-platforms, not both.") }
            return Platform.allCases
        }
        guard let platform else {
            throw ValidationError("Missing --platform (or --all-platforms). Valid platforms: \(Self.validPlatforms).")
        }
        return [platform]
    }

    private static var validPlatforms: String { Platform.allCases.map(\.rawValue).joined(separator: ", ") }
}
