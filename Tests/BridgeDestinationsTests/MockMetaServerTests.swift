import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

@Suite("Mock Meta endpoint")
struct MockMetaServerTests {
    /// Posts `data` to the mock as a Meta destination pointed at it would.
    func post(_ data: [JSONValue], to mock: MockMetaServer, token: String? = DestinationFixtures.token, extraQuery: String = "") async throws
        -> HTTPReply
    {
        let body = JSONValue.object(["data": .array(data), "partner_agent": .string("capibridge_0_1")])
        let query = (token.map { "?access_token=\($0)" } ?? "?x=1") + extraQuery
        let request = OutboundRequest(
            url: mock.baseURL + "/v26.0/1234567890/events" + query, headers: [HeaderPair("content-type", "application/json")],
            body: EncodedJSON(bytes: JSONWriter.bytes(body)), auditURL: "")
        guard case .reply(let reply) = await LoopbackSender.send(request) else { throw MockTestError.noReply }
        return reply
    }

    enum MockTestError: Error { case noReply }

    func meta(_ mock: MockMetaServer) throws -> MetaDestination {
        try DestinationFixtures.meta(["base_url": .string(mock.baseURL)])
    }

    @Test("accepts a valid request and records it")
    func accepts() async throws {
        let mock = try await MockMetaServer.start()
        let meta = try meta(mock)
        let items = try FreshEvents.items(2, for: meta)
        let reply = try await post(items, to: mock)
        await mock.stop()
        #expect(reply.status == 200)
        let json = try JSONParser.parse(reply.body)
        #expect(json["events_received"] == .number("2"))
        #expect(json["messages"] == .array([]))
        #expect(json["fbtrace_id"]?.stringValue?.isEmpty == false)
        let received = try #require(mock.received.first)
        #expect(received.apiVersion == "v26.0")
        #expect(received.pixelID == "1234567890")
        #expect(received.accessToken == DestinationFixtures.token)
        #expect(received.eventIDs == ["evt-0", "evt-1"])
        #expect(received.events == items)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    /// A documented violation and the subcode the mock answers with.
    struct Violation: Sendable, CustomTestStringConvertible {
        let name: String
        let keys: [String]
        let value: JSONValue?
        let subcode: Int
        var testDescription: String { name }
    }

    static let sha = JSONValue.array([.string(String(repeating: "a", count: 64))])
    static let violations: [Violation] = [
        Violation(name: "hashed e-mail not hex", keys: ["user_data", "em"], value: .array([.string("noah@example.de")]), subcode: 2_804_000),
        Violation(
            name: "hashed e-mail in upper case", keys: ["user_data", "em"], value: .array([.string(String(repeating: "A", count: 64))]),
            subcode: 2_804_000),
        Violation(name: "clear external_id", keys: ["user_data", "external_id"], value: .array([.string("cust_10442")]), subcode: 2_804_000),
        Violation(name: "hashed IP address", keys: ["user_data", "client_ip_address"], value: .string(String(repeating: "b", count: 64)), subcode: 2_804_000),
        Violation(name: "IP address not an IP", keys: ["user_data", "client_ip_address"], value: .string("localhost"), subcode: 2_804_000),
        Violation(name: "malformed fbc", keys: ["user_data", "fbc"], value: .string("IwAR2aBcDeF"), subcode: 2_804_000),
        Violation(name: "event_time as a string", keys: ["event_time"], value: .string("1773500712"), subcode: 2_804_000),
        Violation(name: "event_time in milliseconds", keys: ["event_time"], value: .number("1773500712000"), subcode: 2_804_000),
        Violation(name: "event_time with a fraction", keys: ["event_time"], value: .number("1773500712.5"), subcode: 2_804_000),
        Violation(name: "event_time older than 7 days", keys: ["event_time"], value: .number("1000000000"), subcode: 2_804_003),
        Violation(name: "event_time far in the future", keys: ["event_time"], value: .number("4000000000"), subcode: 2_804_004),
        Violation(name: "no event_name", keys: ["event_name"], value: nil, subcode: 2_804_000),
        Violation(name: "no action_source", keys: ["action_source"], value: nil, subcode: 2_804_000),
        Violation(name: "unknown action_source", keys: ["action_source"], value: .string("web"), subcode: 2_804_000),
        Violation(name: "no user_data", keys: ["user_data"], value: nil, subcode: 2_804_000),
        Violation(name: "user_data only fn + ge", keys: ["user_data"], value: .object(["fn": sha, "ge": sha]), subcode: 2_804_000),
        Violation(name: "Purchase without value", keys: ["custom_data", "value"], value: nil, subcode: 2_804_009),
        Violation(name: "value as a string", keys: ["custom_data", "value"], value: .string("129.90"), subcode: 2_804_000),
        Violation(name: "currency not ISO 4217", keys: ["custom_data", "currency"], value: .string("euro"), subcode: 2_804_000),
        Violation(name: "unknown data_processing_options", keys: ["data_processing_options"], value: .array([.string("GDPR")]), subcode: 2_804_000),
        Violation(name: "data_processing_options_state not an integer", keys: ["data_processing_options_state"], value: .string("CA"), subcode: 2_804_000),
    ]

    @Test("rejects each documented violation with Meta's error envelope", arguments: violations)
    func rejects(violation: Violation) async throws {
        let mock = try await MockMetaServer.start()
        let meta = try meta(mock)
        let items = try FreshEvents.items(2, for: meta)
        let bad = FreshEvents.setting(items[1], violation.keys, to: violation.value)
        let reply = try await post([items[0], bad], to: mock)
        await mock.stop()
        #expect(reply.status == 400)
        let error = try #require(try JSONParser.parse(reply.body)["error"])
        #expect(error["code"] == .number("100"))
        #expect(error["error_subcode"] == .number(String(violation.subcode)))
        #expect(error["type"] == .string("OAuthException"))
        #expect(error["error_user_msg"]?.stringValue?.hasPrefix("data[1]") == true)
        #expect(mock.acceptedEventIDs.isEmpty)
        // What our classifier makes of it: a dead letter, bisected by the pipeline.
        #expect(meta.classify(reply, itemCount: 2, now: LoopbackSender.now()).label == "dead_letter")
    }

    @Test("rejects an empty batch and one of 1,001 events")
    func batchSize() async throws {
        let mock = try await MockMetaServer.start()
        let items = try FreshEvents.items(1, for: try meta(mock))
        let empty = try await post([], to: mock)
        let tooMany = try await post(Array(repeating: items[0], count: 1001), to: mock)
        let maximum = try await post(Array(repeating: items[0], count: 1000), to: mock)
        await mock.stop()
        #expect(empty.status == 400)
        #expect(tooMany.status == 400)
        #expect(maximum.status == 200)
    }

    @Test("requires a token, the configured token and a valid appsecret_proof")
    func credentials() async throws {
        var options = MockMetaServer.Options()
        options.accessToken = DestinationFixtures.token
        options.appSecret = "s3cr3t"
        let mock = try await MockMetaServer.start(options)
        let items = try FreshEvents.items(1, for: try meta(mock))
        let missing = try await post(items, to: mock, token: nil)
        let wrong = try await post(items, to: mock, token: "EAAB-other")
        let noProof = try await post(items, to: mock)
        let proof = "346ff9bca5f129ceb03bb3700761ce21af121ccc6041653a8421762f95146777"
        let good = try await post(items, to: mock, extraQuery: "&appsecret_proof=\(proof)")
        await mock.stop()
        #expect(try JSONParser.parse(missing.body)["error"]?["code"] == .number("104"))
        #expect(try JSONParser.parse(wrong.body)["error"]?["code"] == .number("190"))
        #expect(noProof.status == 400)
        #expect(good.status == 200)
    }

    @Test("website events without a user agent or page URL: a warning, or an error when strict")
    func websiteFields() async throws {
        let lenient = try await MockMetaServer.start()
        var strictOptions = MockMetaServer.Options()
        strictOptions.strictWebsiteEvents = true
        let strict = try await MockMetaServer.start(strictOptions)
        let item = FreshEvents.setting(try FreshEvents.items(1, for: try meta(lenient))[0], ["event_source_url"], to: nil)
        let warned = try await post([item], to: lenient)
        let refused = try await post([item], to: strict)
        await lenient.stop()
        await strict.stop()
        #expect(warned.status == 200)
        #expect(try JSONParser.parse(warned.body)["messages"] == .array([.string("data[0].event_source_url is required for website events")]))
        #expect(refused.status == 400)
    }

    @Test("scripted answers are consumed in order, then normal answers resume")
    func script() async throws {
        let mock = try await MockMetaServer.start()
        let items = try FreshEvents.items(1, for: try meta(mock))
        mock.script(.status(429, retryAfter: 2), .graphError(code: 613, headers: ["x-app-usage": #"{"call_count":100}"#]))
        mock.script(.status(503), times: 2)
        mock.script(.eventsReceived(0), .delay(milliseconds: 30))
        #expect(mock.pendingScript == 6)
        var replies: [HTTPReply] = []
        for _ in 0..<7 { replies.append(try await post(items, to: mock)) }
        await mock.stop()
        #expect(replies.map(\.status) == [429, 400, 503, 503, 200, 200, 200])
        #expect(replies[0].headers["retry-after"] == "2")
        #expect(replies[1].headers["x-app-usage"] == #"{"call_count":100}"#)
        #expect(try JSONParser.parse(replies[4].body)["events_received"] == .number("0"))
        #expect(mock.pendingScript == 0)
        #expect(mock.requestCount == 7)
        #expect(mock.received.map(\.answerErrorCode) == [nil, 613, nil, nil, nil, nil, nil])
    }

    @Test("a rule refuses the whole request with its subcode; reset forgets rules, script and records")
    func rulesAndReset() async throws {
        let mock = try await MockMetaServer.start()
        let items = try FreshEvents.items(2, for: try meta(mock))
        mock.rejectEvents(subcode: 2_804_051) { $0 == "evt-1" }
        mock.script(.status(503), times: 2)
        let refused = try await post(items, to: mock)
        #expect(refused.status == 503)
        _ = try await post(items, to: mock)
        let ruled = try await post(items, to: mock)
        #expect(ruled.status == 400)
        let error = try #require(try JSONParser.parse(ruled.body)["error"])
        #expect(error["code"] == .number("100"))
        #expect(error["error_subcode"] == .number("2804051"))
        #expect(error["error_user_title"] == .string("Invalid Event"))
        #expect(mock.received.last?.answerErrorSubcode == 2_804_051)
        #expect(mock.acceptedEventIDs.isEmpty)
        mock.script(.status(503))
        mock.reset()
        #expect(mock.requestCount == 0 && mock.received.isEmpty && mock.pendingScript == 0)
        let accepted = try await post(items, to: mock)
        await mock.stop()
        #expect(accepted.status == 200)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
        #expect(mock.received.map(\.answerStatus) == [200])
    }

    @Test("with validate: false every request is accepted and counted")
    func noValidation() async throws {
        var options = MockMetaServer.Options()
        options.validate = false
        options.recordRequests = false
        let mock = try await MockMetaServer.start(options)
        let reply = try await post([.object(["anything": .bool(true)]), .null], to: mock, token: nil)
        await mock.stop()
        #expect(reply.status == 200)
        #expect(try JSONParser.parse(reply.body)["events_received"] == .number("2"))
        #expect(mock.acceptedEventCount == 2)
        #expect(mock.received.isEmpty)
    }
}
