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
