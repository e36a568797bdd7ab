import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1

/// A canonical purchase posted to the `backend` Standard Webhooks source,
/// signed with `BridgeProcess.standardSecret` at the current time.
enum SignedWebhook {
    static func request(baseURL: String, eventID: String, webhookID: String? = nil) -> HTTPClientRequest {
        let body =
            #"{"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58Z","data":{"event_id":"\#(eventID)","event_name":"Purchase","event_time":"2026-01-01T11:59:50Z","value":"19.90","currency":"EUR","customer":{"email":"buyer@example.com"},"test":false}}"#
        let id = webhookID ?? "msg_\(eventID)"
        let now = Int64(Date().timeIntervalSince1970)
        let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6))) ?? []
        var request = HTTPClientRequest(url: baseURL + "/v1/webhooks/backend")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }

    /// Posts it and returns the status, the body and how long the answer took.
    static func post(
        baseURL: String, eventID: String, webhookID: String? = nil, client: HTTPClient
    ) async throws -> (status: UInt, body: String, elapsed: Duration) {
        let started = ContinuousClock.now
        let response = try await client.execute(request(baseURL: baseURL, eventID: eventID, webhookID: webhookID), timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (response.status.code, String(buffer: body), ContinuousClock.now - started)
    }
}
