import BridgeCore
import BridgePipeline
import BridgeStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// `/console` (admin listener): server-rendered pages over the same Swift
/// functions the admin API routes call, behind a signed session cookie.
/// Every page answers with `ConsoleRoutes.securityHeaders`; every POST needs
/// the session's CSRF token (`docs/console.md`).
struct ConsoleRoutes: Sendable {
    static let cookieName = "capi_console"
    /// The largest form body read.
    static let maxFormBytes = 64 * 1024

    let config: BridgeConfig
    let admin: AdminRoutes
    let journeys: JourneyService
    let runner: ReconciliationRunner?
    /// The queue monitor, whose raised alerts the Overview lists.
    let monitor: QueueMonitor?
    let sealer: IdentifierSealer
    let signer: ConsoleSessionSigner
    let limiter: SignInLimiter
    /// Session ids signed out in this process (until they expire).
    let revoked: RevokedSessions
    /// The last "verify now" of the audit page, in this process.
    let lastAuditCheck: LastAuditCheck
    let secureCookie: Bool
    /// Whether the session key is random per process (no `console.session_key`).
    let ephemeralKey: Bool

    init(_ components: BridgeComponents, admin: AdminRoutes) {
        let console = components.config.console
        config = components.config
        self.admin = admin
        journeys = JourneyService(config: components.config, store: components.store)
        runner = components.reconciliation
        monitor = components.monitor
        sealer = components.sealer
        let configured = console.sessionKey.flatMap { Data(base64Encoded: $0.trimmingWhitespace()) }.flatMap { $0.count == 32 ? $0 : nil }
        signer = ConsoleSessionSigner(key: configured.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256))
        ephemeralKey = configured == nil
        limiter = SignInLimiter(attempts: console.signInAttempts, window: console.signInWindow)
        revoked = RevokedSessions()
        lastAuditCheck = LastAuditCheck()
        secureCookie = console.secureCookie || components.config.server.tls != nil
    }

    var now: Timestamp { admin.now() }

    /// The tokens `user` may hold: the admin tokens for `admin`, a named user's own.
    func credentials(of user: String) -> [String] {
        if user == "admin" { return config.server.adminTokens.filter { !$0.isEmpty } }
        return config.console.users.filter { $0.name == user && !$0.token.isEmpty }.map(\.token)
    }

    /// The session the request's cookie carries, when valid and not signed out.
    func session(_ request: Request) -> ConsoleSession? {
        guard let value = Self.cookie(Self.cookieName, in: request.headers[values: .cookie]) else { return nil }
        guard let session = signer.session(fromCookie: value, now: now, credentials: credentials(of:)) else { return nil }
        return revoked.contains(session.id, now: now) ? nil : session
    }

    static func cookie(_ name: String, in headers: [String]) -> String? {
        for header in headers {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name { return String(pair[1]).trimmingCharacters(in: .whitespaces) }
            }
        }
        return nil
    }

    // MARK: - Answers

    /// The headers of every console answer.
    static let securityHeaders: HTTPFields = {
        var fields = HTTPFields()
        fields[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        fields[.cacheControl] = "no-store"
        if let name = HTTPField.Name("X-Frame-Options") { fields[name] = "DENY" }
        if let name = HTTPField.Name("Referrer-Policy") { fields[name] = "no-referrer" }
        if let name = HTTPField.Name("X-Content-Type-Options") { fields[name] = "nosniff" }
        return fields
    }()

    static func html(_ document: HTML, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.text)))
    }

    static func download(_ bytes: [UInt8], contentType: String, filename: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = contentType
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func redirect(_ location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// A page of the signed-in console.
    func page(_ page: ConsolePage, title: String? = nil, session: ConsoleSession, body: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Self.html(
            ConsolePage.document(page, title: title ?? page.title, user: session.user, csrf: signer.csrfToken(for: session), body: body), status: status)
    }

    /// A refusal page outside the session (no navigation).
    static func refusal(_ title: String, _ detail: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        html(
            ConsolePage.document(
                nil, title: title, user: nil, csrf: nil,
                body: "\(ConsolePage.notice(detail, error: true))<p><a href=\"/console/sign-in\">Sign in</a></p>"),
            status: status, headers: headers)
    }

    // MARK: - Guards

    /// Runs `render` for a signed-in GET; without a session, sends the browser to sign in.
    func signedIn(_ request: Request, _ render: (ConsoleSession) async -> Response) async -> Response {
        guard let session = session(request) else { return Self.redirect("/console/sign-in") }
        return await render(session)
    }

    /// Runs `act` for a POST with a valid session, a same-origin `Origin`
    /// (when sent) and the session's CSRF token in the form; refuses otherwise (401/403).
    func stateChange(_ request: Request, _ act: (ConsoleSession, ConsoleForm) async -> Response) async -> Response {
        guard let session = session(request) else {
            return Self.refusal("Not signed in", "This action needs a signed-in console session.", status: .unauthorized)
        }
        guard Self.sameOrigin(request) else {
            return Self.refusal("Refused", "The form was not sent from this console.", status: .forbidden)
        }
        guard let form = await Self.form(request) else {
            return Self.refusal("Refused", "The form could not be read.", status: .badRequest)
        }
        guard signer.acceptsCSRF(form["csrf"], for: session) else {
            return Self.refusal("Refused", "The form's CSRF token is missing or wrong: reload the page and try again.", status: .forbidden)
        }
        return await act(session, form)
    }

    /// The `application/x-www-form-urlencoded` body; `nil` when too large or unreadable.
    static func form(_ request: Request) async -> ConsoleForm? {
        guard let buffer = try? await request.body.collect(upTo: maxFormBytes) else { return nil }
        return ConsoleForm(String(buffer: buffer))
    }

    /// No `Origin` header, `null` (what browsers send under
    /// `Referrer-Policy: no-referrer`), or one naming the host the request
    /// was sent to. The CSRF token and `SameSite=Strict` are the defence;
    /// this refuses what a foreign page's form says it is.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin], origin != "null" else { return true }
        guard let authority = request.head.authority else { return false }
        return origin == "http://\(authority)" || origin == "https://\(authority)"
    }

    /// The client address failed sign-ins are counted by.
    static func clientAddress(_ context: BridgeRequestContext) -> String {
        context.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Session ids signed out in this process, kept until they would have expired.
final class RevokedSessions: Sendable {
    private let ids = Mutex<[String: Int64]>([:])

    func revoke(_ session: ConsoleSession) {
        ids.withLock { $0[session.id] = session.expiresAt.millisecondsSinceEpoch }
    }

    func contains(_ id: String, now: Timestamp) -> Bool {
        ids.withLock { table in
            if table.count > 10_000 { table = table.filter { $0.value > now.millisecondsSinceEpoch } }
            return table[id] != nil
        }
    }
}

extension Router where Context == BridgeRequestContext {
    func addConsoleRoutes(_ console: ConsoleRoutes) {
        get("/console") { request, _ in console.session(request) == nil ? ConsoleRoutes.redirect("/console/sign-in") : ConsoleRoutes.redirect("/console/overview") }
        get("/console/assets/:name") { _, context in ConsoleRoutes.asset(context.parameters.get("name") ?? "") }
        get("/console/sign-in") { request, _ in console.signInPage(request) }
        post("/console/sign-in") { request, context in await console.signIn(request, context: context) }
        post("/console/sign-out") { request, _ in await console.signOut(request) }
        get("/console/overview") { request, _ in await console.signedIn(request) { await console.overview($0) } }
        get("/console/sales") { request, _ in await console.signedIn(request) { await console.sales(request, session: $0) } }
        post("/console/sales") { request, _ in await console.stateChange(request) { await console.salesSearch(session: $0, form: $1) } }
        get("/console/dead-letters") { request, _ in await console.signedIn(request) { await console.deadLetters(request, session: $0) } }
        get("/console/dead-letters/:id") { request, context in
            await console.signedIn(request) { await console.deadLetter(id: context.parameters.get("id") ?? "", session: $0) }
        }
        post("/console/dead-letters/replay") { request, _ in await console.stateChange(request) { await console.replay(session: $0, form: $1) } }
        post("/console/dead-letters/purge") { request, _ in await console.stateChange(request) { await console.purge(session: $0, form: $1) } }
        get("/console/match-quality") { request, _ in await console.signedIn(request) { await console.matchQuality(request, session: $0) } }
        get("/console/match-quality/download") { request, _ in
            await console.signedIn(request) { await console.matchQualityDownload(request, session: $0) }
        }
        get("/console/reconciliation") { request, _ in await console.signedIn(request) { await console.reconciliations(session: $0) } }
        get("/console/reconciliation/:id") { request, context in
            await console.signedIn(request) { await console.reconciliation(id: context.parameters.get("id") ?? "", session: $0) }
        }
        post("/console/reconciliation") { request, _ in await console.stateChange(request) { await console.startReconciliation(session: $0, form: $1) } }
        get("/console/audit") { request, _ in await console.signedIn(request) { await console.audit(session: $0) } }
        post("/console/audit/verify") { request, _ in await console.stateChange(request) { await console.verifyAudit(session: $0, form: $1) } }
        get("/console/audit/export") { request, _ in await console.signedIn(request) { await console.auditExport(request, session: $0) } }
    }
}
