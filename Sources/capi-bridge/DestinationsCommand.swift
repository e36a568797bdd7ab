import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation

/// `capi-bridge destinations list|resume`: each destination's queue and
/// breaker, and resuming one that is paused (after fixing its credentials) or
/// whose circuit is open. Works from any machine that reaches the store: the
/// running instances act on the request within their monitor interval (5 s).
struct DestinationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destinations", abstract: "List destinations with their state, or resume a paused one.",
        subcommands: [List.self, Resume.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each destination's queue and every running instance's breaker state.")
        @Option(name: .long, help: ArgumentHelp(ConfigFile.help)) var config = ConfigFile.defaultPath
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() async throws {
            let loaded = try loadConfig(config)
            let now = Timestamp.now()
            let overview: [DestinationOverview]
            do {
                overview = try await Bootstrap.withStore(loaded.store) { try await DestinationOverview.all(config: loaded, store: $0, now: now) }
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
            if json {
                print(JSONWriter.string(.object(["destinations": .array(overview.map(\.json))])))
                return
            }
            print(pad("destination", 16) + pad("kind", 12) + pad("state", 11) + pad("pending", 9) + pad("dead", 7) + "oldest pending")
            for destination in overview {
                print(
                    pad(destination.name, 16) + pad(destination.kind, 12) + pad(destination.state, 11) + pad(String(destination.pending), 9)
                        + pad(String(destination.dead), 7) + (destination.oldestPendingAgeSeconds.map { "\($0) s" } ?? "-"))
                for status in destination.instances {
                    let age = max(0, now.millisecondsSinceEpoch - status.reportedAt.millisecondsSinceEpoch) / 1000
                    print("    \(status.instance): \(status.state) (reported \(age) s ago)" + (status.detail.map { ": \($0)" } ?? ""))
                }
                if let counts = destination.confirmations { print("    last 7 days: \(counts.line)") }
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a destination paused by an authentication failure or whose circuit is open.",
            discussion: "Fix the credentials first (and send SIGHUP to reload them, or restart). Every running instance resumes within 5 s.")
        @Option(name: .long, help: ArgumentHelp(ConfigFile.help)) var config = ConfigFile.defaultPath
        @Argument(help: "The destination's name.") var name: String

        func run() async throws {
            let loaded = try loadConfig(config)
            guard loaded.destinations.contains(where: { $0.name == name }) else {
                throw CLIError("no destination named '\(name)' in \(config) (configured: \(loaded.destinations.map(\.name).joined(separator: ", ")))")
            }
            do {
                try await Bootstrap.withStore(loaded.store) { try await $0.requestResume(destination: name, at: Timestamp.now()) }
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
            print("resume of \(name) requested; running instances resume it within 5 s")
        }
    }
}
