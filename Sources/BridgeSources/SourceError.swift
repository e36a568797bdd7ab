import BridgeCore

/// Why a webhook's signature was not accepted. Never carries secrets or body
/// content.
public enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required header is absent (its name).
    case missingHeader(String)
    /// A signature header could not be parsed (its name and what was wrong).
    case malformedHeader(String, reason: String)
    /// The signed timestamp is too far from now.
    case timestampOutsideTolerance(skewSeconds: Int64, toleranceSeconds: Int64)
    /// No configured secret produced a matching signature.
    case noSecretMatched(triedSecrets: Int)
    /// The request carries no signature at all and is not a recognised ping.
    case unsigned

    public var description: String {
        switch self {
        case .missingHeader(let name): return "missing header \(name)"
        case .malformedHeader(let name, let reason): return "malformed \(name) header: \(reason)"
        case .timestampOutsideTolerance(let skew, let tolerance):
            return "signed timestamp is \(skew) s from now; tolerance is \(tolerance) s"
        case .noSecretMatched(let tried): return "signature matches none of the \(tried) configured secret(s)"
        case .unsigned: return "the request is not signed"
        }
    }
}

/// Why a verified payload could not be turned into conversion events.
public enum PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is not JSON.
    case malformedJSON(JSONParseError)
    /// The body is JSON but a member is missing or wrong (pointer and reason).
    case invalid(EventValidationError)
    /// The batch holds more events than allowed.
    case tooManyEvents(count: Int, limit: Int)

    public var description: String {
        switch self {
        case .malformedJSON(let error): return error.description
        case .invalid(let error): return error.description
        case .tooManyEvents(let count, let limit): return "\(count) events in one request; the limit is \(limit)"
        }
    }

    /// Shorthand for a single violation at `pointer`.
    public static func invalid(_ pointer: JSONPointer, _ message: String) -> PayloadError {
        .invalid(EventValidationError(pointer: pointer, message: message))
    }
}

/// Any reason a source adapter refused a request.
public enum SourceError: Error, Equatable, Sendable, CustomStringConvertible {
    case signature(SignatureError)
    case payload(PayloadError)

    public var description: String {
        switch self {
        case .signature(let e): return e.description
        case .payload(let e): return e.description
        }
    }
}
