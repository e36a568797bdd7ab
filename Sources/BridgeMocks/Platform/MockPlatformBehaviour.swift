/// One scripted answer of `MockPlatformServer`, consumed one per API request
/// in order; with the script empty, requests are checked and answered as
/// the platform would.
public enum MockPlatformBehaviour: Sendable, Equatable {
    /// Check and answer as usual (a placeholder in a script).
    case accept
    /// A bare HTTP status with a plain-text body, as a proxy or load
    /// balancer sends it, without reading the request.
    case status(Int, retryAfter: Int? = nil)
    /// This outcome, worded by the platform, whatever the request holds
    /// (`.outcome(.throttled)`, `.outcome(.rejected(index: 2, message: "…"))`).
    case outcome(MockOutcome)
    /// This exact answer, whatever the request holds: a platform's own
    /// envelope that no `MockOutcome` words (Meta's Graph errors with a
    /// code, subcode and usage headers). No event counts as accepted.
    case respond(MockHTTPResponse)
    /// Waits, then checks and answers as usual.
    case delay(milliseconds: Int)
}

/// The OAuth 2.0 token endpoint a `MockPlatformServer` can also play
/// (Google's `oauth2.googleapis.com/token`, LinkedIn's `/oauth/v2/accessToken`).
public struct MockOAuthOptions: Sendable {
    /// Where it listens (`/token`).
    public var path: String
    /// The refresh-token grant's expected client id, secret and refresh token.
    public var clientID: String
    public var clientSecret: String
    public var refreshToken: String
    /// Checks a JWT-bearer grant's `assertion` (service accounts); `nil` refuses that grant.
    public var acceptsAssertion: (@Sendable (String) -> Bool)?
    /// `expires_in` of issued tokens.
    public var lifetimeSeconds: Int

    public init(
        path: String = "/token", clientID: String = "mock-client", clientSecret: String = "mock-secret",
        refreshToken: String = "mock-refresh-token", acceptsAssertion: (@Sendable (String) -> Bool)? = nil, lifetimeSeconds: Int = 3599
    ) {
        self.path = path
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.refreshToken = refreshToken
        self.acceptsAssertion = acceptsAssertion
        self.lifetimeSeconds = lifetimeSeconds
    }
}
