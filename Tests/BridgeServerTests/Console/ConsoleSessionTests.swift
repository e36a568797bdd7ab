import BridgeCore
import Crypto
import Testing

@testable import BridgeServer

@Suite("Console session cookies and CSRF tokens")
struct ConsoleSessionTests {
    static let signer = ConsoleSessionSigner(key: SymmetricKey(data: Array(repeating: UInt8(7), count: 32)))
    static let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
    static let session = ConsoleSession(
        user: "anna", issuedAt: now, expiresAt: now.advanced(by: .seconds(8 * 3600)), id: String(repeating: "ab", count: 16))

    static func credentials(_ user: String) -> [String] { user == "anna" ? ["anna-token"] : [] }

    @Test("a signed cookie reads back as the session it was made for, on any instance with the same key")
    func roundTrip() {
        let cookie = Self.signer.cookieValue(Self.session, credential: "anna-token")
        let other = ConsoleSessionSigner(key: SymmetricKey(data: Array(repeating: UInt8(7), count: 32)))
        #expect(other.session(fromCookie: cookie, now: Self.now.advanced(by: .seconds(60)), credentials: Self.credentials) == Self.session)
        #expect(!cookie.contains("anna-token"))
    }

    @Test("a cookie with a changed payload or signature, or signed with another key, is refused")
    func tampered() {
        let cookie = Self.signer.cookieValue(Self.session, credential: "anna-token")
        let forged = ConsoleSessionSigner.base64URL(Array("v1|admin|1800000000000|1900000000000|\(String(repeating: "ab", count: 16))".utf8))
        let mac = String(cookie.split(separator: ".")[1])
        #expect(Self.signer.session(fromCookie: forged + "." + mac, now: Self.now, credentials: { _ in ["anna-token"] }) == nil)
        #expect(Self.signer.session(fromCookie: cookie + "x", now: Self.now, credentials: Self.credentials) == nil)
        #expect(Self.signer.session(fromCookie: "garbage", now: Self.now, credentials: Self.credentials) == nil)
        let stranger = ConsoleSessionSigner(key: SymmetricKey(data: Array(repeating: UInt8(8), count: 32)))
        #expect(stranger.session(fromCookie: cookie, now: Self.now, credentials: Self.credentials) == nil)
    }

    @Test("a session is refused once expired, and once its user's token changed or the user was removed")
    func expiryAndRevocation() {
        let cookie = Self.signer.cookieValue(Self.session, credential: "anna-token")
        #expect(Self.signer.session(fromCookie: cookie, now: Self.session.expiresAt, credentials: Self.credentials) == nil)
        #expect(Self.signer.session(fromCookie: cookie, now: Self.now, credentials: { _ in ["new-token"] }) == nil)
        #expect(Self.signer.session(fromCookie: cookie, now: Self.now, credentials: { _ in [] }) == nil)
    }

    @Test("the CSRF token belongs to one session: another session's or a wrong one is refused")
    func csrf() {
        let token = Self.signer.csrfToken(for: Self.session)
        var other = Self.session
        other.id = String(repeating: "cd", count: 16)
        #expect(Self.signer.acceptsCSRF(token, for: Self.session))
        #expect(!Self.signer.acceptsCSRF(token, for: other))
        #expect(!Self.signer.acceptsCSRF(nil, for: Self.session))
        #expect(!Self.signer.acceptsCSRF(token + "A", for: Self.session))
    }
}

@Suite("Console sign-in rate limit")
struct SignInLimiterTests {
    @Test("an address is refused after the configured failures until the oldest leaves the window; other addresses are not")
    func limits() {
        let limiter = SignInLimiter(attempts: 3, window: .seconds(60))
        let start = Timestamp(secondsSinceEpoch: 1_800_000_000)
        for second in 0..<3 {
            #expect(limiter.retryAfter("192.0.2.1", now: start.advanced(by: .seconds(Int64(second)))) == nil)
            limiter.recordFailure("192.0.2.1", now: start.advanced(by: .seconds(Int64(second))))
        }
        #expect(limiter.retryAfter("192.0.2.1", now: start.advanced(by: .seconds(3))) == 57)
        #expect(limiter.retryAfter("192.0.2.2", now: start.advanced(by: .seconds(3))) == nil)
        #expect(limiter.retryAfter("192.0.2.1", now: start.advanced(by: .seconds(61))) == nil)
    }

    @Test("tracks at most the configured number of addresses")
    func bounded() {
        let limiter = SignInLimiter(attempts: 1, window: .seconds(60), maxAddresses: 2)
        let now = Timestamp(secondsSinceEpoch: 1_800_000_000)
        limiter.recordFailure("a", now: now)
        limiter.recordFailure("b", now: now.advanced(by: .seconds(1)))
        limiter.recordFailure("c", now: now.advanced(by: .seconds(2)))
        #expect(limiter.retryAfter("a", now: now.advanced(by: .seconds(3))) == nil)
        #expect(limiter.retryAfter("c", now: now.advanced(by: .seconds(3))) != nil)
    }
}
