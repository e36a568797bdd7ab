import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation

/// `capi-bridge events`: what the outbox holds (no personal data: ids, names,
/// times and whether identifiers are still sealed).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "List events stored in the outbox.")

    @Option(name: .long, help: "Configuration file.")
    var config = "config/bridge.yaml"

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
