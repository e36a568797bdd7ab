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
        abstract: "Match-quality report: per destination and event name (and campaign or source), what was sent, what was missing, what enrichment added.",
        discussion: "Scores are estimates (docs/match-quality.md), not the platforms' own scores.")

    @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
    var config = ConfigFile.defaultPath

    @Option(name: .long, help: "Start of the window: a duration back from now (90m, 36h, 7d, 2w) or an RFC 3339 time.")
    var since = "7d"

    @Option(name: .long, help: "End of the window (default: now), same forms as --since.")
    var until: String?

    @Option(name: .long, help: "Only this destination.")
    var destination: String?

    @Option(name: .customLong("event-name"), help: "Only this event name.")
    var eventName: String?

    @Option(name: .long, help: "Only events from this source (a configured source name, or the events API's).")
    var source: String?

    @Option(name: .long, help: "Break each destination and event name down by campaign (utm_campaign) or source.")
    var by: ReportBreakdown?

    @Option(name: .long, help: "Rows per hour or day (default: hour up to 2 days, day beyond).")
    var period: ReportPeriod?

    @Option(name: .long, help: "Output format.")
    var format = MatchQualityReporting.Format.table

    @Option(name: .long, help: "Write to this file instead of standard output.")
    var out: String?

    @Flag(name: .customLong("include-test"), help: "Include test events (left out by default).")
    var includeTest = false

    @Flag(
        name: .customLong("platform-scores"),
        help: "Fetch the platforms' own scores now (Meta Dataset Quality API, Pinterest Event Quality Score) with the destinations' credentials, store them, and show them beside the estimate.")
    var platformScores = false

    func run() async throws {
        let chosen = format
        let loaded = try loadConfig(config)
        let now = Timestamp.now()
        let query: ReportQuery
        do {
            query = try MatchQualityReporting.query(
                since: since, until: until, period: period?.rawValue, destination: destination, eventName: eventName, source: source, by: by?.rawValue,
                includeTest: includeTest, destinations: MatchQualityReporting.destinations(loaded),
                sources: MatchQualityReporting.sources(loaded), now: now)
        } catch {
            throw CLIError("--\(error.description)")
        }
        let fetched = platformScores ? await PlatformScoreCommandSupport.fetch(loaded, now: now) : []
        let result = try await Bootstrap.withStore(loaded.store) { await runReport(query, store: $0, storing: fetched, now: now) }
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
func runReport(
    _ query: ReportQuery, store: any ReportStore & PlatformFeedbackStore, storing scores: [PlatformScore] = [], now: Timestamp
) async -> Result<MatchQualityReport, StoreError> {
    do {
        try await store.recordPlatformScores(scores)
        return .success(try await MatchQualityReporting.reportWithFeedback(query, store: store, now: now))
    } catch {
        return .failure(error)
    }
}
