import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation

/// `capi-bridge events`: what the outbox holds (`list`, the default), one
/// sale's journey (`show`) and whether files are valid canonical events
/// (`validate`). No personal data: ids, names, times, codes and identifier kinds.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "List stored events, follow one sale through the bridge, or validate canonical event files.",
        subcommands: [EventsListCommand.self, EventsShowCommand.self, EventsValidateCommand.self], defaultSubcommand: EventsListCommand.self)
}

/// `capi-bridge events [list]`: events in the outbox, in arrival order.
struct EventsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List events stored in the outbox.")

    @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
    var config = ConfigFile.defaultPath

    @Option(name: .long, help: "Only this source.")
    var source: String?

    @Option(name: .long, help: "At most this many events.")
    var limit = 50

    func run() async throws {
        let loaded = try loadConfig(config)
        let (counts, events) = try await Bootstrap.withStore(loaded.store) { store in
            (try await store.countEvents(), try await store.storedEvents(source: source, limit: limit))
        }
        print("events by source: " + counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        for event in events {
            print(
                "\(event.sequence)\t\(event.source)\t\(event.eventID)\t\(event.eventName)\t\(event.eventTime)\t\(event.isTest ? "test" : "live")\t\(event.sealed == nil ? "no identifiers" : "identifiers sealed")"
            )
        }
    }
}

/// `capi-bridge events show EVENT_ID | --order ORDER_ID`: one sale's journey.
struct EventsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One sale's journey: arrival, enrichment, consent, every attempt, audit entries.",
        discussion: """
            Give an event id (sale:shop:5734981276472) or --order with the order id. No personal data is shown: \
            identifiers appear as their kinds (email, fbc), platform messages are redacted.
            """)

    @Argument(help: "The event id.")
    var eventID: String?

    @Option(name: .long, help: "Find the events of this order instead (the sale and its refunds).")
    var order: String?

    @Option(name: .long, help: "Only this source (when several sources store the same id).")
    var source: String?

    @Option(name: .long, help: "With --order: how far back to look by order id (90m, 36h, 7d, 2w or RFC 3339).")
    var since = "30d"

    @Option(name: .long, help: "A table for people, or JSON for scripts.")
    var format = TableOrJSON.table

    @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
    var config = ConfigFile.defaultPath

    func run() async throws {
        switch (eventID, order) {
        case (nil, nil): throw CLIError("give an event id or --order ORDER_ID")
        case (_?, _?): throw CLIError("give either an event id or --order, not both")
        default: break
        }
        for value in [eventID, order].compactMap({ $0 }) where value.isEmpty || value.utf8.count > JourneyService.maxIDBytes {
            throw CLIError("the id must be 1 to \(JourneyService.maxIDBytes) bytes")
        }
        let loaded = try loadConfig(config)
        let now = Timestamp.now()
        guard let start = ReportQuery.instant(since, now: now) else {
            throw CLIError("--since: expected a duration back from now (90m, 36h, 7d, 2w) or an RFC 3339 time")
        }
        let result = try await Bootstrap.withStore(loaded.store) { store in
            await findJourneys(JourneyService(config: loaded, store: store), eventID: eventID, order: order, source: source, since: start)
        }
        let found: [EventJourney] = try result.get()
        if let eventID {
            guard let journey = found.first else { throw CLIError("no event with id \(eventID) is stored\(source.map { " for source \($0)" } ?? "")") }
            guard found.count == 1 else {
                throw CLIError("\(found.count) sources store an event with this id (\(found.map(\.source).joined(separator: ", "))); add --source NAME")
            }
            output(format == .json ? JSONWriter.string(journey.json) + "\n" : journey.table)
        } else if let order {
            if format == .json {
                output(
                    JSONWriter.string(
                        .object([
                            "order_id": .string(order), "since": .string(start.rfc3339), "count": .number(String(found.count)),
                            "events": .array(found.map(\.json)),
                        ])) + "\n")
            } else {
                guard !found.isEmpty else { throw CLIError("no event of order \(order) is stored (looked back to \(start.rfc3339); widen with --since)") }
                output(found.map(\.table).joined(separator: "\n" + String(repeating: "─", count: 60) + "\n\n"))
            }
        }
    }

    private func output(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Runs the lookup into a `Result`: kept out of line, like `runReport`, so
/// the optimizer does not inline a typed-throws async call into `run()`.
@inline(never)
func findJourneys(_ service: JourneyService, eventID: String?, order: String?, source: String?, since: Timestamp) async -> Result<
    [EventJourney], StoreError
> {
    do {
        if let eventID { return .success(try await service.journeys(eventID: eventID, source: source)) }
        return .success(try await service.journeys(orderID: order ?? "", source: source, since: since))
    } catch {
        return .failure(error)
    }
}
