import BridgeCore

/// How a destination obtains a short-lived OAuth 2.0 access token (Google's
/// Data Manager and Ads APIs, LinkedIn). Pure like `Destination`: it describes
/// the token request and reads the answer; `AccessTokenCache` in the pipeline
/// sends it, caches the token and asks again before it expires.
public protocol AccessTokenIssuer: Sendable {
    /// Names the cache entry (token URL, client, scope); never a secret.
    var cacheKey: String { get }
    /// The request for a fresh token at `now` (a service account signs its
    /// assertion with `now`).
    func tokenRequest(now: Timestamp) -> OutboundRequest
    /// What the token endpoint's answer means.
    func readToken(_ reply: HTTPReply, now: Timestamp) -> AccessTokenResult
}

/// A bearer token and when it stops working.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    /// The token; only ever placed in an `Authorization` header.
    public let value: String
    public let expiresAt: Timestamp

    public init(value: String, expiresAt: Timestamp) {
        self.value = value
        self.expiresAt = expiresAt
    }

    public var description: String { "AccessToken(<redacted>, expires \(expiresAt.rfc3339))" }
}

/// What a token endpoint answered.
public enum AccessTokenResult: Sendable, Equatable {
    case token(AccessToken)
    /// The credentials were refused (`invalid_grant`, `invalid_client`, 400,
    /// 401): only an operator can fix it, so the destination pauses.
    case refused(message: String)
    /// No token now (5xx, 429, network): the batch is retried later.
    case unavailable(RetryReason)
}

extension Destination {
    /// Destinations with a static credential need no token endpoint.
    public var tokenIssuer: (any AccessTokenIssuer)? { nil }

    /// `request` carrying `token`: by default as `Authorization: Bearer`.
    public func authorizing(_ request: OutboundRequest, with token: String) -> OutboundRequest {
        var request = request
        request.headers.removeAll { $0.name.lowercased() == "authorization" }
        request.headers.append(HeaderPair("authorization", "Bearer " + token))
        return request
    }
}

/// Reads an RFC 6749 §5 token answer: `{"access_token": …, "expires_in": …}`
/// on success, `{"error": "invalid_grant", "error_description": …}` on failure.
public enum OAuthTokenAnswer {
    /// Tokens without `expires_in` are kept this long.
    public static let defaultLifetimeSeconds: Int64 = 3600

    public static func read(_ reply: HTTPReply, now: Timestamp, issuer: String) -> AccessTokenResult {
        let json = try? JSONParser.parse(reply.body)
        switch reply.status {
        case 200..<300:
            guard let token = json?["access_token"]?.nonBlankString else {
                return .unavailable(.platformTransient(code: "token_response", message: "\(issuer) token answer without access_token"))
            }
            let lifetime = json?["expires_in"]?.scalarText.flatMap { Int64($0) } ?? defaultLifetimeSeconds
            return .token(AccessToken(value: token, expiresAt: now.advanced(by: .seconds(max(lifetime, 1)))))
        case 429, 408, 500..<600:
            return .unavailable(.httpStatus(reply.status))
        default:
            // The error code is a fixed vocabulary; the description is
            // summarized (it could echo a client id, never a secret).
            let code = json?["error"]?.nonBlankString ?? "http_\(reply.status)"
            let detail = json?["error_description"]?.nonBlankString.map { ": " + $0 } ?? ""
            let message = ResponseSummary.make(body: Array("\(issuer) token endpoint refused the credentials (\(code))\(detail)".utf8), limit: 300)
            return .refused(message: message)
        }
    }
}

/// `application/x-www-form-urlencoded` bodies for token requests.
public enum FormBody {
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { QueryText.encode($0.0) + "=" + QueryText.encode($0.1) }.joined(separator: "&").utf8)
    }
}

/// The RFC 6749 §6 refresh-token grant: `POST token_url` with
/// `grant_type=refresh_token`, the client id and secret and the refresh
/// token. Google (`https://oauth2.googleapis.com/token`) and LinkedIn
/// (`https://www.linkedin.com/oauth/v2/accessToken`) both take it.
public struct RefreshTokenIssuer: AccessTokenIssuer {
    let tokenURL: String
    let clientID: String
    let clientSecret: SecretText
    let refreshToken: SecretText
    let issuerName: String

    public init(tokenURL: String, clientID: String, clientSecret: String, refreshToken: String, issuerName: String) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = SecretText(clientSecret)
        self.refreshToken = SecretText(refreshToken)
        self.issuerName = issuerName
    }

    public var cacheKey: String { "refresh:\(tokenURL):\(clientID)" }

    public func tokenRequest(now: Timestamp) -> OutboundRequest {
        let body = FormBody.encode([
            ("grant_type", "refresh_token"), ("client_id", clientID), ("client_secret", clientSecret.value),
            ("refresh_token", refreshToken.value),
        ])
        return OutboundRequest(
            url: tokenURL,
            headers: [HeaderPair("content-type", "application/x-www-form-urlencoded"), HeaderPair("accept", "application/json")],
            opaqueBody: body, auditURL: tokenURL)
    }

    public func readToken(_ reply: HTTPReply, now: Timestamp) -> AccessTokenResult {
        OAuthTokenAnswer.read(reply, now: now, issuer: issuerName)
    }
}
