/// Which URLs the bridge may send requests to: identifiers (even hashed),
/// tokens and API keys never cross a network in clear.
///
/// | URL | allowed |
/// |---|---|
/// | `https://…` | always |
/// | `http://` to a loopback host (`127.0.0.0/8`, `::1`, `localhost`) | always (a sidecar, a test mock) |
/// | `http://` to any other host | only with `allow_insecure: true` on that destination or provider |
/// | anything else | never |
public enum OutboundURLPolicy {
    /// Why a URL was refused.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not an absolute `http://` or `https://` URL with a host.
        case notHTTP
        /// Plain `http://` to a host that is not loopback, without the opt-in.
        case insecure

        public var description: String {
            switch self {
            case .notHTTP: return "must be an absolute https:// URL"
            case .insecure:
                return "must be https:// (plain http:// is allowed only to a loopback host — 127.0.0.1, [::1], localhost — or with allow_insecure: true)"
            }
        }
    }

    /// Checks `url` against the policy.
    /// - Parameter allowInsecure: the explicit opt-in to plain HTTP to any host.
    public static func check(_ url: String, allowInsecure: Bool) throws(Refusal) {
        let lower = url.lowercased()
        guard let host = host(of: url), !host.isEmpty else { throw .notHTTP }
        if lower.hasPrefix("https://") { return }
        guard lower.hasPrefix("http://") else { throw .notHTTP }
        if allowInsecure || isLoopback(host: host) { return }
        throw .insecure
    }

    /// The host of an `http(s)://` URL: lowercased, without user info,
    /// port or IPv6 brackets; `nil` for other schemes or no host.
    public static func host(of url: String) -> String? {
        let lower = url.lowercased()
        var rest: Substring
        if lower.hasPrefix("https://") {
            rest = Substring(lower.dropFirst(8))
        } else if lower.hasPrefix("http://") {
            rest = Substring(lower.dropFirst(7))
        } else {
            return nil
        }
        rest = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        return String(rest.prefix { $0 != ":" })
    }

    /// True for `localhost`, `::1` (with or without brackets) and any IPv4
    /// address in `127.0.0.0/8`.
    public static func isLoopback(host: String) -> Bool {
        var name = Substring(host.lowercased())
        if name.hasPrefix("["), name.hasSuffix("]") { name = name.dropFirst().dropLast() }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
