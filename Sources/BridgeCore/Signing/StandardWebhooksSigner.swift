/// The signing half of the Standard Webhooks (and Svix) scheme, v1:
/// `v1,` + `base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))`,
/// where the key is the base64-decoded part of a `whsec_` secret.
///
/// The generic webhook destination signs with it; the Standard Webhooks
/// source (`StandardWebhooksSignature` in BridgeSources) verifies against the
/// same signed content.
public enum StandardWebhooksSigner {
    /// The bytes the HMAC covers: `id.timestamp.body`, with the timestamp as
    /// the sender wrote it (decimal seconds).
    public static func signedContent(id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var signed: [UInt8] = []
        signed.reserveCapacity(id.utf8.count + timestamp.utf8.count + body.count + 2)
        signed.append(contentsOf: id.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: timestamp.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        return signed
    }

    /// The `webhook-signature` value a sender puts on `body`: one `v1,` entry.
    /// - Parameters:
    ///   - key: The decoded secret (the bytes after `whsec_`, base64-decoded).
    ///   - id: The `webhook-id`.
    ///   - timestamp: The `webhook-timestamp`, Unix seconds.
    ///   - body: The exact bytes sent.
    public static func sign(key: [UInt8], id: String, timestamp: Int64, body: [UInt8]) -> String {
        let content = signedContent(id: id, timestamp: String(timestamp), body: body)
        return "v1," + SignatureSupport.base64(SignatureSupport.hmacSHA256(key: key, message: content))
    }
}
