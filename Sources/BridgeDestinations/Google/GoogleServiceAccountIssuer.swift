import BridgeCore
import Crypto
import Foundation
import _CryptoExtras

/// OAuth 2.0 access tokens for a Google service account: the RFC 7523
/// JWT-bearer grant Google documents for server-to-server calls
/// ("Using OAuth 2.0 for Server to Server Applications").
///
/// The assertion is a JWT signed RS256 (RSASSA-PKCS1-v1_5 over SHA-256) with
/// the key file's `private_key`:
///
/// ```text
/// header  {"alg": "RS256", "typ": "JWT", "kid": <private_key_id>}
/// claims  {"iss": <client_email>, "scope": <scope>, "aud": <token_uri>,
///          "iat": <now, seconds>, "exp": <now + 3600>}
/// POST token_uri  grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<jwt>
/// ```
///
/// Segments are base64url without padding. Google refuses an `exp` more than
/// one hour after `iat`, so the assertion lives exactly one hour; the token
/// it buys lives as long as `expires_in` says (3,599 s at Google).
public struct GoogleServiceAccountIssuer: AccessTokenIssuer, CustomStringConvertible {
    /// The JWT-bearer grant type (RFC 7523 §2.1).
    public static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    /// Google's token endpoint, used when the key file has no `token_uri`.
    public static let defaultTokenURI = "https://oauth2.googleapis.com/token"
    /// How long an assertion is valid: Google's maximum.
    public static let assertionLifetimeSeconds: Int64 = 3600

    /// The key file's `client_email`: the assertion's issuer.
    public let clientEmail: String
    /// Where the assertion is posted (its audience).
    public let tokenURI: String
    /// The OAuth scope the token is for.
    public let scope: String
    let keyID: String?
    let privateKey: RedactedRSAKey

    /// A service account's signing key; printing it prints nothing.
    struct RedactedRSAKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        let key: _RSA.Signing.PrivateKey
        var description: String { "<redacted>" }
        var debugDescription: String { "<redacted>" }
        var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
    }

    /// Why a service-account key could not be used; never repeats the key.
    public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text is not a JSON object.
        case notJSON
        /// A required member is missing or blank.
        case missingField(String)
        /// `type` is present and not `service_account`.
        case notServiceAccount
        /// `private_key` is not an RSA private key in PEM of at least 2048 bits.
        case invalidPrivateKey
        /// `token_uri` is not an https URL (or http to a loopback host, or
        /// any http with `allow_insecure`).
        case invalidTokenURI

        public var description: String {
            switch self {
            case .notJSON: "is not a JSON object (a Google service-account key file)"
            case .missingField(let name): "has no \(name)"
            case .notServiceAccount: "is not a service-account key (type must be service_account)"
            case .invalidPrivateKey: "private_key is not an RSA private key in PEM (2048 bits or more)"
            case .invalidTokenURI: "token_uri must be an https:// URL (http:// only to a loopback host, or with allow_insecure: true)"
            }
        }
    }

    /// Reads a service-account key file's JSON (`client_email`,
    /// `private_key`, optional `private_key_id` and `token_uri`).
    /// - Parameters:
    ///   - keyJSON: The key file's text.
    ///   - scope: The OAuth scope to ask for.
    ///   - tokenURI: Overrides the file's `token_uri` (tests, proxies).
    ///   - allowInsecure: Accepts an `http://` token URI to any host.
    /// - Throws: `KeyError`, never quoting the key.
    public init(keyJSON: String, scope: String, tokenURI: String? = nil, allowInsecure: Bool = false) throws(KeyError) {
        guard let json = try? JSONParser.parse(Array(keyJSON.utf8)), case .object = json else { throw .notJSON }
        if let type = json["type"]?.nonBlankString, type != "service_account" { throw .notServiceAccount }
        guard let email = json["client_email"]?.nonBlankString else { throw .missingField("client_email") }
        guard let pem = json["private_key"]?.nonBlankString else { throw .missingField("private_key") }
        guard let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) else { throw .invalidPrivateKey }
        let uri = tokenURI ?? json["token_uri"]?.nonBlankString ?? Self.defaultTokenURI
        guard HTTPURLText.isHTTP(uri), (try? OutboundURLPolicy.check(uri, allowInsecure: allowInsecure)) != nil else { throw .invalidTokenURI }
        self.clientEmail = email
        self.tokenURI = uri
        self.scope = scope
        self.keyID = json["private_key_id"]?.nonBlankString
        self.privateKey = RedactedRSAKey(key: key)
    }

    public var cacheKey: String { "jwt:\(tokenURI):\(clientEmail):\(scope)" }

    public var description: String { "GoogleServiceAccountIssuer(\(clientEmail), \(scope))" }

    /// The signed assertion for `now`: `header.claims.signature`.
    public func assertion(now: Timestamp) -> String {
        var header: [String: JSONValue] = ["alg": .string("RS256"), "typ": .string("JWT")]
        if let keyID { header["kid"] = .string(keyID) }
        let issuedAt = now.secondsSinceEpoch
        let claims: [String: JSONValue] = [
            "iss": .string(clientEmail), "scope": .string(scope), "aud": .string(tokenURI),
            "iat": .number(String(issuedAt)), "exp": .number(String(issuedAt + Self.assertionLifetimeSeconds)),
        ]
        let signingInput = Self.base64URL(JSONWriter.bytes(.object(header))) + "." + Self.base64URL(JSONWriter.bytes(.object(claims)))
        // Signing with a key that parsed cannot fail short of memory
        // exhaustion; an empty signature makes Google refuse the grant,
        // which pauses the destination with a clear message.
        let signature = (try? privateKey.key.signature(for: SHA256.hash(data: Array(signingInput.utf8)), padding: .insecurePKCS1v1_5))
            .map { Array($0.rawRepresentation) } ?? []
        return signingInput + "." + Self.base64URL(signature)
    }

    public func tokenRequest(now: Timestamp) -> OutboundRequest {
        let body = FormBody.encode([("grant_type", Self.grantType), ("assertion", assertion(now: now))])
        return OutboundRequest(
            url: tokenURI,
            headers: [HeaderPair("content-type", "application/x-www-form-urlencoded"), HeaderPair("accept", "application/json")],
            opaqueBody: body, auditURL: tokenURI)
    }

    public func readToken(_ reply: HTTPReply, now: Timestamp) -> AccessTokenResult {
        OAuthTokenAnswer.read(reply, now: now, issuer: "Google")
    }

    /// RFC 4648 §5 base64url without padding (JWS compact serialization).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = SignatureSupport.base64(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}
