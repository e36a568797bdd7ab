import ArgumentParser
import AsyncHTTPClient
import BridgeCore
import BridgePipeline
import BridgeReconcile
import BridgeServer
import BridgeStore
import Crypto
import Foundation
import Logging
import Metrics

/// `capi-bridge reconcile --source NAME --since 48h`: compares a source's own
/// records of paid orders with what the bridge received and what each
/// destination did with it (`docs/reconciliation.md`); with `--backfill`,
/// stores the missing orders' events through the normal ingest path.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Did every paid order reach every destination? Compare a source's own orders with the bridge, optionally backfill.",
        discussion: """
            Shopify, Stripe and WooCommerce sources are read from their own APIs (reconciliation.sources in the \
            configuration); a custom backend from --orders FILE (CSV order_id,paid_at,value,currency or JSON lines) \
            or its orders_url. The run and its report are stored (GET /v1/reconciliations/{id}). \
            Exit status: 0 when it completed (whatever it found), 1 when it could not run.
            """)

    @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
    var config = ConfigFile.defaultPath

    @Option(name: .long, help: "The configured source to reconcile.")
    var source: String

    @Option(name: .long, help: "Start of the window: a duration back from now (90m, 48h, 7d, 2w) or an RFC 3339 time.")
    var since = "48h"

    @Option(name: .long, help: "End of the window (default: now), same forms as --since.")
    var until: String?

    @Option(name: .long, help: "Output format.")
    var format = MatchQualityReporting.Format.table

    @Option(name: .long, help: "Write the report to this file instead of standard output.")
    var out: String?

    @Option(name: .long, help: "A custom backend's orders: CSV (order_id,paid_at,value,currency) or JSON lines.")
    var orders: String?

    @Flag(name: .long, help: "Store each missing order's event through the normal ingest path (Shopify, Stripe, WooCommerce).")
    var backfill = false

    func run() async throws {
        let chosen = format
        let loaded = try loadConfig(config)
        Bootstrap.logging(level: loaded.logging.level)
        let logger = Logger(label: "capi-bridge.reconcile")
        let window: ReconciliationWindow
        do { window = try ReconciliationWindowText.parse(since: since, until: until, now: Timestamp.now()) } catch {
            throw CLIError("--\(error.description)")
        }
        // A backfill seals the events' identifiers for the server to open:
        // only with the configured key ring, never a key this process invents.
        let sealer = backfill ? try Bootstrap.configuredSealer(loaded.store) : IdentifierSealer.ephemeral()
        let httpClient = BridgeRuntime.makeHTTPClient()
        let outcome: Result<ReconciliationRun, any Error>
        do { outcome = .success(try await reconcile(loaded, window: window, sealer: sealer, httpClient: httpClient, logger: logger)) } catch {
            outcome = .failure(error)
        }
        try? await httpClient.shutdown()
        let run = try outcome.get()
        guard run.state == .completed, let bytes = run.report, let json = try? JSONParser.parse(bytes),
            let report = ReconciliationReport(json: json)
        else {
            throw CLIError("reconciliation \(run.id) failed: \(run.error ?? "no report")")
        }
        let rendered = ReconciliationRendering.render(report, as: chosen)
        if let out {
            try Data(rendered).write(to: URL(fileURLWithPath: out))
            FileOutput.standardError("wrote \(out) (\(rendered.count) bytes)\n")
        } else {
            FileHandle.standardOutput.write(Data(rendered))
        }
        FileOutput.standardError(Self.summary(run, report: report))
    }

    /// Opens the store, runs the reconciliation and stores it; returns the run (completed or failed).
    func reconcile(_ loaded: BridgeConfig, window: ReconciliationWindow, sealer: IdentifierSealer, httpClient: HTTPClient, logger: Logger)
        async throws -> ReconciliationRun
    {
        try await Bootstrap.withStore(loaded.store) { store in
            let components = BridgeComponents(config: loaded, store: store, sealer: sealer, metricsFactory: NOOPMetricsHandler.instance, registry: nil)
            let audit = backfill ? try Self.auditLog(loaded, store: store) : nil
            let runner = try ReconciliationRunner(
                config: loaded, store: store, ingest: components.ingest, audit: audit, notifier: nil, metrics: components.metrics, logger: logger,
                http: SourceHTTP(client: httpClient))
            let client: any OrderSource
            do { client = try runner.orderSource(for: source, ordersFile: orders, backfill: backfill) } catch {
                throw CLIError("\(error)")
            }
            let started = runner.newRun(source: source, window: window, backfill: backfill, trigger: .cli, state: .running, owner: "cli")
            let finished = await runner.execute(started, client: client)
            await audit?.flushHead()
            return finished
        }
    }

    /// The audit log a backfill's note goes to, as `serve` opens it.
    static func auditLog(_ config: BridgeConfig, store: any StoreBackend) throws -> AuditLog {
        let digesting = config.audit.digestingKey()
        return try AuditLog(
            directory: URL(fileURLWithPath: config.audit.dir), digestKey: digesting?.key ?? SymmetricKey(size: .bits256),
            digestKeyID: digesting?.id ?? AuditConfig.ephemeralKeyID, headStore: store)
    }

    /// One line for the terminal: the run id and the headline counts.
    static func summary(_ run: ReconciliationRun, report: ReconciliationReport) -> String {
        var text = "reconciliation \(run.id): \(report.totals.orders.count) orders, \(report.missing.count) missing"
        if !report.missing.values.isEmpty { text += " (\(report.missing.valueText))" }
        text += ", \(report.totals[.valueDiffers].count) value differs, \(report.totals[.undelivered].count) not delivered everywhere"
        if let backfill = report.backfill {
            text += "; backfilled \(backfill.stored.count), already there \(backfill.duplicates.count), not possible \(backfill.failed.count)"
        }
        return text + "\n"
    }
}
