import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error escaping a route into `application/problem+json`:
/// known errors keep their mapping, Hummingbird's own (404, 405, 413) get a
/// problem body, a request cut off by the shutdown deadline a 503, and
/// anything unknown becomes a generic 500, logged by type only.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as IngestError {
            throw ProblemDetails(error)
        } catch is NIOTooManyBytesError {
            throw ProblemDetails(status: .contentTooLarge, slug: "body-too-large", title: "Body too large", detail: "the body is larger than the configured limit")
        } catch let error as HTTPError {
            throw ProblemDetails(
                status: error.status, slug: ProblemMiddleware.slug(for: error.status), title: error.status.reasonPhrase,
                detail: error.body ?? error.status.reasonPhrase, headers: error.headers)
        } catch is CancellationError {
            throw ProblemDetails(
                status: .serviceUnavailable, slug: "shutting-down", title: "Shutting down", detail: "the bridge is shutting down; retry shortly",
                headers: [.retryAfter: "5"])
        } catch let error as any HTTPResponseError {
            throw ProblemDetails(
                status: error.status, slug: ProblemMiddleware.slug(for: error.status), title: error.status.reasonPhrase,
                detail: error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            throw ProblemDetails(status: .internalServerError, slug: "internal", title: "Internal error", detail: "an unexpected error occurred; it was logged")
        }
    }

    static func slug(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: return "not-found"
        case 405: return "method-not-allowed"
        case 413: return "body-too-large"
        case 400: return "bad-request"
        default: return "http-\(status.code)"
        }
    }
}
