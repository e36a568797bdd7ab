import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id (an incoming sane `X-Request-Id`, else a new
/// one), echoes it in the `X-Request-Id` response header — problem answers
/// included — and writes one access-log line per request (`AccessLogEntry`)
/// at the configured level. Outermost: it sees the problem answer
/// `ProblemMiddleware` made of any error.
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let level: Logger.Level?

    /// - Parameters:
    ///   - level: the level lines are written at; `nil` writes none.
    ///   - logger: where lines go.
    public init(level: Logger.Level?, logger: Logger = Logger(label: "capi-bridge.access")) {
        self.level = level
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let requestID = RequestID(honouring: request.headers[.requestID])
        let note = AccessLogNote()
        var response: Response
        var problem: String?
        do {
            response = try await AccessLogNote.$current.withValue(note) { try await next(request, context) }
        } catch let error as ProblemDetails {
            problem = error.slug
            response = try error.response(from: request, context: context)
        } catch {
            // ProblemMiddleware maps every error; this is only a safety net.
            log(request, context: context, note: note, requestID: requestID, status: 500, bytesOut: nil, problem: nil, started: started)
            throw error
        }
        response.headers[.requestID] = requestID.value
        log(
            request, context: context, note: note, requestID: requestID, status: Int(response.status.code), bytesOut: response.body.contentLength,
            problem: problem, started: started)
        return response
    }

    private func log(
        _ request: Request, context: Context, note: AccessLogNote, requestID: RequestID, status: Int, bytesOut: Int?, problem: String?,
        started: ContinuousClock.Instant
    ) {
        guard let level, logger.logLevel <= level else { return }
        let elapsed = ContinuousClock.now - started
        let recorded = note.snapshot
        let entry = AccessLogEntry(
            requestID: requestID, method: request.method.rawValue, route: context.endpointPath, source: recorded.source, status: status,
            durationSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            bytesIn: recorded.bytesIn ?? request.headers[.contentLength].flatMap(Int.init) ?? 0, bytesOut: bytesOut,
            eventIDs: recorded.eventIDs, outcome: status < 400 ? recorded.outcome : nil, problem: problem, traceID: recorded.traceID)
        logger.log(level: level, AccessLogEntry.message, metadata: entry.metadata)
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the request's id, echoed on every answer.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
