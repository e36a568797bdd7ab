import BridgeCore
import BridgeDestinations
import Testing

@Suite("Destination configuration")
struct DestinationConfigTests {
    func error(_ settings: DestinationSettings) -> DestinationConfigError? {
        do {
            _ = try DestinationRegistry.make(settings)
            return nil
        } catch {
            return error
        }
    }

    @Test("the registry knows every platform, the webhook and the sandbox")
    func kinds() throws {
        #expect(
            DestinationRegistry.kinds == [
                "meta", "webhook", "sandbox", "google", "google_ads", "tiktok", "snapchat", "pinterest", "reddit", "linkedin", "ga4",
            ])
        #expect(try DestinationRegistry.make(DestinationFixtures.metaSettings()).kind == "meta")
        let webhook = DestinationSettings(
            name: "hook", kind: "webhook", settings: ["url": .string("https://example.com/hook"), "secret": .string(DestinationFixtures.webhookSecret)])
        #expect(try DestinationRegistry.make(webhook).kind == "webhook")
        let sandbox = DestinationSettings(name: "sandbox", kind: "sandbox", settings: ["path": .string("/tmp/sandbox.jsonl")])
        #expect(try DestinationRegistry.make(sandbox).kind == "sandbox")
    }

    /// A destination of every kind that sends to `url`: each platform's
    /// `base_url`, the webhook's `url`, LinkedIn's and Google's `token_url`;
    /// with `extra` on each.
    static func endpoints(_ url: String, _ extra: [String: JSONValue] = [:]) -> [(settings: DestinationSettings, key: String)] {
        let base: [String: JSONValue] = ["base_url": .string(url)]
        let token: [String: JSONValue] = ["token_url": .string(url)]
        func with(_ values: [String: JSONValue]) -> [String: JSONValue] { values.merging(extra) { $1 } }
        return [
            (DestinationFixtures.metaSettings(with(base)), "base_url"), (TikTokFixtures.settings(with(base)), "base_url"),
            (SnapFixtures.settings(with(base)), "base_url"), (PinterestFixtures.settings(with(base)), "base_url"),
            (RedditFixtures.settings(with(base)), "base_url"), (GA4Fixtures.settings(with(base)), "base_url"),
            (LinkedInFixtures.settings(with(base)), "base_url"), (GoogleFixtures.dataManagerSettings(with(base)), "base_url"),
            (GoogleFixtures.adsSettings(with(base)), "base_url"), (LinkedInFixtures.oauthSettings(with(token)), "token_url"),
            (GoogleFixtures.dataManagerSettings(with(token)), "token_url"),
            (
                DestinationSettings(
                    name: "hook", kind: "webhook", settings: with(["url": .string(url), "secret": .string(DestinationFixtures.webhookSecret)])),
                "url"
            ),
        ]
    }

    @Test("plain http endpoints are refused unless the host is loopback or the destination sets allow_insecure")
    func insecureEndpoints() throws {
        for (settings, key) in Self.endpoints("http://capi-proxy.internal:8080") {
            let failure = error(settings)
            #expect(failure?.code == .invalidValue && failure?.keyPath == key, "\(settings.kind) \(key): \(String(describing: failure))")
            #expect(failure?.message.contains("allow_insecure") == true, "\(settings.kind)")
        }
        let allowed =
            Self.endpoints("http://capi-proxy.internal:8080", ["allow_insecure": .bool(true)]) + Self.endpoints("http://127.0.0.1:9")
            + Self.endpoints("http://[::1]:9") + Self.endpoints("https://proxy.example.com")
        for (settings, key) in allowed {
            #expect(error(settings) == nil, "\(settings.kind) \(key): \(String(describing: error(settings)))")
        }
        // Page URLs are data sent in the payload, not endpoints: http stays allowed there.
        #expect(error(DestinationFixtures.metaSettings(["event_source_url": .string("http://shop.example.com/thanks")])) == nil)
        // A destination without an endpoint has no allow_insecure key.
        let sandbox = DestinationSettings(name: "s", kind: "sandbox", settings: ["path": .string("/tmp/s.jsonl"), "allow_insecure": .bool(true)])
        #expect(error(sandbox)?.code == .unknownKey)
    }

    @Test("an unknown kind lists the known ones")
    func unknownKind() {
        let failure = error(DestinationSettings(name: "x", kind: "myspace"))
        #expect(failure?.code == .unknownKind)
        #expect(failure?.keyPath == "kind")
        #expect(failure?.message.contains("meta, webhook, sandbox") == true)
    }

    @Test("Meta key problems name the key", arguments: [
        (["pixel_id": JSONValue.null], "pixel_id", DestinationConfigError.Code.missingKey),
        (["pixel_id": .string("pixel-12")], "pixel_id", .invalidValue),
        (["access_token": .string("  ")], "access_token", .missingKey),
        (["api_version": .string("26")], "api_version", .invalidValue),
        (["base_url": .string("graph.facebook.com")], "base_url", .invalidValue),
        (["action_source": .string("web")], "action_source", .invalidValue),
        (["max_events_per_request": .number("1001")], "max_events_per_request", .invalidValue),
        (["send_refunds": .string("yes")], "send_refunds", .invalidValue),
        (["test_event_cod": .string("TEST1")], "test_event_cod", .unknownKey),
    ])
    func metaErrors(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(DestinationFixtures.metaSettings(extra))
        #expect(failure?.keyPath == key)
        #expect(failure?.code == code)
        #expect(failure?.destination == "meta")
    }

    @Test("errors never repeat a secret")
    func noSecretInErrors() {
        let secret = "EAAB-super-secret"
        let failure = error(DestinationSettings(name: "m", kind: "meta", settings: ["access_token": .string(secret), "pixel_id": .string(secret)]))
        #expect(failure != nil)
        #expect(failure.map { !"\($0)".contains(secret) } == true)
    }

    @Test("numbers and booleans may arrive as text (environment variables)")
    func scalarText() throws {
        let meta = try DestinationFixtures.meta([
            "pixel_id": .number("998877"), "max_events_per_request": .string("250"), "send_refunds": .string("false"), "timeout_ms": .number("1500"),
        ])
        #expect(meta.limits.maxEventsPerRequest == 250)
        #expect(meta.limits.requestTimeout == .milliseconds(1500))
        #expect(meta.endpoint.hasSuffix("/998877/events"))
    }

    @Test("pipeline keys are not reported as unknown")
    func pipelineKeys() throws {
        var settings = DestinationFixtures.metaSettings(["rate_limit_per_second": .number("10")])
        #expect(error(settings)?.code == .unknownKey)
        settings.pipelineKeys = ["rate_limit_per_second"]
        #expect(error(settings) == nil)
    }

    @Test("webhook: url and a whsec_ secret are required", arguments: [
        (["secret": JSONValue.string(DestinationFixtures.webhookSecret)], "url", DestinationConfigError.Code.missingKey),
        (["url": .string("ftp://example.com"), "secret": .string(DestinationFixtures.webhookSecret)], "url", .invalidValue),
        (["url": .string("https://example.com/hook")], "secret", .missingKey),
        (["url": .string("https://example.com/hook"), "secret": .string("plain-text")], "secret", .invalidValue),
        (["url": .string("https://example.com/hook"), "secret": .string(DestinationFixtures.webhookSecret), "identifier_rules": .string("myspace")],
         "identifier_rules", .invalidValue),
    ])
    func webhookErrors(settings: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(DestinationSettings(name: "hook", kind: "webhook", settings: settings))
        #expect(failure?.keyPath == key)
        #expect(failure?.code == code)
        #expect(failure.map { !"\($0)".contains("plain-text") } != false)
    }

    @Test("sandbox: path is required")
    func sandboxErrors() {
        #expect(error(DestinationSettings(name: "s", kind: "sandbox"))?.keyPath == "path")
    }
}
