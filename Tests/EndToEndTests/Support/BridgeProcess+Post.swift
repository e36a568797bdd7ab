import AsyncHTTPClient
import BridgeCore
import BridgeSources
import Foundation
import NIOCore
import NIOHTTP1

extension BridgeProcess {
    /// A canonical purchase as the backend source posts it, with a buyer's
    /// e-mail, external id, IP address and user agent.
    static func purchase(_ id: String, email: String, ip: String) -> String {
        #"{"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58Z","data":{"event_id":"\#(id)","event_name":"Purchase","event_time":"\#(Timestamp.recent)","value":"19.90","currency":"EUR","customer":{"email":"\#(email)","external_id":"cust-\#(id)"},"client":{"ip_address":"\#(ip)","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},"test":false}}"#
    }

    /// Posts `body` to the `backend` source signed per Standard Webhooks with
    /// `standardSecret`; returns the HTTP status.
    func postSigned(_ body: String, id: String, client: HTTPClient) async throws -> UInt {
        let now = Int64(Date().timeIntervalSince1970)
        guard let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6))) else { return 0 }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/backend")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    /// Waits up to `seconds` for `condition`, checking every 50 ms; returns whether it held.
    static func wait(seconds: Double = 15, until condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

extension Timestamp {
    /// Ten minutes ago, RFC 3339: an event time every platform still takes.
    static var recent: String { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) - 600).rfc3339 }
}
