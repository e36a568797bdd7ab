import BridgeCore
import BridgeDestinations
import BridgeMocks
import Foundation
import Testing
import _CryptoExtras

/// Settings, events and an OAuth-aware loopback sender for the two Google kinds.
enum GoogleFixtures {
    /// Secrets that must never appear in audit output, descriptions or errors.
    static let clientSecret = "GOCSPX-test-client-secret-4f1a"
    static let refreshToken = "1//0g-test-refresh-token-9c2e"
    static let developerToken = "dev-token-ABCDEFGHIJKLMNOP"

    /// Consent Mode granted for both purposes.
    static let granted = ConsentDecision(
        action: .send, reason: .grantedConsentMode, limitedDataUse: LimitedDataUse(adUserData: .granted, adPersonalization: .granted))

    /// The minimal valid `google` settings (refresh-token credentials), plus `extra`.
    static func dataManagerSettings(_ extra: [String: JSONValue] = [:], name: String = "google") -> DestinationSettings {
        var settings: [String: JSONValue] = [
            "operating_account_id": .string("123-456-7890"), "conversion_action_id": .string("555111222"),
            "refresh_token": .string(refreshToken), "client_id": .string("1234.apps.googleusercontent.com"),
            "client_secret": .string(clientSecret),
        ]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "google", settings: settings.filter { !$0.value.isNull })
    }

    /// The minimal valid `google_ads` settings (refresh-token credentials), plus `extra`.
    static func adsSettings(_ extra: [String: JSONValue] = [:], name: String = "google-ads") -> DestinationSettings {
        var settings: [String: JSONValue] = [
            "customer_id": .string("1234567890"), "conversion_action_id": .string("555111222"),
            "developer_token": .string(developerToken), "refresh_token": .string(refreshToken),
            "client_id": .string("1234.apps.googleusercontent.com"), "client_secret": .string(clientSecret),
        ]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "google_ads", settings: settings.filter { !$0.value.isNull })
    }

    static func dataManager(_ extra: [String: JSONValue] = [:]) throws -> GoogleDestination {
        try GoogleDestination(dataManagerSettings(extra))
    }

    static func ads(_ extra: [String: JSONValue] = [:]) throws -> GoogleAdsDestination {
        try GoogleAdsDestination(adsSettings(extra))
    }

    /// Settings pointing a destination and its token endpoint at `mock`
    /// (whose OAuth options are the defaults of `MockOAuthOptions`).
    static func mockCredentials(_ mock: MockPlatformServer) -> [String: JSONValue] {
        let oauth = MockOAuthOptions()
        return [
            "base_url": .string(mock.baseURL), "token_url": .string(mock.baseURL + oauth.path),
            "refresh_token": .string(oauth.refreshToken), "client_id": .string(oauth.clientID), "client_secret": .string(oauth.clientSecret),
        ]
    }

    /// The item of `event` for `destination`, with Consent Mode granted.
    static func item(
        _ destination: some Destination, _ event: ConversionEvent, consent: ConsentDecision = granted, now: Timestamp = ItemTestSupport.farFuture
    ) throws -> JSONValue {
        try DestinationFixtures.item(destination, event, consent: consent, now: now)
    }

    /// The outcome of `makeItem` for `event`.
    static func outcome(_ destination: some Destination, _ event: ConversionEvent, consent: ConsentDecision = granted) -> ItemOutcome {
        destination.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: destination.platform), consent: consent)
    }

    /// `count` items of the fixture purchase with ids `evt-0`, `evt-1`, …, a minute old.
    static func freshItems(_ count: Int, for destination: some Destination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            event.orderID = "order-\(index)"
            return try item(destination, event)
        }
    }

    /// A mock playing `api` with Google's token endpoint.
    static func startMock(_ api: any MockPlatformAPI, lifetimeSeconds: Int = 3599) async throws -> MockPlatformServer {
        try await MockPlatformServer.start(api, options: .init(oauth: MockOAuthOptions(lifetimeSeconds: lifetimeSeconds)))
    }
}

/// Sends a Google destination's requests over loopback as the pipeline
/// does: a token from the destination's issuer, then the request carrying it.
enum GoogleLoopback {
    /// A fresh token from `destination`'s issuer, or the issuer's refusal.
    static func token(for destination: some Destination, now: Timestamp = LoopbackSender.now()) async throws -> AccessTokenResult {
        let issuer = try #require(destination.tokenIssuer)
        switch await LoopbackSender.send(issuer.tokenRequest(now: now)) {
        case .reply(let reply): return issuer.readToken(reply, now: now)
        case .transportFailure(let verdict): throw TransportError(verdict: verdict)
        }
    }

    struct TransportError: Error { let verdict: DeliveryVerdict }

    /// Sends `items` with `token` (fetched when `nil`) and classifies the answer.
    static func deliver(
        _ destination: some Destination, items: [JSONValue], token: String? = nil, now: Timestamp = LoopbackSender.now()
    ) async throws -> DeliveryVerdict {
        var bearer = token
        if bearer == nil, case .token(let fresh) = try await self.token(for: destination, now: now) { bearer = fresh.value }
        let request = destination.authorizing(destination.makeRequest(items: items, batchID: "batch", now: now), with: try #require(bearer))
        switch await LoopbackSender.send(request, timeout: destination.limits.requestTimeout) {
        case .reply(let reply): return destination.classify(reply, itemCount: items.count, now: now)
        case .transportFailure(let verdict): return verdict
        }
    }
}

/// A service-account key file for tests: a fresh 2048-bit RSA key in the
/// PKCS #8 PEM Google's key files use.
struct TestServiceAccount {
    let privateKey: _RSA.Signing.PrivateKey
    let clientEmail = "capi-bridge@test-project.iam.gserviceaccount.com"

    init() throws { privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048) }

    /// The mock token endpoint's check of assertions signed with this key.
    func verifier(scope: String, audience: String) -> @Sendable (String) -> Bool {
        MockGoogleServiceAccount.verifier(publicKey: privateKey.publicKey, clientEmail: clientEmail, scope: scope, audience: audience)
    }

    /// The key file's JSON, with `tokenURI` as its `token_uri`.
    func keyJSON(tokenURI: String) -> String {
        let json = JSONValue.object([
            "type": .string("service_account"), "project_id": .string("test-project"), "private_key_id": .string("0123456789abcdef"),
            "private_key": .string(privateKey.pkcs8PEMRepresentation), "client_email": .string(clientEmail), "client_id": .string("1000000000001"),
            "token_uri": .string(tokenURI),
        ])
        return JSONWriter.string(json)
    }
}
