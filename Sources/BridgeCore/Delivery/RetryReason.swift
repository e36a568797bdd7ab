/// Why a delivery attempt is worth repeating later. Platform-neutral; the
/// `label` is a small fixed set suitable as a metrics label.
public enum RetryReason: Sendable, Hashable, CustomStringConvertible {
    /// The request failed below HTTP: connection refused or reset, DNS, TLS.
    /// The text says what happened, without personal data.
    case networkError(String)
    /// No complete answer before the request deadline. The platform may have
    /// received the events; the retry reuses their `event_id`s, which the
    /// platform deduplicates.
    case timeout
    /// A retryable HTTP status: 408, 425, 429 or 5xx (and, by choice, 1xx/3xx,
    /// which only a misbehaving proxy sends).
    case httpStatus(Int)
    /// A transient error the platform reports with its own code (Meta
    /// `is_transient`, codes 1 and 2; TikTok `40100`).
    case platformTransient(code: String, message: String)

    /// `network`, `timeout`, `http_4xx`, `http_5xx`, `http_other` or `platform`.
    public var label: String {
        switch self {
        case .networkError: return "network"
        case .timeout: return "timeout"
        case .httpStatus(let status) where (400..<500).contains(status): return "http_4xx"
        case .httpStatus(let status) where (500..<600).contains(status): return "http_5xx"
        case .httpStatus: return "http_other"
        case .platformTransient: return "platform"
        }
    }

    public var description: String {
        switch self {
        case .networkError(let text): return "network error: \(text)"
        case .timeout: return "timeout"
        case .httpStatus(let status): return "HTTP \(status)"
        case .platformTransient(let code, let message): return "platform code \(code): \(message)"
        }
    }
}
