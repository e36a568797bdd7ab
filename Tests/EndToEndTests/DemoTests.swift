import Foundation
import Testing

/// `capi-bridge demo` as the README runs it: the real binary, the bundled
/// fixtures, every platform's mock.
@Suite("The real process runs the demo")
struct DemoTests {
    /// The destination kinds of `MockFleet`, each with a row in the demo's mock table.
    static let platforms = ["ga4", "google", "google_ads", "linkedin", "meta", "pinterest", "reddit", "snapchat", "tiktok"]

    @Test("capi-bridge demo posts every fixture twice, every platform's mock accepts events, and the audit chain verifies")
    func demo() async throws {
        let directory = try ProductionSafetyTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixtures = BridgeCommand.repositoryRoot.appendingPathComponent("fixtures/sources").path
        let run = try await BridgeCommand.run(["demo", "--fixtures", fixtures], in: directory, timeout: .seconds(120))
        #expect(run.status == 0, "\(run.output)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("== first delivery"))
        #expect(lines.contains("== redelivery (every webhook again)"))
        #expect(lines.contains { $0.hasPrefix("shop ") && $0.contains(" 202 ") })
        #expect(lines.contains { $0.hasPrefix("shop ") && $0.contains(" 200 ") && $0.contains("duplicate") })
        for platform in Self.platforms {
            let row = lines.first { $0.hasPrefix(platform + " ") && $0.split(separator: " ").count == 3 }
            let accepted = row.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
            #expect((accepted ?? 0) > 0, "\(platform): \(row ?? "no row")")
        }
        #expect(lines.contains { $0.hasPrefix("Audit chain: ") && $0.hasSuffix("hash chain intact, no personal data in clear") })
    }
}
