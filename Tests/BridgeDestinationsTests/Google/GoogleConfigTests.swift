import BridgeCore
import BridgeDestinations
import Foundation
import Testing

@Suite("Google destinations: configuration and service accounts")
struct GoogleConfigTests {
    func error(_ settings: DestinationSettings) -> DestinationConfigError? {
        do {
            _ = try DestinationRegistry.make(settings)
            return nil
        } catch {
            return error
        }
    }

    @Test("both kinds are registered")
    func registered() throws {
        #expect(DestinationRegistry.kinds.contains("google"))
        #expect(DestinationRegistry.kinds.contains("google_ads"))
        let google = try DestinationRegistry.make(GoogleFixtures.dataManagerSettings())
        #expect(google.kind == "google" && google.platform == .google)
        #expect(google.tokenIssuer != nil, "the pipeline sees the destination's own token issuer")
        let ads = try DestinationRegistry.make(GoogleFixtures.adsSettings())
        #expect(ads.kind == "google_ads" && ads.platform == .google)
        #expect(ads.tokenIssuer?.cacheKey == "refresh:https://oauth2.googleapis.com/token:1234.apps.googleusercontent.com")
    }

    @Test("validate_only is the test mode of both kinds")
    func testMode() throws {
        #expect(try !GoogleFixtures.dataManager().sendsToTestMode)
        #expect(try GoogleFixtures.dataManager(["validate_only": .bool(true)]).sendsToTestMode)
        #expect(try !GoogleFixtures.ads().sendsToTestMode)
        #expect(try GoogleFixtures.ads(["validate_only": .string("true")]).sendsToTestMode)
    }

    @Test("google key problems name the key", arguments: [
        (["operating_account_id": JSONValue.null], "operating_account_id", DestinationConfigError.Code.missingKey),
        (["operating_account_id": .string("12345")], "operating_account_id", .invalidValue),
        (["conversion_action_id": .string("AW-123")], "conversion_action_id", .invalidValue),
        (["login_account_id": .string("abc")], "login_account_id", .invalidValue),
        (["event_source": .string("SHOP")], "event_source", .invalidValue),
        (["transaction_id": .string("cart_id")], "transaction_id", .invalidValue),
        (["validate_only": .string("maybe")], "validate_only", .invalidValue),
        (["max_events_per_request": .number("2001")], "max_events_per_request", .invalidValue),
        (["max_event_age_days": .number("91")], "max_event_age_days", .invalidValue),
        (["base_url": .string("datamanager.googleapis.com")], "base_url", .invalidValue),
        (["refresh_token": .null], "refresh_token", .missingKey),
        (["client_secret": .null], "client_secret", .missingKey),
        (["validate_onyl": .bool(true)], "validate_onyl", .unknownKey),
    ])
    func dataManagerErrors(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(GoogleFixtures.dataManagerSettings(extra))
        #expect(failure?.keyPath == key)
        #expect(failure?.code == code)
        #expect(failure?.destination == "google")
    }

    @Test("google_ads key problems name the key", arguments: [
        (["customer_id": JSONValue.null], "customer_id", DestinationConfigError.Code.missingKey),
        (["customer_id": .string("123-456-789")], "customer_id", .invalidValue),
        (["developer_token": .null], "developer_token", .missingKey),
        (["login_customer_id": .string("12")], "login_customer_id", .invalidValue),
        (["api_version": .string("26")], "api_version", .invalidValue),
        (["conversion_action_id": .null], "conversion_action_id", .missingKey),
        (["max_events_per_request": .number("0")], "max_events_per_request", .invalidValue),
        (["partial_failure": .bool(false)], "partial_failure", .unknownKey),
    ])
    func adsErrors(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(GoogleFixtures.adsSettings(extra))
        #expect(failure?.keyPath == key)
        #expect(failure?.code == code)
    }

    @Test("errors never repeat a secret")
    func noSecretInErrors() throws {
        let secret = "GOCSPX-super-secret"
        for settings in [
            GoogleFixtures.dataManagerSettings(["client_secret": .string(secret), "operating_account_id": .string(secret)]),
            GoogleFixtures.adsSettings(["developer_token": .string(secret), "customer_id": .string(secret)]),
            GoogleFixtures.adsSettings(["service_account_json": .string("{\"private_key\": \"\(secret)\", \"client_email\": \"a@b\"}")]),
        ] {
            let failure = error(settings)
            #expect(failure != nil)
            #expect(failure.map { !"\($0)".contains(secret) } == true)
        }
    }

    @Test("a service account replaces the refresh token; both at once is an error")
    func serviceAccountChoice() throws {
        let account = try TestServiceAccount()
        let json = account.keyJSON(tokenURI: "https://oauth2.googleapis.com/token")
        let noRefresh: [String: JSONValue] = ["refresh_token": .null, "client_id": .null, "client_secret": .null]
        let google = try DestinationRegistry.make(GoogleFixtures.dataManagerSettings(noRefresh.merging(["service_account_json": .string(json)]) { $1 }))
        let issuer = try #require(google.tokenIssuer as? GoogleServiceAccountIssuer)
        #expect(issuer.clientEmail == account.clientEmail)
        #expect(issuer.scope == "https://www.googleapis.com/auth/datamanager")
        #expect(issuer.tokenURI == "https://oauth2.googleapis.com/token")
        let ads = try DestinationRegistry.make(GoogleFixtures.adsSettings(noRefresh.merging(["service_account_json": .string(json)]) { $1 }))
        #expect((ads.tokenIssuer as? GoogleServiceAccountIssuer)?.scope == "https://www.googleapis.com/auth/adwords")
        // Both kinds of credential at once.
        let both = error(GoogleFixtures.dataManagerSettings(["service_account_json": .string(json)]))
        #expect(both?.keyPath == "service_account_json")
        #expect(both?.code == .invalidValue)
        // Neither.
        #expect(error(GoogleFixtures.dataManagerSettings(noRefresh))?.code == .missingKey)
    }

    @Test("service_account_json is the key file's text: a path (the configuration loader reads it) or a bad key is refused without quoting it")
    func serviceAccountText() throws {
        let account = try TestServiceAccount()
        let noRefresh: [String: JSONValue] = ["refresh_token": .null, "client_id": .null, "client_secret": .null]
        let text = "\n" + account.keyJSON(tokenURI: "http://127.0.0.1:9/token")
        let google = try DestinationRegistry.make(GoogleFixtures.dataManagerSettings(noRefresh.merging(["service_account_json": .string(text)]) { $1 }))
        #expect((google.tokenIssuer as? GoogleServiceAccountIssuer)?.tokenURI == "http://127.0.0.1:9/token")
        // The destination reads no files: a path that exists is still refused.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString).json").path
        try Data(account.keyJSON(tokenURI: "http://127.0.0.1:9/token").utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let unread = error(GoogleFixtures.dataManagerSettings(noRefresh.merging(["service_account_json": .string(path)]) { $1 }))
        #expect(unread?.keyPath == "service_account_json")
        #expect(unread?.code == .invalidValue)
        #expect(unread.map { !"\($0)".contains(path) } == true)
        let badKey = #"{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#
        let refused = error(GoogleFixtures.dataManagerSettings(noRefresh.merging(["service_account_json": .string(badKey)]) { $1 }))
        #expect(refused?.keyPath == "service_account_json")
        #expect(refused.map { !"\($0)".contains("AAAA") } == true)
    }

    @Test("only the Google kinds have a key that may name a file")
    func fileKeys() {
        #expect(DestinationRegistry.fileKeys(kind: "google") == ["service_account_json"])
        #expect(DestinationRegistry.fileKeys(kind: "google_ads") == ["service_account_json"])
        #expect(DestinationRegistry.kinds.filter { !DestinationRegistry.fileKeys(kind: $0).isEmpty }.sorted() == ["google", "google_ads"])
    }

    @Test("the assertion is an RS256 JWT with Google's claims, base64url without padding, valid for one hour")
    func assertion() throws {
        let account = try TestServiceAccount()
        let issuer = try GoogleServiceAccountIssuer(
            keyJSON: account.keyJSON(tokenURI: "https://oauth2.googleapis.com/token"), scope: GoogleAdsDestination.scope)
        let now = DestinationFixtures.sentAt
        let jwt = issuer.assertion(now: now)
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 3)
        for part in parts { #expect(!part.contains("=") && !part.contains("+") && !part.contains("/")) }
        let header = try JSONParser.parse(try #require(Self.base64URL(parts[0])))
        #expect(header["alg"] == .string("RS256"))
        #expect(header["typ"] == .string("JWT"))
        #expect(header["kid"] == .string("0123456789abcdef"))
        let claims = try JSONParser.parse(try #require(Self.base64URL(parts[1])))
        #expect(claims["iss"] == .string(account.clientEmail))
        #expect(claims["scope"] == .string("https://www.googleapis.com/auth/adwords"))
        #expect(claims["aud"] == .string("https://oauth2.googleapis.com/token"))
        #expect(claims["iat"] == .number(String(now.secondsSinceEpoch)))
        #expect(claims["exp"] == .number(String(now.secondsSinceEpoch + 3600)))
        // The signature verifies with the public key, as Google's endpoint checks it.
        let verify = account.verifier(scope: GoogleAdsDestination.scope, audience: "https://oauth2.googleapis.com/token")
        let fresh = issuer.assertion(now: LoopbackSender.now())
        #expect(verify(fresh))
        #expect(!verify(String(fresh.dropLast(4)) + "AAAA"), "a tampered signature is refused")
        let otherAccount = try TestServiceAccount()
        #expect(!otherAccount.verifier(scope: GoogleAdsDestination.scope, audience: "https://oauth2.googleapis.com/token")(fresh))
        // The token request is the RFC 7523 grant, and the audit copy holds no assertion.
        let request = issuer.tokenRequest(now: now)
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.hasPrefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="))
        #expect(request.url == "https://oauth2.googleapis.com/token")
        #expect(!JSONWriter.string(request.auditPayload).contains(parts[2]))
        #expect(!"\(issuer)".contains("PRIVATE KEY") && !String(reflecting: issuer).contains("PRIVATE KEY"))
    }

    static func base64URL(_ text: String) -> [UInt8]? {
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { Array($0) }
    }
}
