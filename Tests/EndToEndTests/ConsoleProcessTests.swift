import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The browser console (`/console`) of the real process over loopback:
/// sign-in, the cookie's attributes, the security headers, CSRF and
/// session refusals, the sign-in rate limit, and no personal data in clear.
@Suite("The console in the real process", .serialized)
struct ConsoleProcessTests {
    static let adminToken = String(repeating: "c", count: 40)
    static let annaToken = String(repeating: "a", count: 40)

    static func config(meta: MockMetaServer?, secureCookie: Bool = false) -> (URL, String) -> String {
        { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0, admin_token: "\(adminToken)"}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            destinations:
              - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "meta-token", base_url: "\(meta?.baseURL ?? "http://127.0.0.1:9")", max_wait_ms: 20}
            audit: {dir: \(directory.path)/audit}
            console:
              users: [{name: anna, token: "\(annaToken)"}]
              session_key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
              session_duration: 1h
              sign_in_attempts: 3
              secure_cookie: \(secureCookie)
            logging: {level: info}
            """
        }
    }

    struct Answer {
        var status: UInt
        var headers: HTTPHeaders
        var body: String
    }

    /// A client that does not follow redirects (the tests read the 303s).
    static func withClient<Result>(_ body: (HTTPClient) async throws -> Result) async throws -> Result {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let outcome: Swift.Result<Result, any Error>
        do { outcome = .success(try await body(client)) } catch { outcome = .failure(error) }
        try? await client.shutdown()
        return try outcome.get()
    }

    static func send(
        _ client: HTTPClient, _ url: String, method: HTTPMethod = .GET, form: String? = nil, cookie: String? = nil, origin: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let cookie { request.headers.add(name: "cookie", value: "capi_console=\(cookie)") }
        if let origin { request.headers.add(name: "origin", value: origin) }
        if let form {
            request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await client.execute(request, timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: response.status.code, headers: response.headers, body: String(buffer: body))
    }

    /// Signs in with `token`; the cookie's value and the whole `Set-Cookie` header.
    static func signIn(_ client: HTTPClient, base: String, token: String) async throws -> (cookie: String, header: String) {
        let answer = try await send(client, "\(base)/console/sign-in", method: .POST, form: "token=\(token)")
        #expect(answer.status == 303)
        #expect(answer.headers.first(name: "location") == "/console/overview")
        let header = try #require(answer.headers.first(name: "set-cookie"))
        let value = try #require(header.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        return (String(value), header)
    }

    static func csrf(in page: String) throws -> String {
        let marker = "name=\"csrf\" value=\""
        let start = try #require(page.range(of: marker)?.upperBound)
        return String(page[start...].prefix { $0 != "\"" })
    }

    @Test("sign-in sets an HttpOnly, SameSite=Strict cookie on /console with an expiry; pages carry the security headers; no cookie means sign-in")
    func signInAndHeaders() async throws {
        let bridge = try await BridgeProcess(config: Self.config(meta: nil))
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            let base = "http://127.0.0.1:\(bridge.port)"
            // Without a session every page sends the browser to sign in, and shows no data
            for page in ["overview", "sales", "dead-letters", "match-quality", "reconciliation", "audit"] {
                let refused = try await Self.send(client, "\(base)/console/\(page)")
                #expect(refused.status == 303, "\(page)")
                #expect(refused.headers.first(name: "location") == "/console/sign-in")
                #expect(refused.body.isEmpty)
            }
            // A forged cookie is no session either
            #expect(try await Self.send(client, "\(base)/console/overview", cookie: "djF8YWRtaW4.AAAA").status == 303)
            // When a named user signs in with their token
            let (cookie, header) = try await Self.signIn(client, base: base, token: Self.annaToken)
            // Then the cookie is HttpOnly, SameSite=Strict, scoped to /console, expires with the session, and not Secure without TLS
            let attributes = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("SameSite=Strict"))
            #expect(attributes.contains("Path=/console"))
            #expect(attributes.contains("Max-Age=3600"))
            #expect(!attributes.contains("Secure"))
            #expect(!header.contains(Self.annaToken))
            // And every page answers with the security headers
            for page in ["overview", "sales", "dead-letters", "match-quality", "reconciliation", "audit"] {
                let answer = try await Self.send(client, "\(base)/console/\(page)", cookie: cookie)
                #expect(answer.status == 200, "\(page): \(answer.body.prefix(300))")
                #expect(answer.headers.first(name: "content-type") == "text/html; charset=utf-8")
                let policy = answer.headers.first(name: "content-security-policy") ?? ""
                #expect(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
                #expect(answer.headers.first(name: "x-frame-options") == "DENY")
                #expect(answer.headers.first(name: "referrer-policy") == "no-referrer")
                #expect(answer.headers.first(name: "cache-control") == "no-store")
                #expect(answer.body.contains("Signed in as anna"))
                #expect(!answer.body.contains("<script>"), "no inline script")
            }
            // And the stylesheet and script come from the binary
            let css = try await Self.send(client, "\(base)/console/assets/console.css")
            #expect(css.status == 200 && css.headers.first(name: "content-type") == "text/css; charset=utf-8" && css.body.contains(":root"))
            #expect(try await Self.send(client, "\(base)/console/assets/console.js").status == 200)
        }
    }

    @Test("behind a TLS-terminating proxy (secure_cookie: true) the cookie is Secure too")
    func secureCookie() async throws {
        let bridge = try await BridgeProcess(config: Self.config(meta: nil, secureCookie: true))
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            let (_, header) = try await Self.signIn(client, base: "http://127.0.0.1:\(bridge.port)", token: Self.adminToken)
            let attributes = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(attributes.contains("Secure") && attributes.contains("HttpOnly") && attributes.contains("SameSite=Strict"))
        }
    }

    @Test("a state-changing form without the session, with a wrong CSRF token or from another origin is refused; sign-out ends the session")
    func csrfAndSignOut() async throws {
        let bridge = try await BridgeProcess(config: Self.config(meta: nil))
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            let base = "http://127.0.0.1:\(bridge.port)"
            let (cookie, _) = try await Self.signIn(client, base: base, token: Self.adminToken)
            let page = try await Self.send(client, "\(base)/console/audit", cookie: cookie)
            let token = try Self.csrf(in: page.body)
            // No cookie: 401; wrong or missing CSRF token: 403; a foreign Origin: 403
            #expect(try await Self.send(client, "\(base)/console/audit/verify", method: .POST, form: "csrf=\(token)").status == 401)
            #expect(try await Self.send(client, "\(base)/console/audit/verify", method: .POST, form: "csrf=wrong", cookie: cookie).status == 403)
            #expect(try await Self.send(client, "\(base)/console/dead-letters/replay", method: .POST, form: "all=1&confirmed=yes", cookie: cookie).status == 403)
            #expect(
                try await Self.send(client, "\(base)/console/audit/verify", method: .POST, form: "csrf=\(token)", cookie: cookie, origin: "https://evil.example")
                    .status == 403)
            // The right token is accepted, from this origin or the `null` origin browsers send under no-referrer
            #expect(
                try await Self.send(client, "\(base)/console/audit/verify", method: .POST, form: "csrf=\(token)", cookie: cookie, origin: "null").status
                    == 303)
            let verified = try await Self.send(client, "\(base)/console/audit/verify", method: .POST, form: "csrf=\(token)", cookie: cookie, origin: base)
            #expect(verified.status == 303)
            let audit = try await Self.send(client, "\(base)/console/audit", cookie: cookie)
            #expect(audit.body.contains("Chain intact"), "\(audit.body)")
            // Sign-out clears the cookie and the old cookie no longer opens a page
            let out = try await Self.send(client, "\(base)/console/sign-out", method: .POST, form: "csrf=\(token)", cookie: cookie)
            #expect(out.status == 303)
            #expect(out.headers.first(name: "set-cookie")?.contains("Max-Age=0") == true)
            #expect(try await Self.send(client, "\(base)/console/overview", cookie: cookie).status == 303)
        }
    }

    @Test("failed sign-ins are refused with 401, then 429 per client address, and logged without the token")
    func signInLimit() async throws {
        let bridge = try await BridgeProcess(config: Self.config(meta: nil))
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            let base = "http://127.0.0.1:\(bridge.port)"
            let wrong = "wrong-token-\(UUID().uuidString)"
            for _ in 0..<3 { #expect(try await Self.send(client, "\(base)/console/sign-in", method: .POST, form: "token=\(wrong)").status == 401) }
            let limited = try await Self.send(client, "\(base)/console/sign-in", method: .POST, form: "token=\(Self.adminToken)")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "retry-after").flatMap(Int.init).map { $0 > 0 } == true)
            #expect(bridge.logs("console sign-in failed").count == 3)
            #expect(!bridge.logLines.joined().contains(wrong))
            #expect(!bridge.logLines.joined().contains(Self.adminToken))
        }
    }

    @Test("a sale is found by order id and by e-mail, and no console page holds the fixture's personal data in clear")
    func noPersonalData() async throws {
        let meta = try await MockMetaServer.start()
        let bridge = try await BridgeProcess(config: Self.config(meta: meta))
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            let base = "http://127.0.0.1:\(bridge.port)"
            #expect(try await bridge.postSigned(JourneyTests.purchase("sale:console:1"), id: "msg_console_1", client: client) == 202)
            #expect(await BridgeProcess.wait { meta.acceptedEventIDs.contains("sale:console:1") })
            let (cookie, _) = try await Self.signIn(client, base: base, token: Self.adminToken)
            var pages: [String: String] = [:]
            for page in ["overview", "sales", "dead-letters", "match-quality?since=30d", "reconciliation", "audit", "sales?order_id=A-1001"] {
                pages[page] = try await Self.send(client, "\(base)/console/\(page)", cookie: cookie).body
            }
            #expect(pages["sales?order_id=A-1001"]?.contains("sale:console:1") == true)
            let csrf = try Self.csrf(in: pages["sales"] ?? "")
            let email = JourneyTests.email.uppercased().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let byEmail = try await Self.send(client, "\(base)/console/sales", method: .POST, form: "csrf=\(csrf)&email=\(email)", cookie: cookie)
            #expect(byEmail.status == 200)
            #expect(byEmail.body.contains("sale:console:1"), "\(byEmail.body.suffix(600))")
            pages["search by e-mail"] = byEmail.body
            let csv = try await Self.send(client, "\(base)/console/match-quality/download?format=csv&since=30d", cookie: cookie)
            #expect(csv.status == 200 && csv.headers.first(name: "content-disposition")?.contains("match-quality.csv") == true)
            pages["csv"] = csv.body
            for (name, body) in pages {
                #expect(!JourneyTests.holdsPersonalData(body), "\(name) holds personal data")
                #expect(!body.lowercased().contains(JourneyTests.email), "\(name)")
            }
            #expect(!bridge.logLines.joined().lowercased().contains(JourneyTests.email))
        }
    }
}
