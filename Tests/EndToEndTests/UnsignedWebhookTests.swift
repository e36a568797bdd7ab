import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// What `docs/openapi.yaml` promises for unsigned webhooks (its
/// `SignatureRejected` response), against the real process: every source
/// kind answers `401` problem+json `missing-signature`, and neither the
/// answer nor the log repeats the body.
@Suite("Unsigned webhooks, against the real process")
struct UnsignedWebhookTests {
    static let sources = ["shop": "shopify", "stripe": "stripe", "woo": "woocommerce", "backend": "standard-webhooks"]

    @Test("an unsigned POST to each source kind is 401 missing-signature problem+json")
    func unsignedIsMissingSignature() async throws {
        let bridge = try await BridgeProcess { _, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: shop, kind: shopify, secrets: ["shpss_unsigned-webhook-test"]}
              - {name: stripe, kind: stripe, secrets: ["whsec_unsigned-webhook-test"]}
              - {name: woo, kind: woocommerce, secrets: ["unsigned-webhook-test"]}
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await Self.expectMissingSignature(client: client, port: bridge.port)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(!bridge.logLines.joined().contains("zoe@example.com"), "no personal data in the log")
    }

    /// Posts one unsigned body to every source and checks each answer.
    static func expectMissingSignature(client: HTTPClient, port: Int) async throws {
        for (name, kind) in Self.sources.sorted(by: { $0.key < $1.key }) {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/\(name)")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"id":1,"type":"conversion.purchase","email":"zoe@example.com"}"#))
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 16)
            let problem = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            #expect(response.status.code == 401, "\(kind)")
            #expect(response.headers.first(name: "content-type") == "application/problem+json", "\(kind)")
            #expect(problem?["type"] as? String == "urn:capi-bridge:problem:missing-signature", "\(kind)")
            #expect(problem?["status"] as? Int == 401, "\(kind)")
            #expect(!String(buffer: body).contains("zoe@example.com"), "\(kind): no personal data in the problem")
        }
    }
}
