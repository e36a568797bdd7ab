import BridgeCore
import BridgeReconcile
import BridgeStore
import Hummingbird

extension ConsoleRoutes {
    /// `GET /console/reconciliation`: the latest runs (`GET /v1/reconciliations`) and a form to start one.
    func reconciliations(session: ConsoleSession, notice: HTML = "") async -> Response {
        let runs: [ReconciliationRun]
        do { runs = try await admin.store.reconciliationRuns(source: nil, limit: 50) } catch {
            return page(.reconciliation, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
        }
        let rows = runs.map { run -> HTML in
            let summary = run.summary.map {
                "\($0.orders) orders · \($0.missing) missing · \($0.valueDiffers) value differs · \($0.undelivered) undelivered · \($0.eventsWithoutOrder) events without order"
            }
            return """
                <tr><th scope="row"><a href="/console/reconciliation/\(run.id)">\(run.id)</a></th><td>\(run.source)</td><td>\(run.trigger.rawValue)</td>\
                <td>\(run.state.rawValue)</td><td>\(run.since.rfc3339) – \(run.until.rfc3339)</td><td>\(summary ?? run.error ?? "")</td></tr>
                """
        }
        let sources = config.sources.map { source -> HTML in "<option value=\"\(source.name)\">\(source.name)</option>" }
        let body: HTML = """
            \(notice)
            <form class="filters" method="post" action="/console/reconciliation" aria-label="Start a reconciliation">
            \(ConsolePage.csrfField(signer.csrfToken(for: session)))
            <label for="source">Source <select id="source" name="source">\(sources)</select></label>
            <label for="since">Since <select id="since" name="since"><option value="24h">24 hours</option><option value="48h" selected>48 hours</option>\
            <option value="7d">7 days</option><option value="30d">30 days</option></select></label>
            <button type="submit">Start a run</button></form>
            <div class="scroll"><table id="runs"><caption>Latest runs, newest first</caption>
            <thead><tr><th scope="col">Run</th><th scope="col">Source</th><th scope="col">Trigger</th><th scope="col">State</th><th scope="col">Window</th><th scope="col">Categories</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return page(.reconciliation, session: session, body: body)
    }

    /// `GET /console/reconciliation/{id}`: one run and its report (`GET /v1/reconciliations/{id}`), missing orders included.
    func reconciliation(id: String, session: ConsoleSession) async -> Response {
        guard ReconciliationRun.isValidID(id) else {
            return page(.reconciliation, session: session, body: ConsolePage.notice("No such run.", error: true), status: .notFound)
        }
        let run: ReconciliationRun?
        do { run = try await admin.store.reconciliationRun(id: id) } catch {
            return page(.reconciliation, session: session, body: ConsolePage.notice("The store did not answer.", error: true), status: .serviceUnavailable)
        }
        guard let run else { return page(.reconciliation, session: session, body: ConsolePage.notice("No such run.", error: true), status: .notFound) }
        let report = run.report.flatMap { try? JSONParser.parse($0) }.flatMap(ReconciliationReport.init(json:))
        let waiting: HTML = run.state == .queued || run.state == .running ? "<p class=\"muted\" data-refresh-seconds=\"3\">The run is \(run.state.rawValue): this page refreshes every 3 seconds.</p>" : ""
        return page(
            .reconciliation, title: "Reconciliation \(run.id)", session: session,
            body: "\(waiting)\(JSONHTML.render(ReconciliationRunJSON.object(run, report: report)))<p><a href=\"/console/reconciliation\">All runs</a></p>")
    }

    /// `POST /console/reconciliation` (CSRF) with `source=&since=`: queues a run as `POST /v1/reconciliations` does.
    func startReconciliation(session: ConsoleSession, form: ConsoleForm) async -> Response {
        guard let runner else {
            return await reconciliations(session: session, notice: ConsolePage.notice("This process does not run reconciliations.", error: true))
        }
        guard let source = form["source"] else { return await reconciliations(session: session, notice: ConsolePage.notice("Choose a source.", error: true)) }
        let at = now
        let window: ReconciliationWindow
        do { window = try ReconciliationWindowText.parse(since: form["since"] ?? "48h", until: nil, now: at) } catch {
            return await reconciliations(session: session, notice: ConsolePage.notice(error.description, error: true))
        }
        do { _ = try runner.orderSource(for: source, backfill: false) } catch {
            return await reconciliations(session: session, notice: ConsolePage.notice("\(error)", error: true))
        }
        let run = runner.newRun(source: source, window: window, backfill: false, trigger: .api, state: .queued, owner: nil)
        do { try await admin.store.saveReconciliationRun(run) } catch {
            return await reconciliations(session: session, notice: ConsolePage.notice("The store did not answer.", error: true))
        }
        return Self.redirect("/console/reconciliation/\(run.id)")
    }
}
