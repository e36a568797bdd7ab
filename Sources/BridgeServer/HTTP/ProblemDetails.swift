import BridgeCore
import BridgeSources
import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem answer (`application/problem+json`): a stable `type`,
/// a title, the status, a human `detail` and, for validation problems, the
/// JSON pointer of the offending member. Details never contain request data.
public struct ProblemDetails: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// Short stable slug: the `type` is `urn:capi-bridge:problem:<slug>`.
    public let slug: String
    public let title: String
    public let detail: String
    public let pointer: String?
    public let errors: [JSONSchema.Violation]
    public let headers: HTTPFields

    public init(
        status: HTTPResponse.Status, slug: String, title: String, detail: String, pointer: String? = nil,
        errors: [JSONSchema.Violation] = [], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.errors = errors
        self.headers = headers
    }

    /// The stable `type` URI.
    public var type: String { "urn:capi-bridge:problem:\(slug)" }

    public var json: [UInt8] {
        var object: [String: JSONValue] = [
            "type": .string(type), "title": .string(title), "status": .number(String(status.code)), "detail": .string(detail),
        ]
        if let pointer { object["pointer"] = .string(pointer) }
        if !errors.isEmpty {
            object["errors"] = .array(errors.map { .object(["pointer": .string($0.pointer.description), "detail": .string($0.message)]) })
        }
        return JSONWriter.bytes(.object(object))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}

extension ProblemDetails {
    /// The one mapping from ingest errors to HTTP answers.
    public init(_ error: IngestError) {
        switch error {
        case .unknownSource(let name):
            self.init(status: .notFound, slug: "unknown-source", title: "Unknown source", detail: "no source named '\(name.prefix(64))' is configured")
        case .unsupportedMediaType:
            self.init(status: .unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported content type", detail: error.description)
        case .unauthorized(let why):
            self.init(status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: why, headers: [.wwwAuthenticate: "Bearer"])
        case .bodyTooLarge:
            self.init(status: .contentTooLarge, slug: "body-too-large", title: "Body too large", detail: error.description)
        case .keyTooLong:
            self.init(status: .badRequest, slug: "key-too-long", title: "Idempotency key too long", detail: error.description)
        case .source(.signature(let signature)):
            if case .timestampOutsideTolerance = signature {
                self.init(status: .unauthorized, slug: "stale-timestamp", title: "Signed timestamp outside tolerance", detail: signature.description)
            } else if signature.isMissing {
                self.init(status: .unauthorized, slug: "missing-signature", title: "Missing signature", detail: signature.description)
            } else {
                self.init(status: .unauthorized, slug: "bad-signature", title: "Invalid signature", detail: signature.description)
            }
        case .source(.payload(.malformedJSON(let parse))):
            self.init(status: .badRequest, slug: "malformed-json", title: "Malformed JSON", detail: parse.description)
        case .source(.payload(.invalid(let validation))):
            self.init(
                status: .badRequest, slug: "invalid-payload", title: "Invalid payload", detail: validation.description,
                pointer: validation.pointer.description, errors: validation.violations)
        case .source(.payload(.tooManyEvents)):
            self.init(status: .contentTooLarge, slug: "too-many-events", title: "Too many events", detail: error.description, pointer: "/events")
        case .mappedEventInvalid(let validation):
            self.init(
                status: .badRequest, slug: "invalid-event", title: "Payload maps to an invalid event", detail: error.description,
                pointer: validation.pointer.description, errors: validation.violations)
        case .overloaded:
            self.init(status: .tooManyRequests, slug: "overloaded", title: "Ingest overloaded", detail: error.description, headers: [.retryAfter: "1"])
        case .store:
            self.init(status: .serviceUnavailable, slug: "store-unavailable", title: "Store unavailable", detail: error.description, headers: [.retryAfter: "5"])
        }
    }
}

extension SignatureError {
    /// True when the request carries no signature at all (a missing header,
    /// or an unsigned WooCommerce request that is not its ping): the
    /// `missing-signature` problem rather than `bad-signature`.
    var isMissing: Bool {
        switch self {
        case .missingHeader, .unsigned: return true
        case .malformedHeader, .timestampOutsideTolerance, .noSecretMatched: return false
        }
    }
}
