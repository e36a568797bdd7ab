import BridgeCore

/// Shopify's webhook signature: `X-Shopify-Hmac-Sha256` is the standard
/// base64 of HMAC-SHA256 over the raw body, keyed with the secret's text as
/// UTF-8 (an app's `shpss_…` client secret, or a shop's 64-hex notifications
/// key used as 64 ASCII bytes, never hex-decoded). No timestamp is signed.
public struct ShopifySignature: Sendable {
    /// The events-style header, checked first as Shopify's own library does.
    static let headerNames = ["shopify-hmac-sha256", "X-Shopify-Hmac-Sha256"]

    /// One HMAC key per configured (non-empty) secret.
    let keys: [[UInt8]]

    /// - Parameter secrets: every active secret; all are tried (rotation).
    public init(secrets: [String]) {
        self.keys = secrets.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// Verifies the body against the signature header.
    /// - Throws: `SignatureError.missingHeader` without a signature header,
    ///   `.malformedHeader` when it is not a base64 SHA-256 digest (a hex
    ///   digest, for one), `.noSecretMatched` when no secret produces it.
    public func verify(headers: HeaderFields, body: [UInt8]) throws(SignatureError) {
        guard let header = ShopifySignature.headerNames.lazy.compactMap({ headers[$0] }).first else {
            throw .missingHeader("X-Shopify-Hmac-Sha256")
        }
        guard let provided = SignatureSupport.decodeBase64(header.trimmingWhitespace()), provided.count == 32 else {
            throw .malformedHeader("X-Shopify-Hmac-Sha256", reason: "not a base64 HMAC-SHA256 digest")
        }
        var matched = false
        for key in keys {
            let expected = SignatureSupport.hmacSHA256(key: key, message: body)
            if SignatureSupport.constantTimeEquals(expected, provided) { matched = true }
        }
        guard matched else { throw .noSecretMatched(triedSecrets: keys.count) }
    }

    /// The header value Shopify would send for `body` under `secret`; for
    /// tests and the demo.
    public static func sign(secret: String, body: [UInt8]) -> String {
        SignatureSupport.base64(SignatureSupport.hmacSHA256(key: Array(secret.utf8), message: body))
    }
}
