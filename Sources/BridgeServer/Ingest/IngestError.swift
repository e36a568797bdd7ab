import BridgeCore
import BridgeSources
import BridgeStore

/// Why an ingest request was refused. Mapped to problem+json in one place
/// (`ProblemDetails.init(_:)`).
public enum IngestError: Error, Sendable, CustomStringConvertible {
    case unknownSource(String)
    case unsupportedMediaType(String?)
    case unauthorized(String)
    case bodyTooLarge(limit: Int)
    /// A delivery id or idempotency key header longer than the limit (bytes).
    case keyTooLong(header: String, limit: Int)
    case source(SourceError)
    case mappedEventInvalid(EventValidationError)
    case overloaded
    case store(StoreError)
    /// A privacy request arrived and nothing can carry it out (no handler
    /// configured): refused, so the sender retries rather than taking it as done.
    case privacyUnavailable

    public var description: String {
        switch self {
        case .unknownSource(let name): return "no source named '\(name)' is configured"
        case .unsupportedMediaType(let type): return "content type \(type ?? "(none)") is not accepted; send application/json"
        case .unauthorized(let why): return why
        case .bodyTooLarge(let limit): return "the body is larger than \(limit) bytes"
        case .keyTooLong(let header, let limit): return "the \(header) header is longer than \(limit) bytes"
        case .source(let error): return error.description
        case .mappedEventInvalid(let error): return "the payload maps to an invalid event: \(error)"
        case .overloaded: return "too many requests are waiting for the store; retry shortly"
        case .store(let error): return "the store is unavailable (\(error.code.rawValue)); nothing was stored"
        case .privacyUnavailable: return "privacy requests cannot be carried out right now; retry later"
        }
    }
}
