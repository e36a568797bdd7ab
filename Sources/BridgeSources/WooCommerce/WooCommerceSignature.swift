import BridgeCore

/// WooCommerce's webhook signature (`woocommerce.md`):
/// `X-WC-Webhook-Signature` is the base64 of HMAC-SHA256 over the raw body,
/// keyed with the secret WooCommerce shows in its admin. WooCommerce signs with
/// `wp_specialchars_decode(stored secret)`, which is that displayed text, so the
/// configured secret is used as given: it is never HTML-decoded here (vectors
/// WC-2 and WC-3). No timestamp is signed.
///
/// The one unsigned request accepted is the activation ping, whose body is
/// exactly `webhook_id=<digits>`.
public struct WooCommerceSignature: Sendable {
    static let headerName = "X-WC-Webhook-Signature"

    /// What a request turned out to be.
    public enum Verdict: Sendable, Equatable {
        /// A signature matched a configured secret.
        case signed
        /// The unsigned activation ping: answer 200, store nothing.
        case ping
    }

    /// One HMAC key per configured (non-empty) secret, as opaque bytes.
    let keys: [[UInt8]]

    /// - Parameter secrets: every active secret, exactly as displayed by
    ///   WooCommerce; all are tried (rotation).
    public init(secrets: [String]) {
        self.keys = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Verifies a request.
    /// - Throws: `.unsigned` for an unsigned request that is not the ping,
    ///   `.malformedHeader` when the header is not a base64 SHA-256 digest (a
    ///   hex digest, for one), `.noSecretMatched` when no secret produces it.
    public func verify(headers: HeaderFields, body: [UInt8]) throws(SignatureError) -> Verdict {
        guard let header = headers[WooCommerceSignature.headerName]?.trimmingWhitespace(), !header.isEmpty else {
            if WooCommerceSignature.isPing(body) { return .ping }
            throw .unsigned
        }
        guard let provided = SignatureSupport.decodeBase64(header), provided.count == 32 else {
            throw .malformedHeader(
                WooCommerceSignature.headerName, reason: "not a base64 HMAC-SHA256 digest (only sha256 is supported)")
        }
        var matched = false
        for key in keys {
            let expected = SignatureSupport.hmacSHA256(key: key, message: body)
            if SignatureSupport.constantTimeEquals(expected, provided) { matched = true }
        }
        guard matched else { throw .noSecretMatched(triedSecrets: keys.count) }
        return .signed
    }

    /// True when `body` is exactly `webhook_id=` followed by 1–20 ASCII digits.
    static func isPing(_ body: [UInt8]) -> Bool {
        let prefix = Array("webhook_id=".utf8)
        guard body.count > prefix.count, body.count <= prefix.count + 20, body.starts(with: prefix) else { return false }
        return body[prefix.count...].allSatisfy { (0x30...0x39).contains($0) }
    }

    /// The header value WooCommerce would send for `body` under `secret`; for
    /// tests and the demo.
    public static func sign(secret: String, body: [UInt8]) -> String {
        SignatureSupport.base64(SignatureSupport.hmacSHA256(key: Array(secret.utf8), message: body))
    }
}
