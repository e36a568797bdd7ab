import BridgeCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension ConsoleRoutes {
    /// `GET /console/sign-in`.
    func signInPage(_ request: Request) -> Response {
        if session(request) != nil { return Self.redirect("/console/overview") }
        return Self.html(Self.signInDocument(message: nil))
    }

    static func signInDocument(message: HTML?) -> HTML {
        ConsolePage.document(
            nil, title: "Sign in", user: nil, csrf: nil,
            body: """
                <div class="signin">
                \(message ?? "")
                <p>Sign in with the admin token or your console user's token.</p>
                <form method="post" action="/console/sign-in">
                <label for="token">Token <input id="token" name="token" type="password" autocomplete="current-password" required autofocus></label>
                <button type="submit">Sign in</button>
                </form>
                </div>
                """)
    }

    /// `POST /console/sign-in` with `token=`: sets the session cookie and
    /// sends the browser to the overview; a wrong token is counted against
    /// the client address and logged without the token.
    func signIn(_ request: Request, context: BridgeRequestContext) async -> Response {
        let address = Self.clientAddress(context)
        let at = now
        if let wait = limiter.retryAfter(address, now: at) {
            context.logger.warning("console sign-in refused: too many failures", metadata: ["client.address": "\(address)"])
            return Self.html(
                Self.signInDocument(message: ConsolePage.notice("Too many failed sign-ins from this address: try again in \(wait) seconds.", error: true)),
                status: .tooManyRequests, headers: [.retryAfter: String(wait)])
        }
        guard Self.sameOrigin(request) else { return Self.refusal("Refused", "The form was not sent from this console.", status: .forbidden) }
        let form = await Self.form(request)
        guard let token = form?["token"], let user = user(presenting: token) else {
            limiter.recordFailure(address, now: at)
            context.logger.warning("console sign-in failed", metadata: ["client.address": "\(address)"])
            return Self.html(Self.signInDocument(message: ConsolePage.notice("That token is not accepted.", error: true)), status: .unauthorized)
        }
        limiter.reset(address)
        let session = ConsoleSession(
            user: user, issuedAt: at, expiresAt: at.advanced(by: config.console.sessionDuration), id: ConsoleSessionSigner.newID())
        context.logger.info("console sign-in", metadata: ["console.user": "\(user)", "client.address": "\(address)"])
        if ephemeralKey, user == "admin" || !config.console.users.isEmpty {
            context.logger.debug("console sessions are signed with a per-process key (no console.session_key)")
        }
        return Self.redirect("/console/overview", headers: [.setCookie: setCookie(signer.cookieValue(session, credential: token), maxAge: session.expiresAt.millisecondsSinceEpoch / 1000 - at.millisecondsSinceEpoch / 1000)])
    }

    /// `POST /console/sign-out` (CSRF): forgets the session here and clears the cookie.
    func signOut(_ request: Request) async -> Response {
        await stateChange(request) { session, _ in
            revoked.revoke(session)
            return Self.redirect("/console/sign-in", headers: [.setCookie: setCookie("", maxAge: 0)])
        }
    }

    /// Which user `token` signs in (constant-time comparisons against every token).
    func user(presenting token: String) -> String? {
        let presented = Array(token.utf8)
        var found: String?
        for candidate in config.server.adminTokens where !candidate.isEmpty && SignatureSupport.constantTimeEquals(Array(candidate.utf8), presented) {
            found = "admin"
        }
        for user in config.console.users where !user.token.isEmpty && SignatureSupport.constantTimeEquals(Array(user.token.utf8), presented) {
            found = found ?? user.name
        }
        return found
    }

    /// The `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Path=/console`, `Secure` under TLS.
    func setCookie(_ value: String, maxAge: Int64) -> String {
        "\(Self.cookieName)=\(value); Path=/console; Max-Age=\(max(0, maxAge)); HttpOnly; SameSite=Strict" + (secureCookie ? "; Secure" : "")
    }

    /// `GET /console/assets/{name}`: the embedded stylesheet and script.
    static func asset(_ name: String) -> Response {
        guard let text = ConsoleAssets.files[name] else {
            return html(ConsolePage.document(nil, title: "Not found", user: nil, csrf: nil, body: "<p>No such asset.</p>"), status: .notFound)
        }
        var headers = securityHeaders
        headers[.contentType] = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
