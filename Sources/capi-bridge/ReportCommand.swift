import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation

/// `capi-bridge report`: the match-quality report over what the store
/// records per delivery.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Match-quality report: per destination and event name, what was sent, what was missing, what enrichment added.",
        discussion: "Scores are estimates (docs/match-quality.md), not the platforms' own scores.")

    @Option(name: .long, help: "Configuration file.")
    var config = "config/bridge.yaml"

    @Option(name: .long, help: "Start of the window: a duration back from now (90m, 36h, 7d, 2w) or an RFC 3339 time.")
    var since = "7d"

    @Option(name: .long, help: "End of the window (default: now), same forms as --since.")
    var until: String?

    @Option(name: .long, help: "Only this destination.")
    var destination: String?

    @Option(name: .customLong("event-name"), help: "Only this event name.")
    var eventName: String?

    @Option(name: .long, help: "Rows per hour or day (default: hour up to 2 days, day beyond).")
    var period: String?

    @Option(name: .long, help: "table, json, csv or html.")
    var format = "table"

    @Option(name: .long, help: "Write to this file instead of standard output.")
    var out: String?

    @Flag(name: .customLong("include-test"), help: "Include test events (left out by default).")
    var includeTest = false

    func run() async throws {
        guard let chosen = MatchQualityReporting.Format(rawValue: format) else {
            throw CLIError("--format: expected table, json, csv or html")
        }
        let loaded = try loadConfig(config)
        let now = Timestamp.now()
        let query: ReportQuery
        do {
            query = try MatchQualityReporting.query(
                since: since, until: until, period: period, destination: destination, eventName: eventName, includeTest: includeTest,
                destinations: MatchQualityReporting.destinations(loaded), now: now)
        } catch {
            throw CLIError("--\(error.description)")
        }
        let result = try await Bootstrap.withStore(loaded.store) { await runReport(query, store: $0, now: now) }
        let bytes = MatchQualityReporting.render(try result.get(), as: chosen)
        if let out {
            try Data(bytes).write(to: URL(fileURLWithPath: out))
            FileOutput.standardError("wrote \(out) (\(bytes.count) bytes)\n")
        } else {
            ProcessStream.standardOutput.write(Array(bytes))
        }
    }
}

/// Runs the report into a `Result`: kept out of line, like `openPostgres`,
/// so the optimizer does not inline a typed-throws async call into the
/// untyped-throws `run()`.
@inline(never)
func runReport(_ query: ReportQuery, store: any ReportStore, now: Timestamp) async -> Result<MatchQualityReport, StoreError> {
    do {
        return .success(try await MatchQualityReporting.report(query, store: store, now: now))
    } catch {
        return .failure(error)
    }
}
