import ArgumentParser
import BridgeCore
import BridgePipeline
import BridgeServer
import BridgeStore
import Crypto
import Foundation

/// `capi-bridge keys generate|rotate|digest`: the seal and audit digest key rings.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Generate keys, re-seal stored identifiers under a new seal key, check audit digests.",
        subcommands: [Generate.self, Rotate.self, Digest.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random key (base64 of 32 bytes) for store.seal_keys or audit.digest_keys.")

        func run() async throws {
            print(IdentifierSealer.generateKey())
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal everything stored under an older seal key with the first key of store.seal_keys.",
            discussion: """
                Put the new key first in store.seal_keys, keep the old one after it, restart every
                running instance with that ring, then run this. It works in transactions of
                --batch-size rows, is safe while the bridge runs, and continues where it stopped
                when run again. Exits 1 when something is left under an older key.
                """)

        @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
        var config = ConfigFile.defaultPath

        @Option(name: .customLong("batch-size"), help: "Rows re-sealed per transaction (1-10000).")
        var batchSize = 500

        @Flag(name: .customLong("dry-run"), help: "Only count what is under an older key.")
        var dryRun = false

        func validate() throws {
            guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000") }
        }

        func run() async throws {
            let loaded = try loadConfig(config)
            let sealer = try Bootstrap.configuredSealer(loaded.store)
            let report: KeyRotator.Report
            do {
                report = try await Bootstrap.withStore(loaded.store) { store in
                    try await rotate(KeyRotator(store: store, sealer: sealer, batchSize: batchSize), sealer: sealer)
                }
            } catch let error as StoreError {
                throw CLIError(error.description)
            }
            if report.staleErasureKeys > 0 {
                Console.line(
                    "\(report.staleErasureKeys) event(s) keep erasure keys made under an older key (prepared before the rotation, their identifiers are no longer stored): keep the older keys in store.seal_keys so that erasure finds them"
                )
            }
            if dryRun { return }
            let resealed = SealedColumn.allCases.map { "\(report.resealed[$0] ?? 0) \($0.noun)" }.joined(separator: ", ")
            if report.isComplete {
                Console.line("done: \(resealed) re-sealed; nothing is left under an older key")
                return
            }
            for column in SealedColumn.allCases where (report.remaining[column] ?? 0) > 0 {
                let unreadable = report.unreadable[column] ?? 0
                Console.line(
                    "\(column.label): \(report.remaining[column] ?? 0) still under an older key, \(unreadable) of them unreadable with this ring")
            }
            throw CLIError(
                "re-sealed \(resealed), but some rows are still under an older key: rows no key of the ring opens need the key that sealed them added to store.seal_keys; the others were written meanwhile by an instance without the new key first in its ring (restart it), or were busy: run keys rotate again"
            )
        }

        /// Counts (`--dry-run`) or re-seals what is under an older key, printing progress.
        private func rotate(_ rotator: KeyRotator, sealer: IdentifierSealer) async throws(StoreError) -> KeyRotator.Report {
            let ring = sealer.keyIDs.joined(separator: ", ")
            if dryRun {
                let report = try await rotator.plan()
                Console.line("seal key '\(sealer.currentKeyID)' is current (ring: \(ring))")
                for column in SealedColumn.allCases {
                    Console.line("\(column.label): \(report.remaining[column] ?? 0) under an older key")
                }
                return report
            }
            Console.line("re-sealing under seal key '\(sealer.currentKeyID)' (ring: \(ring)), \(batchSize) rows per transaction")
            return try await rotator.rotate { progress in
                var line = "\(progress.column.label): \(progress.resealed)/\(progress.total) re-sealed"
                if progress.unreadable > 0 { line += ", \(progress.unreadable) unreadable" }
                Console.line(line)
            }
        }
    }

    struct Digest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the audit digest of a value under every key of audit.digest_keys, to find it in the audit log.",
            discussion: "Each audit entry names the key that digested it (digest_key_id).")

        @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
        var config = ConfigFile.defaultPath

        @Argument(help: "The clear value (an IP address, a user agent, a click id), exactly as sent.")
        var value: String

        func run() async throws {
            let loaded = try loadConfig(config)
            guard !loaded.audit.digestKeys.isEmpty else { throw CLIError("audit.digest_key is not set: the audit digests cannot be recomputed") }
            for key in loaded.audit.digestKeys {
                let digester = ClearFieldDigester(key: SymmetricKey(data: Array(key.key.utf8)), keys: [], keyID: key.id)
                print("\(key.id)\t\(digester.digest(value))")
            }
        }
    }
}

extension SealedColumn {
    /// `events.sealed` or `deliveries.sealed`, for progress lines.
    var label: String { "\(sql.table).\(sql.blob)" }

    /// What the column holds, for summaries.
    var noun: String {
        switch self {
        case .events: "events' identifiers"
        case .eventContexts: "events' send contexts"
        case .deliveries: "earlier deliveries' clear fields"
        }
    }
}

/// Lines written to standard output at once, unbuffered, so progress shows
/// while a long command runs (also through a pipe).
enum Console {
    static func line(_ text: String) {
        ProcessStream.standardOutput.write(text + "\n")
    }
}
