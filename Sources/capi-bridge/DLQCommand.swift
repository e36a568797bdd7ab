import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Foundation

/// `capi-bridge dlq list|show|replay|purge`: the dead letters.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Inspect, replay or purge dead-lettered deliveries.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    struct Selection: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
        var config = ConfigFile.defaultPath

        @Option(name: .long, help: "Only this destination.")
        var destination: String?

        @Option(name: .long, help: "Only this dead-letter code (e.g. invalid_parameters, auth_failed, event_too_old).")
        var code: String?

        func filter(ids: [Int64]? = nil) -> DeadLetterFilter {
            DeadLetterFilter(ids: ids, destination: destination, code: code)
        }

        func withStore<T>(_ body: (any StoreBackend) async throws -> T) async throws -> T {
            try await Bootstrap.withStore(try loadConfig(config).store) { try await body($0) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, newest first.")
        @OptionGroup var selection: Selection
        @Option(name: .long, help: "At most this many.") var limit = 50
        @Flag(name: .long, help: "Print JSON lines.") var json = false

        func run() async throws {
            let letters = try await selection.withStore { try await $0.deadLetters(selection.filter(), limit: limit) }
            if json {
                for letter in letters { print(JSONWriter.string(DeadLetterJSON.object(letter))) }
                try await listRejectedRequests()
                return
            }
            print(pad("id", 8) + pad("destination", 14) + pad("event_id", 40) + pad("code", 24) + pad("attempts", 9) + pad("consent", 34) + "message")
            for letter in letters {
                print(
                    pad(String(letter.id), 8) + pad(letter.destination, 14) + pad(letter.eventID, 40) + pad(letter.code, 24)
                        + pad(String(letter.attempts), 9) + pad(letter.consent, 34) + String(letter.message.prefix(100)))
            }
            print("\(letters.count) dead letter(s)")
            try await listRejectedRequests()
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dead letter with its hashed payload.")
        @OptionGroup var selection: Selection
        @Argument(help: "Dead-letter id.") var id: Int64

        func run() async throws {
            let letters = try await selection.withStore { try await $0.deadLetters(selection.filter(ids: [id]), limit: 1) }
            guard let letter = letters.first else { throw CLIError("no dead letter with id \(id)") }
            var object = DeadLetterJSON.object(letter)
            if let json = DeadLetterJSON.payload(letter.payload) {
                object = object.setting(json, at: JSONPointer(["payload_hashed"]))
            }
            print(JSONWriter.string(object))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-queue dead letters with the same event ids.")
        @OptionGroup var selection: Selection
        @Argument(help: "Dead-letter ids (none: every one matching --destination/--code).") var ids: [Int64] = []
        @Flag(name: .long, help: "Replay every dead letter when no id, destination or code is given.") var all = false
        @Option(name: .customLong("request"), help: "A partly rejected request's id (from dlq list): send all its events again.")
        var requests: [Int64] = []

        func run() async throws {
            if !requests.isEmpty {
                let count = try await selection.withStore { try await $0.replayRejectedRequests(ids: requests, destination: nil, now: Timestamp.now()) }
                print("replayed \(count) delivery(ies) of \(requests.count) rejected request(s); rows the platform accepted are refused as duplicates")
                return
            }
            guard !ids.isEmpty || selection.destination != nil || selection.code != nil || all else {
                throw CLIError("say which dead letters to replay: ids, --destination, --code, --request, or --all")
            }
            let count = try await selection.withStore {
                try await $0.replayDeadLetters(selection.filter(ids: ids.isEmpty ? nil : ids), now: Timestamp.now())
            }
            print("replayed \(count) dead letter(s); the running bridge sends them with their original event ids")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete dead letters for good.")
        @OptionGroup var selection: Selection
        @Argument(help: "Dead-letter ids (none: every one matching --destination/--code).") var ids: [Int64] = []
        @Flag(name: .long, help: "Purge every dead letter when no id, destination or code is given.") var all = false

        func run() async throws {
            guard !ids.isEmpty || selection.destination != nil || selection.code != nil || all else {
                throw CLIError("say which dead letters to purge: ids, --destination, --code, or --all")
            }
            let count = try await selection.withStore { try await $0.purgeDeadLetters(selection.filter(ids: ids.isEmpty ? nil : ids)) }
            print("purged \(count) dead letter(s)")
        }
    }
}

extension DLQCommand.List {
    /// Partly rejected requests (the platform counted failed rows without
    /// naming them): listed after the dead letters, replayed with `--request`.
    func listRejectedRequests() async throws {
        guard RejectedRequestJSON.listed(forCode: selection.code) else { return }
        let requests = try await selection.withStore { try await $0.rejectedRequests(destination: selection.destination, limit: limit) }
        guard !requests.isEmpty else { return }
        if json {
            for request in requests { print(JSONWriter.string(RejectedRequestJSON.object(request))) }
            return
        }
        print("")
        print("partly rejected requests (the platform counts failed rows per reason; replay with dlq replay --request <id>)")
        print(pad("id", 8) + pad("destination", 14) + pad("request_id", 40) + pad("rejected", 12) + "reasons")
        for request in requests {
            print(
                pad(String(request.id), 8) + pad(request.destination, 14) + pad(request.requestID, 40)
                    + pad("\(request.rejectedCount) of \(request.eventCount)", 12) + String(request.reasons.prefix(100)))
        }
    }
}
