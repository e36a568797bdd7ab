import BridgeCore
import Testing

@Suite("Standard Webhooks signing")
struct StandardWebhooksSignerTests {
    @Test("signs the reference library's accepted vectors exactly as their senders did")
    func referenceVectors() throws {
        let vectors = try #require(try JSONParser.parse(CoreTestPaths.bytes("fixtures/sources/test-vectors.json"))["standard_webhooks"]?.arrayValue)
        var signed = 0
        for vector in vectors where vector["expected"]?.stringValue == "accept" {
            let headers = try #require(vector["headers"])
            // One secret and one signature entry: that secret made that signature.
            guard let secrets = vector["secrets"]?.arrayValue, secrets.count == 1, let secret = secrets[0].stringValue, secret.hasPrefix("whsec_"),
                let header = headers["webhook-signature"]?.stringValue, !header.contains(" "),
                let id = headers["webhook-id"]?.stringValue, let timestamp = headers["webhook-timestamp"]?.stringValue.flatMap({ Int64($0) }),
                let body = vector["body"]?.stringValue
            else { continue }
            let key = try #require(SignatureSupport.decodeBase64(String(secret.dropFirst(6))))
            #expect(StandardWebhooksSigner.sign(key: key, id: id, timestamp: timestamp, body: Array(body.utf8)) == header, "\(vector["name"]?.stringValue ?? "")")
            signed += 1
        }
        #expect(signed >= 1)
    }

    @Test("the signed content is id, timestamp and body joined by dots")
    func signedContent() {
        #expect(StandardWebhooksSigner.signedContent(id: "msg_1", timestamp: "1767268800", body: Array("{}".utf8)) == Array("msg_1.1767268800.{}".utf8))
    }
}
