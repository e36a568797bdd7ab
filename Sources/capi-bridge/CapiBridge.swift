import ArgumentParser
import BridgeDemo

/// `capi-bridge`: the executable. Thin by design: parse arguments, load the
/// configuration, build the graph, run it.
@main
struct CapiBridge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capi-bridge",
        abstract: "Server-side conversion-API bridge: verified webhooks in, hashed conversions out.",
        subcommands: [
            ServeCommand.self,
            DemoCommand.self,
            CheckConfigCommand.self,
            EventsCommand.self,
            DLQCommand.self,
            DestinationsCommand.self,
            EraseCommand.self,
            AuditCommand.self,
            ReportCommand.self,
            ReconcileCommand.self,
            HashCommand.self,
            KeysCommand.self,
        ]
    )
}
