import ArgumentParser
import BridgeCore
import BridgePipeline
import BridgeServer
import BridgeStore
import Crypto
import Foundation
import Logging

/// `capi-bridge erase --email ADDRESS`: deletes a person's events, deliveries
/// and index entries, and appends an erasure entry to the audit chain.
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Erase everything the bridge holds for one person (right to erasure).")

    @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
    var config = ConfigFile.defaultPath

    @Option(name: .long, help: "The person's email address.")
    var email: String?

    @Option(name: .long, help: "The person's phone number.")
    var phone: String?

    @Option(name: .long, help: "Country (ISO alpha-2) of a phone number written without +.")
    var country: String?

    @Option(name: .customLong("external-id"), help: "The person's customer id at the merchant.")
    var externalID: String?

    func run() async throws {
        let loaded = try loadConfig(config)
        guard !loaded.store.sealKeys.isEmpty else {
            throw CLIError(
                "store.seal_key is not set: events were sealed with the running server's ephemeral key, which this process does not have; use POST /v1/erasure on the running server")
        }
        let sealer = try Bootstrap.configuredSealer(loaded.store)
        let subject = ErasureService.Subject(email: email, phone: phone, externalID: externalID, country: country)
        do {
            let report = try await Bootstrap.withStore(loaded.store) { store in
                let digesting = loaded.audit.digestingKey()
                let audit = try AuditLog(
                    directory: URL(fileURLWithPath: loaded.audit.dir), digestKey: digesting?.key ?? SymmetricKey(size: .bits256),
                    digestKeyID: digesting?.id ?? AuditConfig.ephemeralKeyID, headStore: store)
                let report = try await ErasureService(store: store, sealer: sealer, audit: audit, now: { Timestamp.now() }).erase(subject)
                await audit.flushHead()
                return report
            }
            print("erased \(report.result.eventIDs.count) event(s), \(report.result.unsentDeliveries) unsent and \(report.result.sentDeliveries) sent deliveries, \(report.identityGraphEntries) identity-graph entries")
            for id in report.result.eventIDs { print("  \(id)") }
            print("an erasure entry (keyed digests only) was appended to the audit chain in \(loaded.audit.dir)")
        } catch let error as ErasureService.Failure {
            throw CLIError(error.description)
        }
    }
}
