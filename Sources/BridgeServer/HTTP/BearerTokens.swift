import BridgeCore

/// The bearer tokens a route accepts: the current one and, while rotating,
/// the previous ones. Every configured token is compared in constant time,
/// so the answer's timing says nothing about which one (or how much of one)
/// matched.
struct BearerTokens: Sendable {
    private let tokens: [[UInt8]]

    init(_ tokens: [String]) {
        self.tokens = tokens.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// No token is configured: the route refuses everything.
    var isEmpty: Bool { tokens.isEmpty }

    /// Whether `authorization` is `Bearer <one of the tokens>` (scheme case-insensitive).
    func accepts(authorization header: String?) -> Bool {
        guard let header, header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let presented = Array(header.utf8.dropFirst(7))
        var matched = false
        for token in tokens where SignatureSupport.constantTimeEquals(token, presented) {
            matched = true
        }
        return matched
    }

    /// Whether `authorization` carries a bearer credential at all.
    static func isBearer(_ header: String?) -> Bool {
        guard let header, header.utf8.count > 7 else { return false }
        return header.prefix(7).lowercased() == "bearer "
    }
}
