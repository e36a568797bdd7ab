import BridgeCore
import Crypto
import Foundation

/// A signed-in console session as its cookie carries it: who, when it was
/// issued and ends, and a random id the CSRF token is derived from.
///
/// The cookie is `payload.mac` (both base64url): the MAC is HMAC-SHA256 under
/// the console's session key over the payload *and* a fingerprint of the
/// token the user signed in with, so every instance holding the same key
/// accepts it (no shared session table), and changing a user's token (or
/// removing the user) ends their sessions everywhere.
public struct ConsoleSession: Sendable, Equatable {
    public var user: String
    public var issuedAt: Timestamp
    public var expiresAt: Timestamp
    /// 16 random bytes, hex.
    public var id: String

    public init(user: String, issuedAt: Timestamp, expiresAt: Timestamp, id: String) {
        self.user = user
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.id = id
    }
}

/// Signs and checks session cookies and CSRF tokens with one key (pure: the
/// clock and the random id are given).
public struct ConsoleSessionSigner: Sendable {
    let key: SymmetricKey

    public init(key: SymmetricKey) { self.key = key }

    /// The cookie value for `session`, bound to the token `credential`.
    public func cookieValue(_ session: ConsoleSession, credential: String) -> String {
        let payload = Array("v1|\(session.user)|\(session.issuedAt.millisecondsSinceEpoch)|\(session.expiresAt.millisecondsSinceEpoch)|\(session.id)".utf8)
        return Self.base64URL(payload) + "." + Self.base64URL(mac(payload, credential: credential))
    }

    /// The session `value` carries when its MAC is right for one of the
    /// `credentials` its user may hold and it has not expired at `now`.
    public func session(fromCookie value: String, now: Timestamp, credentials: (String) -> [String]) -> ConsoleSession? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.bytes(base64URL: String(parts[0])), let presented = Self.bytes(base64URL: String(parts[1])),
            let text = String(bytes: payload, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[0] == "v1", let issued = Int64(fields[2]), let expires = Int64(fields[3]), fields[4].utf8.count == 32 else {
            return nil
        }
        var matched = false
        for credential in credentials(fields[1]) where SignatureSupport.constantTimeEquals(mac(payload, credential: credential), presented) {
            matched = true
        }
        guard matched, now.millisecondsSinceEpoch < expires, issued <= now.millisecondsSinceEpoch + 60_000 else { return nil }
        return ConsoleSession(
            user: fields[1], issuedAt: Timestamp(millisecondsSinceEpoch: issued), expiresAt: Timestamp(millisecondsSinceEpoch: expires), id: fields[4])
    }

    /// The synchronizer token every state-changing form of `session` carries.
    public func csrfToken(for session: ConsoleSession) -> String {
        Self.base64URL(Array(HMAC<SHA256>.authenticationCode(for: Array("csrf|\(session.id)".utf8), using: key)))
    }

    /// Whether `presented` is `session`'s CSRF token (constant time).
    public func acceptsCSRF(_ presented: String?, for session: ConsoleSession) -> Bool {
        guard let presented else { return false }
        return SignatureSupport.constantTimeEquals(Array(csrfToken(for: session).utf8), Array(presented.utf8))
    }

    /// A new random session id.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private func mac(_ payload: [UInt8], credential: String) -> [UInt8] {
        let fingerprint = Array(SHA256.hash(data: Array(credential.utf8)))
        return Array(HMAC<SHA256>.authenticationCode(for: payload + [0] + fingerprint, using: key))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64URL text: String) -> [UInt8]? {
        guard text.utf8.count <= 4096, text.utf8.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") }) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
