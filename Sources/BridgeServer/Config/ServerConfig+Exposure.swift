extension ServerConfig {
    /// Whether a listener faces the network: the public listener's `host` or
    /// the admin listener's is not a loopback address. Development settings
    /// (`ConfigLoader.developmentSettings`) are refused then.
    public var isExposed: Bool {
        !Self.isLoopback(host) || admin.map { !Self.isLoopback($0.host) } ?? false
    }

    /// Whether `host` only ever accepts connections from this machine:
    /// `localhost`, `127.0.0.0/8`, `::1` (also as `[::1]` or `::ffff:127.x.y.z`).
    /// Anything else, `0.0.0.0`, `::` and host names included, faces the network.
    public static func isLoopback(_ host: String) -> Bool {
        var address = host.lowercased()
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        if address == "localhost" || address == "::1" || address == "0:0:0:0:0:0:0:1" { return true }
        if address.hasPrefix("::ffff:") { address = String(address.dropFirst(7)) }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = octets.map { $0.count <= 3 && $0.allSatisfy { ("0"..."9").contains($0) } ? Int($0) : nil }
        guard numbers.count == 4, numbers.allSatisfy({ $0.map { $0 <= 255 } ?? false }) else { return false }
        return numbers[0] == 127
    }
}
