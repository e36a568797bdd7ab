import ArgumentParser
import BridgeCore
import BridgeDemo

/// `capi-bridge`: the executable. Thin by design: parse arguments, load the
/// configuration, build the graph, run it.
@main
struct CapiBridge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capi-bridge",
        abstract: "Server-side conversion-API bridge: verified webhooks in, hashed conversions out.",
        discussion: """
            Commands that read a configuration take --config FILE; without it they read the file named by \
            $\(ConfigFile.environmentVariable) when that is set and not empty, else \(ConfigFile.fallback).
            """,
        version: BridgeVersion.current,
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
