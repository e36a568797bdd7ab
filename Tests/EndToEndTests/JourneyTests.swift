import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// One sale's journey (`GET /v1/events/{id}`, `capi-bridge events show`)
/// against the real process and CLI.
@Suite("One sale's journey in the real process", .serialized)
struct JourneyTests {
    static let adminToken = String(repeating: "j", count: 40)
    static let email = "journey.buyer@example.org"
    static let ip = "198.51.100.77"
    static let phone = "+4915123456789"
    static let firstName = "Marguerite"

    static func config(meta: MockMetaServer) -> (URL, String) -> String {
        { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0, admin_token: "\(adminToken)"}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            destinations:
              - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "meta-token", base_url: "\(meta.baseURL)", max_wait_ms: 20}
            audit: {dir: \(directory.path)/audit}
            logging: {level: info}
            """
        }
    }

    /// A consented purchase of order `A-1001` with a buyer's e-mail, name, phone and IP address.
    static func purchase(_ id: String) -> String {
        #"{"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58Z","data":{"event_id":"\#(id)","event_name":"Purchase","event_time":"\#(Timestamp.recent)","order_id":"A-1001","value":"19.90","currency":"EUR","customer":{"email":"\#(email)","phone":"\#(phone)","first_name":"\#(firstName)","external_id":"cust-\#(id)"},"client":{"ip_address":"\#(ip)","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},"consent":{"ad_user_data":"granted","ad_personalization":"granted"},"test":false}}"#
    }

    static func get(_ url: String, client: HTTPClient, token: String? = adminToken) async throws -> (status: UInt, type: String, body: String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.headers.first(name: "content-type") ?? "", String(buffer: body))
    }

    /// Whether `text` holds any of the fixture's personal data in clear.
    static func holdsPersonalData(_ text: String) -> Bool {
        [email, ip, phone, firstName, "cust-sale:journey:1", "15123456789"].contains { text.contains($0) }
    }

    @Test("a delivered sale's journey shows arrival, duplicate, consent, attempts and audit entries by HTTP and CLI, with no personal data")
    func journeyByHTTPAndCLI() async throws {
        let meta = try await MockMetaServer.start()
        let bridge = try await BridgeProcess(config: Self.config(meta: meta))
        defer { bridge.cleanUp() }
        try await withHTTPClient { client in
            let base = "http://127.0.0.1:\(bridge.port)"
            // Given a sale posted, then posted again by a second webhook (a duplicate), and delivered
            let body = Self.purchase("sale:journey:1")
            #expect(try await bridge.postSigned(body, id: "msg_first", client: client) == 202)
            _ = try await bridge.postSigned(body, id: "msg_second", client: client)
            #expect(await BridgeProcess.wait { meta.acceptedEventIDs.contains("sale:journey:1") })
            // When its journey is asked for over HTTP (once the audit outcome is written)
            var journey: JSONValue = .null
            var text = ""
            _ = try await BridgeProcess.wait {
                let answer = try await Self.get("\(base)/v1/events/sale:journey:1", client: client)
                text = answer.body
                journey = (try? JSONParser.parse(Array(answer.body.utf8))) ?? .null
                return answer.status == 200 && journey["destinations"]?[0]?["state"]?.stringValue == "delivered"
                    && (journey["audit"]?["entries"]?.arrayValue?.count ?? 0) >= 2
            }
            // Then it tells how it arrived
            #expect(journey["event_id"]?.stringValue == "sale:journey:1")
            #expect(journey["source"]?.stringValue == "backend")
            #expect(journey["arrival"]?["delivery_keys"]?.arrayValue?.isEmpty == false, "\(text)")
            #expect(journey["arrival"]?["duplicates_seen"]?.numberText == "1", "\(text)")
            // And per destination the consent decision, the attempts and the delivered time
            let destination = try #require(journey["destinations"]?[0])
            #expect(destination["destination"]?.stringValue == "meta")
            #expect(destination["consent"]?["action"]?.stringValue != nil)
            #expect(destination["delivered_at"]?.stringValue != nil)
            #expect(destination["attempts"]?[0]?["outcome"]?.stringValue == "delivered")
            #expect(destination["identifiers_sent"]?.arrayValue?.contains(.string("email")) == true)
            // And the audit entries that hold it, with file, line and entry hash
            let entry = try #require(journey["audit"]?["entries"]?[0])
            #expect(entry["file"]?.stringValue?.isEmpty == false)
            #expect(Int(entry["line"]?.numberText ?? "") ?? 0 >= 1)
            #expect(entry["hash"]?.stringValue?.count ?? 0 >= 32)
            // And no personal data in clear
            #expect(!Self.holdsPersonalData(text))

            // The CLI says the same, in JSON and as a table
            let configPath = bridge.directory.appendingPathComponent("bridge.yaml").path
            let environment = ["CAPI_SEAL_KEY": bridge.sealKey]
            let json = try await BridgeCommand.run(
                ["events", "show", "sale:journey:1", "--format", "json", "--config", configPath], environment: environment, in: bridge.directory)
            #expect(json.status == 0, "\(json.output)")
            let cliJourney = try JSONParser.parse(Array(json.standardOutput.utf8))
            #expect(cliJourney["destinations"]?[0]?["state"]?.stringValue == "delivered")
            #expect(cliJourney["arrival"]?["duplicates_seen"]?.numberText == "1")
            let table = try await BridgeCommand.run(["events", "show", "sale:journey:1", "--config", configPath], environment: environment, in: bridge.directory)
            #expect(table.status == 0, "\(table.output)")
            #expect(table.standardOutput.contains("sale:journey:1") && table.standardOutput.contains("meta"))
            for output in [json.output, table.output] {
                #expect(!Self.holdsPersonalData(output))
            }
            // And by order, over HTTP and the CLI
            let byOrder = try await Self.get("\(base)/v1/events?order_id=A-1001", client: client)
            #expect(byOrder.status == 200)
            let orderJSON = try JSONParser.parse(Array(byOrder.body.utf8))
            #expect(orderJSON["events"]?.arrayValue?.compactMap { $0["event_id"]?.stringValue } == ["sale:journey:1"])
            let cliOrder = try await BridgeCommand.run(
                ["events", "show", "--order", "A-1001", "--format", "json", "--config", configPath], environment: environment, in: bridge.directory)
            #expect(cliOrder.status == 0, "\(cliOrder.output)")
            #expect(try JSONParser.parse(Array(cliOrder.standardOutput.utf8))["count"]?.numberText == "1")
            #expect(!Self.holdsPersonalData(byOrder.body) && !Self.holdsPersonalData(cliOrder.output))
            // An unknown id: 404 problem+json over HTTP, a clear error and a failure status from the CLI
            let unknown = try await Self.get("\(base)/v1/events/sale:journey:404", client: client)
            #expect(unknown.status == 404)
            #expect(unknown.type.hasPrefix("application/problem+json"))
            #expect(unknown.body.contains("unknown-event"))
            let missing = try await BridgeCommand.run(
                ["events", "show", "sale:journey:404", "--config", configPath], environment: environment, in: bridge.directory)
            #expect(missing.status != 0)
            #expect(missing.standardError.contains("no event with id sale:journey:404"))
            // And without the admin token, nothing is shown
            #expect(try await Self.get("\(base)/v1/events/sale:journey:1", client: client, token: nil).status == 401)
        }
        _ = try await bridge.stop(signal: SIGTERM)
        await meta.stop()
    }
}
