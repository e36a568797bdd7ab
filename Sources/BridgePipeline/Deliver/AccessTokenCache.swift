import BridgeCore
import BridgeDestinations

/// Keeps one OAuth access token per destination and fetches a new one
/// through the transport before the old one expires: at most one token
/// request at a time, shared by all of the destination's workers.
actor AccessTokenCache {
    /// A token is replaced this long before it expires (Google's last 1 h,
    /// LinkedIn's 60 days), or at half its lifetime when that is shorter.
    static let refreshMargin: Duration = .seconds(300)

    private let issuer: any AccessTokenIssuer
    private let transport: any Transport
    private let timeout: Duration
    private var current: (token: AccessToken, refreshAt: Timestamp)?
    private var inFlight: Task<AccessTokenResult, Never>?

    init(issuer: any AccessTokenIssuer, transport: any Transport, timeout: Duration) {
        self.issuer = issuer
        self.transport = transport
        self.timeout = timeout
    }

    /// A token valid at `now`, fetched when there is none or it is due for refresh.
    func token(now: Timestamp) async -> AccessTokenResult {
        if let current, now < current.refreshAt { return .token(current.token) }
        if let inFlight { return await inFlight.value }
        let issuer = self.issuer
        let transport = self.transport
        let timeout = self.timeout
        let task = Task { () -> AccessTokenResult in
            switch await transport.send(issuer.tokenRequest(now: now), timeout: timeout) {
            case .reply(let reply): return issuer.readToken(reply, now: now)
            case .failed(let reason): return .unavailable(reason)
            }
        }
        inFlight = task
        let result = await task.value
        inFlight = nil
        if case .token(let token) = result {
            let lifetime = token.expiresAt.duration(since: now)
            let margin = min(Self.refreshMargin, lifetime / 2)
            current = (token, token.expiresAt.advanced(by: .zero - margin))
        }
        return result
    }

    /// Forgets `token` after the platform refused it (revoked, or expired
    /// early); the next call fetches a new one.
    func invalidate(_ token: String) {
        if current?.token.value == token { current = nil }
    }
}
