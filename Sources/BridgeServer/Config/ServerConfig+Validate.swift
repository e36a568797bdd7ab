extension ServerConfig {
    /// Every problem of `server:` (empty when it is usable): ranges, the admin
    /// listener's address, and whether the TLS files load.
    public func problems() -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if !(0...65_535).contains(port) {
            problems.append(ConfigProblem("server.port", "must be between 0 (any free port) and 65535"))
        }
        if maxBodyBytes < 1024 || maxBodyBytes > 64 * 1_048_576 {
            problems.append(ConfigProblem("server.max_body_bytes", "must be between 1024 and 67108864"))
        }
        for (key, value, range) in [
            ("idle_timeout_seconds", idleTimeoutSeconds, 0.1...3600), ("body_timeout_seconds", bodyTimeoutSeconds, 0.1...3600),
            ("shutdown_timeout_seconds", shutdownTimeoutSeconds, 0.1...3600),
        ] where !range.contains(value) {
            problems.append(ConfigProblem("server.\(key)", "must be between \(range.lowerBound) and \(Int(range.upperBound))"))
        }
        if !(1...1_000_000).contains(maxConnections) {
            problems.append(ConfigProblem("server.max_connections", "must be between 1 and 1000000"))
        }
        if !(1024...1_048_576).contains(maxHeaderBytes) {
            problems.append(ConfigProblem("server.max_header_bytes", "must be between 1024 and 1048576"))
        }
        if let admin {
            if !(0...65_535).contains(admin.port) {
                problems.append(ConfigProblem("server.admin.port", "must be between 0 (any free port) and 65535"))
            } else if admin.port != 0, admin.port == port {
                problems.append(ConfigProblem("server.admin.port", "must differ from server.port"))
            }
            if admin.host.isEmpty { problems.append(ConfigProblem("server.admin.host", "must not be empty")) }
        }
        if let tls {
            do { _ = try tls.serverConfiguration() } catch { problems.append(error.problem) }
        }
        return problems
    }
}
