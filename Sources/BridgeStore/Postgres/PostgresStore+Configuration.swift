import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Where and how to connect, parsed from a `postgres://` URL.
    ///
    /// `postgres://user[:password]@host[:port]/database[?schema=NAME&sslmode=MODE&sslrootcert=FILE&pool_size=N]`
    ///
    /// - `schema`: keep the bridge's tables in this schema (created at open
    ///   when missing) instead of the user's default search path; several
    ///   bridges, or test runs, can then share one database.
    /// - `sslmode`: `disable`, `prefer` (TLS when the server offers it),
    ///   `require` (TLS or fail; like libpq, the certificate is not verified)
    ///   or `verify-full` (TLS with the certificate and host name checked).
    ///   The default depends on the host: `prefer` for a loopback host
    ///   (`127.0.0.0/8`, `::1`, `localhost`), `verify-full` for any other.
    ///   To a host that is not loopback, `disable` and `prefer` (which falls
    ///   back to clear text) are refused unless `allowInsecure` is set
    ///   (`store.allow_insecure: true`).
    /// - `sslrootcert`: a PEM file of the certificate authorities to trust
    ///   for `verify-full` (default: the system's trust store).
    /// - `pool_size`: connections this instance may open (default 10).
    public struct Configuration: Sendable, Equatable, CustomStringConvertible {
        public enum TLSMode: String, Sendable, Equatable {
            case disable
            case prefer
            case require
            case verifyFull = "verify-full"
        }

        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// The schema holding the tables; `nil` uses the user's search path.
        public var schema: String?
        public var tls: TLSMode
        /// PEM file of the certificate authorities trusted for `verify-full`;
        /// `nil`: the system's trust store.
        public var rootCertificatePath: String?
        /// The most connections this instance opens (group commit, claims and reads share them).
        public var maximumConnections: Int

        public init(
            host: String, port: Int = 5432, username: String, password: String? = nil, database: String, schema: String? = nil,
            tls: TLSMode = .prefer, rootCertificatePath: String? = nil, maximumConnections: Int = 10
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.schema = schema
            self.tls = tls
            self.rootCertificatePath = rootCertificatePath
            self.maximumConnections = maximumConnections
        }

        /// True when `host` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
        public var isLoopback: Bool { OutboundURLPolicy.isLoopback(host: host) }

        /// Parses a `postgres://` (or `postgresql://`) URL.
        /// - Parameter allowInsecure: permits `sslmode=disable` or `prefer` to
        ///   a host that is not loopback.
        /// - Throws: `StoreError.misconfigured` naming what is wrong (never the password).
        public init(url: String, allowInsecure: Bool = false) throws(StoreError) {
            guard let components = URLComponents(string: url) else {
                throw StoreError(.misconfigured, "the PostgreSQL URL is not a valid URL")
            }
            guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
                throw StoreError(.misconfigured, "the PostgreSQL URL must start with postgres:// or postgresql://")
            }
            guard let host = components.host, !host.isEmpty else {
                throw StoreError(.misconfigured, "the PostgreSQL URL has no host")
            }
            guard let username = components.user, !username.isEmpty else {
                throw StoreError(.misconfigured, "the PostgreSQL URL has no user name (postgres://user@host/database)")
            }
            let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            guard !path.isEmpty, !path.contains("/") else {
                throw StoreError(.misconfigured, "the PostgreSQL URL must name one database (postgres://user@host/database)")
            }
            self.init(
                host: host, port: components.port ?? 5432, username: username, password: components.password,
                database: path)
            var mode: TLSMode?
            for item in components.queryItems ?? [] {
                let value = item.value ?? ""
                switch item.name {
                case "schema":
                    guard Configuration.isPlainIdentifier(value) else {
                        throw StoreError(.misconfigured, "schema must be a lowercase SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)")
                    }
                    schema = value
                case "sslmode":
                    guard let parsed = TLSMode(rawValue: value) else {
                        throw StoreError(.misconfigured, "sslmode must be disable, prefer, require or verify-full")
                    }
                    mode = parsed
                case "sslrootcert":
                    guard !value.isEmpty else { throw StoreError(.misconfigured, "sslrootcert must be the path of a PEM file") }
                    rootCertificatePath = value
                case "pool_size":
                    guard let size = Int(value), (1...1000).contains(size) else {
                        throw StoreError(.misconfigured, "pool_size must be a number from 1 to 1000")
                    }
                    maximumConnections = size
                default:
                    throw StoreError(
                        .misconfigured, "unknown PostgreSQL URL parameter \(item.name) (known: schema, sslmode, sslrootcert, pool_size)")
                }
            }
            tls = mode ?? (isLoopback ? .prefer : .verifyFull)
            if !isLoopback, tls == .disable || tls == .prefer, !allowInsecure {
                throw StoreError(
                    .misconfigured,
                    "sslmode=\(tls.rawValue) to \(host), which is not a loopback host, could send the database password and identifiers in clear: use sslmode=verify-full (the default), or set store.allow_insecure: true"
                )
            }
        }

        /// True for names usable unquoted: `CREATE SCHEMA` cannot take a bound
        /// parameter, so only such names are ever put into SQL text.
        static func isPlainIdentifier(_ name: String) -> Bool {
            guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
            let isLetter = { (byte: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_") }
            let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
            return isLetter(first) && name.utf8.allSatisfy { isLetter($0) || isDigit($0) }
        }

        /// The URL without the password, for logs and errors.
        public var description: String {
            var text = "postgres://\(username)\(password == nil ? "" : ":<redacted>")@\(host):\(port)/\(database)"
            var parameters: [String] = []
            if let schema { parameters.append("schema=\(schema)") }
            parameters.append("sslmode=\(tls.rawValue)")
            if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
            return text
        }

        /// Startup parameters: the schema as search path, so unqualified table
        /// names resolve there on every connection.
        var startupParameters: [(String, String)] {
            schema.map { [("search_path", $0)] } ?? []
        }

        func clientConfiguration() -> PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: clientTLS())
            configuration.options.maximumConnections = maximumConnections
            configuration.options.additionalStartupParameters = startupParameters
            return configuration
        }

        func connectionConfiguration() throws -> PostgresConnection.Configuration {
            let tls: PostgresConnection.Configuration.TLS
            switch self.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration()))
            case .require, .verifyFull: tls = .require(try NIOSSLContext(configuration: tlsConfiguration()))
            }
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
            configuration.options.additionalStartupParameters = startupParameters
            return configuration
        }

        private func clientTLS() -> PostgresClient.Configuration.TLS {
            switch tls {
            case .disable: return .disable
            case .prefer: return .prefer(tlsConfiguration())
            case .require, .verifyFull: return .require(tlsConfiguration())
            }
        }

        /// The TLS settings connections use. `verify-full`: swift-nio-ssl's
        /// client defaults, full verification (certificate chain, and the host
        /// name postgres-nio sends, or the server's IP address), trusting
        /// `rootCertificatePath` when set; the other modes encrypt without
        /// verifying, as libpq does.
        public func tlsConfiguration() -> TLSConfiguration {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if tls == .verifyFull {
                configuration.certificateVerification = .fullVerification
                if let rootCertificatePath { configuration.trustRoots = .file(rootCertificatePath) }
            } else {
                configuration.certificateVerification = .none
            }
            return configuration
        }
    }
}
