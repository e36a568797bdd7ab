import BridgeCore
import BridgeStore
import Hummingbird

extension ConsoleRoutes {
    /// `GET /console/audit`: the chain's head, its files, the last check here, verify now and export.
    func audit(session: ConsoleSession) async -> Response {
        let head = try? await admin.store.auditHead()
        let files = AuditCheck.files(in: config.audit.dir)
        let last = lastAuditCheck.value
        let status: HTML
        if let last {
            status =
                last.passed
                ? "<p class=\"ok\" id=\"audit-status\">Chain intact: \(last.entries) entries in \(last.files) file(s), head \(last.head.sequence) (checked \(last.at.rfc3339)).</p>"
                : "<p class=\"bad\" id=\"audit-status\">Check failed at \(last.at.rfc3339): \(last.firstBreak ?? "") \(last.personalData.joined(separator: "; "))</p>"
        } else {
            status = "<p class=\"muted\" id=\"audit-status\">Not verified from this console since the bridge started.</p>"
        }
        let body: HTML = """
            <dl class="json"><dt>Directory</dt><dd class="mono">\(config.audit.dir)</dd><dt>Files</dt><dd>\(files.count) (\(files.first?.name ?? "none") … \(files.last?.name ?? "none"))</dd>\
            <dt>Head recorded in the store</dt><dd class="mono">\(head.map { "\($0.sequence) \($0.hash)" } ?? "none")</dd></dl>
            <h2>Chain status</h2>\(status)
            <form method="post" action="/console/audit/verify">\(ConsolePage.csrfField(signer.csrfToken(for: session)))<button type="submit" id="verify">Verify now</button></form>
            <h2>Export</h2>
            <form class="filters" method="get" action="/console/audit/export" aria-label="Export a date range">
            <label for="since">From (RFC 3339 or 7d) <input id="since" name="since" value="7d"></label>
            <label for="until">Until (optional) <input id="until" name="until"></label>
            <button type="submit">Export JSON lines</button></form>
            """
        return page(.audit, session: session, body: body)
    }

    /// `POST /console/audit/verify` (CSRF).
    func verifyAudit(session: ConsoleSession, form: ConsoleForm) async -> Response {
        let head = try? await admin.store.auditHead()
        let check = AuditCheck.run(directory: config.audit.dir, expectedHead: head, at: now)
        lastAuditCheck.record(check)
        return Self.redirect("/console/audit")
    }

    /// `GET /console/audit/export?since=&until=`: the entries in the range, as JSON lines (`capi-bridge audit export`).
    func auditExport(_ request: Request, session: ConsoleSession) async -> Response {
        let query = request.uri.queryParameters
        let at = now
        let from = query.get("since").flatMap { $0.isEmpty ? nil : ReportQuery.instant($0, now: at) }
        let to = query.get("until").flatMap { $0.isEmpty ? nil : ReportQuery.instant($0, now: at) }
        var out: [UInt8] = []
        for file in AuditCheck.files(in: config.audit.dir) {
            for line in file.text.split(separator: "\n") {
                guard let entry = try? AuditRecordLine(line: Array(line.utf8)) else { continue }
                if let from, entry.at < from { continue }
                if let to, entry.at > to { continue }
                out += Array(line.utf8) + [0x0A]
            }
        }
        return Self.download(out, contentType: "application/x-ndjson", filename: "audit.jsonl")
    }
}
