import BridgeCore
import Foundation

/// `console:` — the browser console at `/console` on the admin listener
/// (`docs/console.md`). Anyone holding an admin token may sign in as
/// `admin`; `users` adds named people with tokens of their own.
public struct ConsoleConfig: Sendable {
    /// A named console user and the token they sign in with (from the environment).
    public struct User: Sendable, Equatable {
        public var name: String
        public var token: String

        public init(name: String, token: String) {
            self.name = name
            self.token = token
        }
    }

    /// Whether `/console` is served at all (default true).
    public var enabled = true
    public var users: [User] = []
    /// Base64 of 32 bytes: the HMAC key that signs session cookies and CSRF
    /// tokens. Every instance behind one load balancer needs the same key to
    /// accept each other's sessions; without one, a random per-process key
    /// is used (sessions end with the process and stay on it).
    public var sessionKey: String?
    /// How long a session lasts after sign-in (default 8 h).
    public var sessionDuration: Duration = .seconds(8 * 3600)
    /// Mark the cookie `Secure` even without native TLS (TLS at a reverse proxy).
    /// Native TLS (`server.tls`) always marks it.
    public var secureCookie = false
    /// Failed sign-ins one client address may make within `sign_in_window` before being refused (default 5).
    public var signInAttempts = 5
    /// The window failed sign-ins are counted over (default 15 min).
    public var signInWindow: Duration = .seconds(15 * 60)

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        enabled = reader.bool("enabled", problems: &problems) ?? enabled
        users = reader.entries("users", problems: &problems)?.compactMap { entry in
            var entry = entry
            let name = entry.string("name", required: true, problems: &problems)
            let token = entry.text("token", problems: &problems)
            if !entry.contains("token") { problems.append(ConfigProblem(entry.keyPath("token"), "required key is missing")) }
            entry.rejectUnknown(problems: &problems)
            guard let name, let token else { return nil }
            if token.isEmpty { problems.append(ConfigProblem(entry.keyPath("token"), "must not be empty (is the environment variable set?)")) }
            return User(name: name, token: token)
        } ?? []
        sessionKey = reader.text("session_key", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        if let text = reader.string("session_duration", problems: &problems) {
            if let duration = ConfigDuration.parse(text) { sessionDuration = duration } else {
                problems.append(ConfigProblem(reader.keyPath("session_duration"), "must be \(ConfigDuration.expected)"))
            }
        }
        secureCookie = reader.bool("secure_cookie", problems: &problems) ?? secureCookie
        signInAttempts = reader.integer("sign_in_attempts", problems: &problems) ?? signInAttempts
        if let text = reader.string("sign_in_window", problems: &problems) {
            if let duration = ConfigDuration.parse(text) { signInWindow = duration } else {
                problems.append(ConfigProblem(reader.keyPath("sign_in_window"), "must be \(ConfigDuration.expected)"))
            }
        }
        reader.rejectUnknown(problems: &problems)
    }

    /// Problems with the values read (key paths under `console.`).
    func validate() -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        var seen: Set<String> = []
        for (index, user) in users.enumerated() {
            let path = "console.users[\(index)]"
            if !ConsoleConfig.isValidName(user.name) {
                problems.append(ConfigProblem(path + ".name", "must be 1-64 characters of a-z, 0-9, - and _"))
            } else if user.name == "admin" || !seen.insert(user.name).inserted {
                problems.append(ConfigProblem(path + ".name", "duplicate console user name '\(user.name)' (admin is the admin token's)"))
            }
        }
        if let key = sessionKey, Data(base64Encoded: key.trimmingCharacters(in: .whitespaces))?.count != 32 {
            problems.append(ConfigProblem("console.session_key", "must be base64 of exactly 32 bytes (openssl rand -base64 32)"))
        }
        if sessionDuration > .seconds(7 * 86_400) {
            problems.append(ConfigProblem("console.session_duration", "must be at most 7d"))
        }
        if !(1...1000).contains(signInAttempts) {
            problems.append(ConfigProblem("console.sign_in_attempts", "must be between 1 and 1000"))
        }
        return problems
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }
}
