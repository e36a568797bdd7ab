import BridgeCore

/// Why a source's API could not be read. Messages name the source, the
/// HTTP status and the API's own error text (redacted, truncated), never
/// credentials or order data.
public struct SourceClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The API refused the credentials (401/403).
        case unauthorized
        /// Network, TLS or timeout.
        case unreachable
        /// Still throttled after every retry.
        case throttled
        /// An answer that is not what the API documents.
        case badAnswer = "bad_answer"
        /// The source's settings are unusable (a URL the outbound policy refuses, a file that cannot be read).
        case misconfigured
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The API's own error text, redacted of anything that looks personal, at most 200 characters.
    static func apiText(_ text: String) -> String {
        PersonalDataScanner().redacting(String(text.prefix(200)))
    }
}
