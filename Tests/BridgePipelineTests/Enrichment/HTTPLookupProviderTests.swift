import AsyncHTTPClient
import BridgeCore
@testable import BridgePipeline
import BridgeServer
import Foundation
import Logging
import Testing

@Suite("HTTP enrichment lookup against a mock API", .serialized)
struct HTTPLookupProviderTests {
    @Test("API-key lookup sends the configured keys and fills only what the event lacks, from the mapped pointers")
    func apiKeyLookup() async throws {
        try await withEnrichmentAPI { mock, client in
            // Given a profile for b@example.com and an event that already has a first name
            mock.addProfile(
                EnrichmentFixtures.emailDigest("b@example.com"),
                .object(["phone": .string("+1 650 555 0101"), "name": .object(["first": .string("Blair"), "last": .string("Stone")])]))
            let provider = HTTPLookupProvider(
                name: "crm", settings: EnrichmentFixtures.settings(url: mock.baseURL), client: client, logger: EnrichmentFixtures.logger)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let event = EnrichmentFixtures.event(customer: [.email: " B@Example.com ", .firstName: "Bee", .externalID: " c-42 "])
            // When it is enriched
            let result = await chain.enrich(event)
            // Then phone and last name are added, the backend's first name is kept
            #expect(result.added == IdentifierSet([.phone, .lastName]))
            #expect(result.addedByProvider == ["crm": IdentifierSet([.phone, .lastName])])
            #expect(result.event.customer[.firstName]?.rawValue == "Bee")
            #expect(result.event.customer[.phone]?.rawValue == "+1 650 555 0101")
            #expect(result.event.customer[.lastName]?.rawValue == "Stone")
            // And the request carried the hashed e-mail, the external id and the API key, nothing raw
            let body = try #require(mock.lookups.first)
            #expect(body == .object(["email_sha256": .string(EnrichmentFixtures.emailDigest("b@example.com")), "external_id": .string("c-42")]))
            #expect(mock.lookupHeaders.first?["x-api-key"] == MockEnrichmentServer.apiKey)
        }
    }

    @Test("an event without any lookup key is not looked up")
    func noKeys() async throws {
        try await withEnrichmentAPI { mock, client in
            let provider = HTTPLookupProvider(
                name: "crm", settings: EnrichmentFixtures.settings(url: mock.baseURL), client: client, logger: EnrichmentFixtures.logger)
            let result = await EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
                .enrich(EnrichmentFixtures.event(customer: [.phone: "+16505550101"]))
            #expect(result.added.isEmpty)
            #expect(mock.lookups.isEmpty)
        }
    }

    @Test("OAuth client credentials: one token for many lookups, a new one after it is refused")
    func oauthTokenReuseAndRenewal() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.addProfile("c-1", .object(["phone": .string("+16505550101")]))
            let auth = HTTPLookupSettings.Auth.oauth2(
                OAuthClientCredentials(
                    tokenURL: mock.baseURL + "/oauth/token", clientID: MockEnrichmentServer.clientID,
                    clientSecret: MockEnrichmentServer.clientSecret, scope: "profiles.read"))
            var settings = EnrichmentFixtures.settings(url: mock.baseURL, auth: auth, lookupKeys: [.externalID])
            settings.cacheTTL = .zero
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            for _ in 0..<3 {
                let result = await chain.enrich(EnrichmentFixtures.event(customer: [.externalID: "c-1"]))
                #expect(result.added == IdentifierSet([.phone]))
            }
            #expect(mock.tokenRequests == 1)
            #expect(mock.lookupHeaders.allSatisfy { $0["authorization"] == "Bearer tok-1" })
            #expect(mock.tokenForms.first?.contains("grant_type=client_credentials") == true)
            #expect(mock.tokenForms.first?.contains("scope=profiles.read") == true)
            #expect(mock.tokenForms.first?.contains("client_secret") == false, "Basic authentication keeps the secret out of the body")
            // When the API refuses the token, that lookup adds nothing and the next one fetches a new token
            mock.revokeTokens()
            let refused = await chain.enrich(EnrichmentFixtures.event(customer: [.externalID: "c-1"]))
            #expect(refused.added.isEmpty)
            let renewed = await chain.enrich(EnrichmentFixtures.event(customer: [.externalID: "c-1"]))
            #expect(renewed.added == IdentifierSet([.phone]))
            #expect(mock.tokenRequests == 2)
        }
    }

    @Test("the token is renewed shortly before it expires")
    func oauthTokenExpiry() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.setTokenLifetime(120)
            mock.addProfile("c-1", .object(["phone": .string("+16505550101")]))
            let time = ManualTime()
            let auth = HTTPLookupSettings.Auth.oauth2(
                OAuthClientCredentials(
                    tokenURL: mock.baseURL + "/oauth/token", clientID: MockEnrichmentServer.clientID,
                    clientSecret: MockEnrichmentServer.clientSecret, clientAuthentication: .body))
            var settings = EnrichmentFixtures.settings(url: mock.baseURL, auth: auth, lookupKeys: [.externalID])
            settings.cacheTTL = .zero
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger, now: time.closure)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let event = EnrichmentFixtures.event(customer: [.externalID: "c-1"])
            _ = await chain.enrich(event)
            time.advance(.seconds(59))  // 120 s token, renewed 60 s before expiry
            _ = await chain.enrich(event)
            #expect(mock.tokenRequests == 1)
            time.advance(.seconds(2))
            let result = await chain.enrich(event)
            #expect(result.added == IdentifierSet([.phone]))
            #expect(mock.tokenRequests == 2)
            #expect(mock.tokenForms.first?.contains("client_id=bridge-client") == true)
        }
    }

    @Test(
        "an absurd expires_in is clamped: no trap, and the token is still renewed within a day",
        arguments: ["9223372036854775807", "99999999999999999999999", "1e300", "-5", "0", "\"soon\""])
    func absurdTokenLifetime(_ expiresIn: String) async throws {
        try await withEnrichmentAPI { mock, client in
            mock.setTokenLifetime(json: expiresIn)
            mock.addProfile("c-1", .object(["phone": .string("+16505550101")]))
            let time = ManualTime()
            let auth = HTTPLookupSettings.Auth.oauth2(
                OAuthClientCredentials(
                    tokenURL: mock.baseURL + "/oauth/token", clientID: MockEnrichmentServer.clientID,
                    clientSecret: MockEnrichmentServer.clientSecret, clientAuthentication: .body))
            var settings = EnrichmentFixtures.settings(url: mock.baseURL, auth: auth, lookupKeys: [.externalID])
            settings.cacheTTL = .zero
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger, now: time.closure)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let event = EnrichmentFixtures.event(customer: [.externalID: "c-1"])
            #expect(await chain.enrich(event).added == IdentifierSet([.phone]))
            time.advance(.seconds(86_401))
            #expect(await chain.enrich(event).added == IdentifierSet([.phone]))
            #expect(mock.tokenRequests == 2)
        }
    }

    @Test("a slow provider never delays the event past the budget, and the event goes on")
    func slowProviderKeepsBudget() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.always(.delay(.seconds(60)))
            mock.addProfile(EnrichmentFixtures.emailDigest("b@example.com"), .object(["phone": .string("+16505550101")]))
            let provider = HTTPLookupProvider(
                name: "crm", settings: EnrichmentFixtures.settings(url: mock.baseURL, timeout: .seconds(90)), client: client,
                logger: EnrichmentFixtures.logger)
            let after = StubProvider(name: "after", delay: .seconds(1)) { _ in EnrichmentContribution(customer: [.lastName: "Late"]) }
            let chain = EnrichmentChain(providers: [provider, after], budget: .milliseconds(300), logger: EnrichmentFixtures.logger)
            let event = EnrichmentFixtures.event(customer: [.email: "b@example.com"])
            let start = ContinuousClock.now
            let result = await chain.enrich(event)
            let elapsed = ContinuousClock.now - start
            // Far below the API's 60 s. Loose on purpose: with the whole suite
            // running in parallel on two cores, timers can fire seconds late.
            #expect(elapsed < .seconds(40), "returned after \(elapsed)")
            #expect(result.event.customer[.email]?.rawValue == "b@example.com")
            #expect(result.added.isEmpty, "nothing added: the budget ran out, later providers are skipped or abandoned")
            #expect(mock.lookups.count == 1)
        }
    }

    @Test("a request slower than timeout_ms fails alone; the budget's remainder goes to the next provider")
    func perRequestTimeout() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.always(.delay(.seconds(60)))
            let provider = HTTPLookupProvider(
                name: "crm", settings: EnrichmentFixtures.settings(url: mock.baseURL, timeout: .milliseconds(150)), client: client,
                logger: EnrichmentFixtures.logger)
            let after = StubProvider(name: "after") { _ in EnrichmentContribution(customer: [.lastName: "Next"]) }
            let chain = EnrichmentChain(providers: [provider, after], budget: .seconds(120), logger: EnrichmentFixtures.logger)
            let start = ContinuousClock.now
            let result = await chain.enrich(EnrichmentFixtures.event(customer: [.email: "b@example.com"]))
            #expect(ContinuousClock.now - start < .seconds(40), "the 150 ms timeout, not the API's 60 s")
            #expect(result.addedByProvider == ["after": IdentifierSet([.lastName])])
        }
    }

    @Test("5xx and malformed answers open the breaker; an open breaker skips the API; a probe closes it")
    func breaker() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.addProfile(EnrichmentFixtures.emailDigest("b@example.com"), .object(["phone": .string("+16505550101")]))
            let time = ManualTime()
            let configuration = try CircuitBreaker.Configuration(consecutiveFailures: 2, coolDown: .seconds(10), probeTimeout: .seconds(5))
            var settings = EnrichmentFixtures.settings(url: mock.baseURL, breaker: configuration)
            settings.cacheTTL = .zero
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger, now: time.closure)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let event = EnrichmentFixtures.event(customer: [.email: "b@example.com"])
            mock.script(.status(503), .malformed)
            #expect(await chain.enrich(event).added.isEmpty)
            #expect(await chain.enrich(event).added.isEmpty)
            #expect(await provider.breakerStatus == .open(until: time.now.advanced(by: .seconds(10))))
            // While open: no request, the event goes on
            #expect(await chain.enrich(event).added.isEmpty)
            #expect(mock.lookups.count == 2)
            // After the cool-down one probe goes through and closes it
            time.advance(.seconds(10))
            #expect(await chain.enrich(event).added == IdentifierSet([.phone]))
            #expect(await provider.breakerStatus == .closed)
            #expect(mock.lookups.count == 3)
        }
    }

    @Test("429 holds every lookup until its Retry-After")
    func throttled() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.addProfile(EnrichmentFixtures.emailDigest("b@example.com"), .object(["phone": .string("+16505550101")]))
            let time = ManualTime()
            var settings = EnrichmentFixtures.settings(url: mock.baseURL)
            settings.cacheTTL = .zero
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger, now: time.closure)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let event = EnrichmentFixtures.event(customer: [.email: "b@example.com"])
            mock.script(.status(429, retryAfter: 30))
            #expect(await chain.enrich(event).added.isEmpty)
            time.advance(.seconds(29))
            #expect(await chain.enrich(event).added.isEmpty)
            #expect(mock.lookups.count == 1, "held: not asked again before Retry-After")
            time.advance(.seconds(1))
            #expect(await chain.enrich(event).added == IdentifierSet([.phone]))
            #expect(await provider.breakerStatus == .closed, "throttling is not a failure")
        }
    }

    @Test("answers and 'no profile' are cached until their time to live")
    func cache() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.addProfile(EnrichmentFixtures.emailDigest("b@example.com"), .object(["phone": .string("+16505550101")]))
            let time = ManualTime()
            var settings = EnrichmentFixtures.settings(url: mock.baseURL)
            settings.cacheTTL = .seconds(60)
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger, now: time.closure)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let known = EnrichmentFixtures.event(customer: [.email: "b@example.com"])
            let unknown = EnrichmentFixtures.event(customer: [.email: "nobody@example.com"])
            #expect(await chain.enrich(known).added == IdentifierSet([.phone]))
            #expect(await chain.enrich(unknown).added.isEmpty)
            #expect(await chain.enrich(known).added == IdentifierSet([.phone]))
            #expect(await chain.enrich(unknown).added.isEmpty)
            #expect(mock.lookups.count == 2)
            time.advance(.seconds(60))
            #expect(await chain.enrich(known).added == IdentifierSet([.phone]))
            #expect(mock.lookups.count == 3)
        }
    }

    @Test("at the concurrency limit an event goes on without the provider instead of waiting")
    func concurrencyLimit() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.always(.delay(.seconds(60)))
            mock.addProfile(EnrichmentFixtures.emailDigest("b@example.com"), .object(["phone": .string("+16505550101")]))
            var settings = EnrichmentFixtures.settings(url: mock.baseURL, timeout: .seconds(90))
            settings.concurrency = 1
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(120), logger: EnrichmentFixtures.logger)
            // The first event holds the only slot (its lookup answers after 60 s; it is cancelled at the end).
            let first = Task { await chain.enrich(EnrichmentFixtures.event("a", customer: [.email: "b@example.com"])) }
            for _ in 0..<500 where mock.lookups.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            let start = ContinuousClock.now
            let second = await chain.enrich(EnrichmentFixtures.event("b", customer: [.email: "b@example.com"]))
            #expect(ContinuousClock.now - start < .seconds(40), "did not wait for the first lookup (60 s)")
            #expect(second.added.isEmpty)
            #expect(mock.lookups.count == 1)
            first.cancel()
            _ = await first.value
        }
    }

    @Test("a raw e-mail lookup key sends the normalized address (only when configured)")
    func rawEmail() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.addProfile("b@example.com", .object(["phone": .string("+16505550101")]))
            let settings = EnrichmentFixtures.settings(url: mock.baseURL, lookupKeys: [.email])
            let provider = HTTPLookupProvider(name: "crm", settings: settings, client: client, logger: EnrichmentFixtures.logger)
            let result = await EnrichmentChain(providers: [provider], budget: .seconds(30), logger: EnrichmentFixtures.logger)
                .enrich(EnrichmentFixtures.event(customer: [.email: "  B@Example.COM"]))
            #expect(result.added == IdentifierSet([.phone]))
            #expect(mock.lookups.first == .object(["email": .string("b@example.com")]))
        }
    }

    @Test("failures are logged without personal data")
    func logsNoPersonalData() async throws {
        try await withEnrichmentAPI { mock, client in
            mock.always(.status(500))
            let sink = JSONLogHandler.LogSink(capture: true)
            let logger = Logger(label: "test") { label in JSONLogHandler(label: label, level: .trace, sink: sink) }
            let provider = HTTPLookupProvider(name: "crm", settings: EnrichmentFixtures.settings(url: mock.baseURL), client: client, logger: logger)
            let chain = EnrichmentChain(providers: [provider], budget: .seconds(30), logger: logger)
            _ = await chain.enrich(EnrichmentFixtures.event(customer: [.email: "secret.person@example.com", .externalID: "cust-777"]))
            let text = sink.captured.joined(separator: "\n")
            #expect(text.contains("crm"))
            for leak in ["secret.person", EnrichmentFixtures.emailDigest("secret.person@example.com"), "cust-777"] {
                #expect(!text.contains(leak))
            }
        }
    }
}
