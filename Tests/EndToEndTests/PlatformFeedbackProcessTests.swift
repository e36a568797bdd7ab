import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Confirmed delivery and the platforms' own scores in the real process:
/// `capi-bridge serve` against the Data Manager, Meta and Pinterest mocks,
/// then `dlq list`, `report` and `report --platform-scores` as an operator runs them.
@Suite("Platform feedback in the real process", .serialized)
struct PlatformFeedbackProcessTests {
    static let metaToken = "meta-feedback-token-71"
    static let pinterestToken = "pina-feedback-token-93"
    static let reason = "PROCESSING_ERROR_REASON_INVALID_GCLID"
    static let adminToken = "feedback-admin-token-55"

    /// An admin request to the bridge: status and body.
    static func admin(_ method: HTTPMethod, _ url: String, body: String? = nil, client: HTTPClient) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "authorization", value: "Bearer \(adminToken)")
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test("serve confirms Data Manager requests (partial failure listed with its reasons), stores scores; reports show them beside the estimate; no credential leaks")
    func confirmAndScore() async throws {
        let oauth = MockOAuthOptions()
        var googleOptions = MockPlatformServer.Options(oauth: oauth)
        // One request of two events or two of one (batching decides): either way one row rejected, one confirmed.
        let status = MockDataManagerRequestStatus(.success(records: 1))
        status.script.enqueue(.processing, .partialSuccess(records: 2, failed: [Self.reason: 1]))
        googleOptions.sideEndpoints = [status]
        let google = try await MockPlatformServer.start(MockGoogleDataManagerAPI(), options: googleOptions)
        var metaOptions = MockMetaServer.Options()
        metaOptions.accessToken = Self.metaToken
        metaOptions.datasetQuality = MockMetaDatasetQuality(.scores(["Purchase": 8.3]), accessToken: Self.metaToken)
        let meta = try await MockMetaServer.start(metaOptions)
        let eqs = MockPinterestEventQuality(.permissionMissing, accessToken: Self.pinterestToken)
        var pinterestOptions = MockPlatformServer.Options(expectedToken: Self.pinterestToken)
        pinterestOptions.sideEndpoints = [eqs]
        let pinterest = try await MockPlatformServer.start(MockPinterestAPI(), options: pinterestOptions)

        let bridge = try await BridgeProcess { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0, admin_token: "\(Self.adminToken)"}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            destinations:
              - name: google
                kind: google
                operating_account_id: "1234567890"
                conversion_action_id: "555111222"
                base_url: "\(google.baseURL)"
                token_url: "\(google.baseURL)\(oauth.path)"
                refresh_token: \(oauth.refreshToken)
                client_id: \(oauth.clientID)
                client_secret: \(oauth.clientSecret)
                max_wait_ms: 20
              - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "\(Self.metaToken)", base_url: "\(meta.baseURL)", max_wait_ms: 20}
              - {name: pinterest, kind: pinterest, ad_account_id: "549755885175", access_token: "\(Self.pinterestToken)", base_url: "\(pinterest.baseURL)", max_wait_ms: 20}
            platform_feedback:
              confirmation_check_seconds: 0.1
              confirmation_first_poll_minutes: 0.002
              confirmation_max_interval_minutes: 0.002
              confirmation_give_up_hours: 1
            audit: {dir: \(directory.path)/audit}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        for i in 1...2 {
            let (_, code) = try await DurabilityTests.post(i, body: CrashRecoveryTests.purchase(i, at: Date().addingTimeInterval(-60)), port: bridge.port, client: client)
            #expect(code == 202)
        }
        let config = bridge.directory.appendingPathComponent("bridge.yaml").path
        let environment = ["CAPI_SEAL_KEY": bridge.sealKey]

        // The partly rejected request appears in the dead-letter list once the status is final.
        var listed = ""
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            listed = try await BridgeCommand.runBeside(["dlq", "list", "--config", config], environment: environment, in: bridge.directory).output
            if listed.contains("partly rejected requests") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(listed.contains("partly rejected requests"), "\(listed)")
        #expect(listed.contains("\(Self.reason) 1"))
        let lookups = google.exchanges.filter { $0.request.path == MockDataManagerRequestStatus.path }
        #expect(lookups.count >= 2, "processing first, then the final status")
        #expect(lookups.allSatisfy { $0.request.bearerToken == "mock-access-token-1" || $0.request.bearerToken?.hasPrefix("mock-access-token") == true })

        // The scheduled fetch stored Meta's score and Pinterest's missing permission.
        var report = ""
        let scoreDeadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < scoreDeadline {
            report = try await BridgeCommand.runBeside(["report", "--config", config, "--format", "json"], environment: environment, in: bridge.directory).standardOutput
            if report.contains("permission_missing"), report.contains("\"confirmed\":1") { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let json = try JSONParser.parse(Array(report.utf8))
        let feedback = try #require(json["platform_feedback"])
        let scores = try #require(feedback["platform_scores"]?.arrayValue)
        let purchase = try #require(scores.first { $0["destination"] == .string("meta") && $0["event_name"] == .string("Purchase") })
        #expect(purchase["score"] == .number("8.30"))
        #expect(purchase["bridge_estimate"]?.numberText != nil, "beside the bridge's estimate")
        let denied = try #require(scores.first { $0["destination"] == .string("pinterest") })
        #expect(denied["availability"] == .string("permission_missing"))
        #expect(denied["score"] == .null)
        let counts = feedback["confirmations"]?["google"]
        #expect(counts?["sent"] == .number("2"))
        #expect(counts?["confirmed"] == .number("1"))
        #expect(counts?["rejected_later"] == .number("1"))

        // report --platform-scores fetches now and prints them in the table beside the estimate.
        let fetched = try await BridgeCommand.runBeside(["report", "--config", config, "--platform-scores"], environment: environment, in: bridge.directory)
        #expect(fetched.status == 0, "\(fetched.output)")
        #expect(fetched.standardError.contains("platform score pinterest · *: not available: permission missing"))
        #expect(fetched.standardOutput.contains("8.3 / 10"))
        #expect(fetched.standardOutput.contains("google: sent 2  confirmed 1  rejected later 1"))

        // The destinations overview shows the last 7 days' confirmations.
        let overview = try await BridgeCommand.runBeside(["destinations", "list", "--config", config], environment: environment, in: bridge.directory)
        #expect(overview.standardOutput.contains("last 7 days: sent 2  confirmed 1  rejected later 1"), "\(overview.output)")
        let overviewJSON = try await BridgeCommand.runBeside(
            ["destinations", "list", "--config", config, "--json"], environment: environment, in: bridge.directory)
        #expect(overviewJSON.standardOutput.contains("\"confirmation_7d\""), "\(overviewJSON.output)")

        // The admin API lists the partly rejected request beside the dead letters and replays it whole.
        let base = "http://127.0.0.1:\(bridge.port)"
        let (listStatus, listBody) = try await Self.admin(.GET, base + "/v1/dead-letters", client: client)
        #expect(listStatus == 200)
        let rejected = try #require(try JSONParser.parse(Array(listBody.utf8))["rejected_requests"]?.arrayValue)
        #expect(rejected.count == 1)
        #expect(rejected.first?["reasons"] == .string("\(Self.reason) 1"))
        let requestID = try #require(rejected.first?["id"]?.numberText)
        let (reportStatus, reportBody) = try await Self.admin(.GET, base + "/v1/reports/match-quality?since=1d", client: client)
        #expect(reportStatus == 200)
        #expect(reportBody.contains("\"platform_feedback\""))
        let (replayStatus, replayBody) = try await Self.admin(.POST, base + "/v1/dead-letters/replay", body: #"{"requests": [\#(requestID)]}"#, client: client)
        #expect(replayStatus == 200)
        #expect(try JSONParser.parse(Array(replayBody.utf8))["replayed"]?.numberText.flatMap { Int($0) } ?? 0 >= 1, "\(replayBody)")
        let (_, afterBody) = try await Self.admin(.GET, base + "/v1/dead-letters", client: client)
        #expect(try JSONParser.parse(Array(afterBody.utf8))["rejected_requests"]?.arrayValue?.isEmpty == true)

        // No credential anywhere an operator reads.
        let audit = try FileManager.default.contentsOfDirectory(atPath: bridge.directory.appendingPathComponent("audit").path)
            .map { try String(contentsOf: bridge.directory.appendingPathComponent("audit").appendingPathComponent($0), encoding: .utf8) }.joined()
        let places = [
            "logs": bridge.logLines.joined(separator: "\n"), "audit": audit, "report": report + fetched.output + reportBody, "dlq": listed + listBody,
        ]
        for secret in [Self.metaToken, Self.pinterestToken, oauth.clientSecret, oauth.refreshToken, "mock-access-token-1"] {
            for (place, text) in places { #expect(!text.contains(secret), "\(secret) in \(place)") }
        }
        try await client.shutdown()
        await google.stop()
        await meta.stop()
        await pinterest.stop()
    }
}
