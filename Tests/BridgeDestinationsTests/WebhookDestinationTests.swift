import BridgeCore
import BridgeDestinations
import BridgeSources
import Testing

@Suite("Generic webhook destination")
struct WebhookDestinationTests {
    func webhook(_ extra: [String: JSONValue] = [:]) throws -> WebhookDestination {
        var settings: [String: JSONValue] = [
            "url": .string("https://user:pw@receiver.example.com/hooks/conversions?token=abc"), "secret": .string(DestinationFixtures.webhookSecret),
        ]
        settings.merge(extra) { _, new in new }
        return try WebhookDestination(DestinationSettings(name: "hook", kind: "webhook", settings: settings))
    }

    @Test("the fixture purchase renders as the golden webhook body")
    func golden() throws {
        let webhook = try webhook()
        let item = try DestinationFixtures.item(webhook, try DestinationFixtures.purchase())
        let request = webhook.makeRequest(items: [item], batchID: "batch_01HZX", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "webhook-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload, "the audit payload is the body as sent")
        #expect(request.auditPayload["type"] == .string("conversions.batch"))
        #expect(request.auditPayload["timestamp"] == .string("2026-03-14T16:00:00Z"))
    }

    @Test("the signature verifies with the Standard Webhooks verifier")
    func signatureVerifies() throws {
        let webhook = try webhook()
        let item = try DestinationFixtures.item(webhook, try DestinationFixtures.purchase())
        let request = webhook.makeRequest(items: [item], batchID: "batch_01HZX", now: DestinationFixtures.sentAt)
        let headers = HeaderFields(request.headers.map { ($0.name, $0.value) })
        let verifier = try #require(StandardWebhooksSignature(secrets: [DestinationFixtures.webhookSecret]))
        let verified = try verifier.verify(headers: headers, body: request.body, now: DestinationFixtures.sentAt)
        #expect(verified.messageID == "batch_01HZX")
        #expect(verified.timestamp == DestinationFixtures.sentAt.secondsSinceEpoch)
        // A changed body no longer verifies.
        var tampered = request.body
        tampered[tampered.count / 2] ^= 0x01
        #expect(throws: SignatureError.self) { try verifier.verify(headers: headers, body: tampered, now: DestinationFixtures.sentAt) }
    }

    @Test("the audit URL drops user info and query; the secret is nowhere in the audit output")
    func auditURL() throws {
        let webhook = try webhook()
        let request = webhook.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url == "https://user:pw@receiver.example.com/hooks/conversions?token=abc")
        #expect(request.auditURL == "https://receiver.example.com/hooks/conversions")
        #expect(!"\(webhook)".contains("whsec_"))
        #expect(!String(reflecting: webhook).contains("iq8V8DDG"))
    }

    @Test("user_data holds prepared values; client holds the browser context in clear")
    func itemShape() throws {
        let item = try DestinationFixtures.item(try webhook(), try DestinationFixtures.purchase())
        #expect(item["user_data"]?["email"] == .string("878d77eb3b3c1061130d9a0aa7688ca78f3257b303ecaae9f7af7ddf257f40eb"))
        #expect(item["client"]?["ip_address"] == .string("198.51.100.61"))
        #expect(item["client"]?["click_ids"]?["fbp"] == .string("fb.1.1773499990000.1122334455"))
        #expect(item["value"] == .string("129.90"))
        #expect(item["currency"] == .string("EUR"))
        #expect(item["consent"]?["action"] == .string("send"))
        #expect(item["identifier_rules"] == .string("meta"))
    }

    @Test("Google rules keep location fields in clear, and the item writes them as clear values")
    func googleRules() throws {
        let webhook = try webhook(["identifier_rules": .string("google")])
        #expect(webhook.platform == .google)
        let item = try DestinationFixtures.item(webhook, try DestinationFixtures.purchase())
        #expect(item["user_data"]?["country"] == .string("DE"))
        // The clear values: the location fields Google takes in clear, then the whole client block.
        let event = try DestinationFixtures.purchase()
        let outcome = webhook.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .google), consent: DestinationFixtures.granted)
        let spans = try #require(outcome.item).encoded().clearSpans.map(\.value)
        let browser = try [
            "198.51.100.61", #require(event.client.userAgent?.rawValue), #require(event.client.landingURL?.rawValue),
            #require(event.client[clickID: .fbc]?.rawValue), #require(event.client[clickID: .fbp]?.rawValue),
        ]
        #expect(spans == ["hamburg", "hh", "20095", "DE"] + browser)
        #expect(!spans.contains(GooglePayloadTests.emailDigest), "a digest is not a clear value")
        let audited = try webhook.audited(try DestinationFixtures.purchase()).audited
        #expect(audited["data"]?["events"]?[0]?["client"]?["ip_address"] == .string("hmac-sha256:13"))
    }

    @Test("Meta rules hash every customer field: the clear values are the browser context alone; Reddit's IP digest stays clear")
    func clearValuesByRules() throws {
        let event = try DestinationFixtures.purchase()
        func spans(_ rules: Platform) throws -> [String] {
            let webhook = try webhook(["identifier_rules": .string(rules.rawValue)])
            let outcome = webhook.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: rules), consent: DestinationFixtures.granted)
            return try #require(outcome.item).encoded().clearSpans.map(\.value)
        }
        let meta = try spans(.meta)
        #expect(meta.count == 5 && meta.first == "198.51.100.61")
        #expect(!meta.contains("hamburg") && !meta.contains("DE"))
        let reddit = try spans(.reddit)
        let ipDigest = try #require(DestinationFixtures.identifiers(event, for: .reddit)[client: .ipAddress]?.wireValue)
        #expect(reddit.contains(ipDigest), "Reddit rules hash the IP; the digest is still written as a clear value")
        #expect(!reddit.contains("198.51.100.61"))
    }

    @Test("answers: 2xx delivered, 410 pauses, abort-message dead-letters, the rest by status", arguments: [
        (200, [String: String](), "delivered"), (204, [:], "delivered"), (410, [:], "auth_failure"), (401, [:], "auth_failure"),
        (429, ["retry-after": "3"], "throttled"), (503, [:], "retry"), (400, [:], "dead_letter"),
        (422, ["webhook-delivery": "abort-message"], "dead_letter"), (302, [:], "retry"),
    ])
    func classify(status: Int, headers: [String: String], label: String) throws {
        let verdict = try webhook().classify(HTTPReply(status: status, headers: headers), itemCount: 3, now: DestinationFixtures.sentAt)
        #expect(verdict.label == label)
        if status == 429 { #expect(verdict == .throttled(after: DestinationFixtures.sentAt.advanced(by: .seconds(3)))) }
        if headers["webhook-delivery"] != nil { #expect(verdict.deadLetterReason?.code == "receiver_aborted") }
    }

    @Test("limits default to 500 events and a 15 s timeout")
    func limits() throws {
        let webhook = try webhook()
        #expect(webhook.limits.maxEventsPerRequest == 500)
        #expect(webhook.limits.requestTimeout == .seconds(15))
    }
}

@Suite("Sandbox destination")
struct SandboxDestinationTests {
    func sandbox(path: String = "/tmp/capi-sandbox/out.jsonl") throws -> SandboxDestination {
        try SandboxDestination(DestinationSettings(name: "sandbox", kind: "sandbox", settings: ["path": .string(path)]))
    }

    @Test("writes one JSON line per event to a file:// URL")
    func jsonLines() throws {
        let sandbox = try sandbox()
        let event = try DestinationFixtures.purchase()
        let item = try DestinationFixtures.item(sandbox, event)
        let request = sandbox.makeRequest(items: [item, item], batchID: "batch-7", now: DestinationFixtures.sentAt)
        #expect(request.url == "file:///tmp/capi-sandbox/out.jsonl")
        let lines = String(decoding: request.body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines.last == "")
        let first = try JSONParser.parse(String(lines[0]))
        #expect(first["batch_id"] == .string("batch-7"))
        #expect(first["destination"] == .string("sandbox"))
        #expect(first["sent_at"] == .string("2026-03-14T16:00:00Z"))
        #expect(first["event"] == item)
        try GoldenFile.check(first, against: "sandbox-purchase-line.json")
        #expect(request.auditPayload.arrayValue?.compactMap { $0["event"] } == [item, item])
        let audited = try sandbox.audited(try DestinationFixtures.purchase()).audited
        #expect(audited[0]?["event"]?["client"]?["ip_address"] == .string("hmac-sha256:13"))
    }

    @Test("relative paths are made absolute; spaces are percent-encoded in the URL")
    func paths() throws {
        let relative = try sandbox(path: "data/sandbox.jsonl")
        #expect(relative.path.hasPrefix("/") && relative.path.hasSuffix("/data/sandbox.jsonl"))
        let spaced = try sandbox(path: "/tmp/my dir/out.jsonl")
        #expect(spaced.fileURL == "file:///tmp/my%20dir/out.jsonl")
    }

    @Test("a successful append is delivered; a failed write is retried")
    func classify() throws {
        let sandbox = try sandbox()
        #expect(sandbox.classify(HTTPReply(status: 200), itemCount: 5, now: DestinationFixtures.sentAt) == .delivered)
        #expect(sandbox.classify(HTTPReply(status: 500), itemCount: 5, now: DestinationFixtures.sentAt).label == "retry")
    }

    @Test("the sandbox never refuses an event for its age")
    func limits() throws {
        let limits = try sandbox().limits
        #expect(limits.maxEventAgeSeconds >= 3650 * 86_400)
        #expect(limits.maxFutureSkewSeconds >= 3650 * 86_400)
    }

    @Test("a suppressed event is skipped")
    func suppressed() throws {
        let event = try DestinationFixtures.purchase()
        let outcome = try sandbox().makeItem(event, identifiers: DestinationFixtures.identifiers(event), consent: .suppress(.gpcOptOut))
        #expect(outcome == .skip(reason: "consent_suppressed"))
    }
}
