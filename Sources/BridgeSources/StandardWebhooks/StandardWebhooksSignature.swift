import BridgeCore
import Crypto

/// The Standard Webhooks (and Svix) signature scheme, v1 (HMAC-SHA256):
/// `base64(HMAC(key, id + "." + timestamp + "." + body))`, where the key is
/// the base64-decoded part of a `whsec_` secret. Entries of other versions
/// (`v1a`, …) are ignored. Senders sign with `StandardWebhooksSigner`
/// (BridgeCore), over the same content.
public struct StandardWebhooksSignature: Sendable {
    /// One keyed HMAC per configured secret (copied per request: HMAC is copy-on-write).
    let keyed: [HMAC<SHA256>]
    let toleranceSeconds: Int64

    /// - Parameter secrets: `whsec_…` secrets (the prefix is optional).
    /// - Returns: `nil` when a secret is not valid base64.
    public init?(secrets: [String], toleranceSeconds: Int64 = 300) {
        var keys: [[UInt8]] = []
        for secret in secrets {
            let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            guard let key = SignatureSupport.decodeBase64(encoded), !key.isEmpty else { return nil }
            keys.append(key)
        }
        self.keyed = keys.map { HMAC<SHA256>(key: SymmetricKey(data: $0)) }
        self.toleranceSeconds = toleranceSeconds
    }

    /// The id and timestamp of a verified message.
    public struct Verified: Sendable, Equatable {
        public let messageID: String
        public let timestamp: Int64
    }

    /// Verifies `headers` and `body`. Accepts the `svix-*` header names as aliases
    /// (preferred when both are present, as the svix library does).
    /// - Throws: `SignatureError` naming what failed.
    public func verify(headers: HeaderFields, body: [UInt8], now: Timestamp) throws(SignatureError) -> Verified {
        func header(_ suffix: String) throws(SignatureError) -> String {
            if let value = headers["svix-" + suffix] ?? headers["webhook-" + suffix] { return value }
            throw .missingHeader("webhook-" + suffix)
        }
        let id = try header("id")
        let timestampText = try header("timestamp")
        let signatureHeader = try header("signature")
        guard let timestamp = Int64(timestampText) else {
            throw .malformedHeader("webhook-timestamp", reason: "not an integer number of seconds")
        }
        let (skew, overflow) = now.secondsSinceEpoch.subtractingReportingOverflow(timestamp)
        guard !overflow, skew.magnitude <= toleranceSeconds.magnitude else {
            throw .timestampOutsideTolerance(skewSeconds: overflow ? Int64.max : skew, toleranceSeconds: toleranceSeconds)
        }
        var candidates: [[UInt8]] = []
        for entry in signatureHeader.split(separator: " ", omittingEmptySubsequences: true) {
            guard let comma = entry.firstIndex(of: ",") else { continue }
            guard entry[..<comma] == "v1" else { continue }
            if let decoded = SignatureSupport.decodeBase64(String(entry[entry.index(after: comma)...])) {
                candidates.append(decoded)
            }
        }
        guard !candidates.isEmpty else {
            throw .malformedHeader("webhook-signature", reason: "no v1 signature entry")
        }
        let signed = StandardWebhooksSigner.signedContent(id: id, timestamp: timestampText, body: body)
        var matched = false
        for base in keyed {
            var hmac = base
            hmac.update(data: signed)
            let expected = Array(hmac.finalize())
            for candidate in candidates where SignatureSupport.constantTimeEquals(expected, candidate) {
                matched = true
            }
        }
        guard matched else { throw .noSecretMatched(triedSecrets: keyed.count) }
        return Verified(messageID: id, timestamp: timestamp)
    }
}
