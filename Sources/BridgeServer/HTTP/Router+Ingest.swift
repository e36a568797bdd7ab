import BridgeCore
import BridgeSources
import HTTPTypes
import Hummingbird
import NIOCore

extension Router {
    /// `POST /v1/webhooks/{name}` and `POST /v1/events`.
    func addIngestRoutes(ingest: IngestService, maxBodyBytes: Int) {
        post("/v1/webhooks/:name") { request, context -> Response in
            let name = try context.parameters.require("name")
            // Refuse before reading the body: unknown routes and oversized bodies cost nothing.
            guard ingest.hasSource(name) else { throw IngestError.unknownSource(name) }
            AccessLogNote.current?.record(source: name)
            let body = try await Self.collect(request, limit: maxBodyBytes)
            let trace = Self.trace(request)
            let response = try await ingest.receiveWebhook(source: name, headers: HeaderFields(request.headers), body: body, trace: trace)
            return Self.json(response)
        }
        post("/v1/events") { request, context -> Response in
            AccessLogNote.current?.record(source: ingest.eventsAPISourceName)
            let body = try await Self.collect(request, limit: maxBodyBytes)
            let response = try await ingest.receiveEvents(
                authorization: request.headers[.authorization],
                idempotencyKey: request.headers[HTTPField.Name("Idempotency-Key")!],
                contentType: request.headers[.contentType],
                body: body,
                trace: Self.trace(request))
            return Self.json(response)
        }
    }

    /// The request's `traceparent` when it is valid; an invalid one is
    /// ignored, as the W3C specification says (ingest then starts a new trace).
    static func trace(_ request: Request) -> TraceParent? {
        request.headers[.traceParent].flatMap(TraceParent.init(header:))
    }

    static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw IngestError.bodyTooLarge(limit: limit)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            AccessLogNote.current?.record(bytesIn: buffer.readableBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw IngestError.bodyTooLarge(limit: limit)
        }
    }

    static func json(_ response: IngestResponse) -> Response {
        AccessLogNote.current?.record(outcome: AccessLogEntry.Outcome(response.status), eventIDs: response.events.map(\.id))
        if let trace = response.traceParent { AccessLogNote.current?.record(traceID: trace.traceID) }
        return Response(
            status: HTTPResponse.Status(code: response.httpStatus),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: response.json)))
    }
}

extension HTTPField.Name {
    /// W3C Trace Context's `traceparent`.
    static let traceParent = HTTPField.Name("traceparent")!
}

extension HeaderFields {
    /// The request's headers, names lower-cased.
    init(_ fields: HTTPFields) {
        self.init(fields.map { ($0.name.canonicalName, $0.value) })
    }
}

extension AccessLogEntry.Outcome {
    /// The access-log outcome of an ingest answer.
    init(_ status: IngestResponse.Status) {
        switch status {
        case .accepted: self = .accepted
        case .duplicate: self = .duplicate
        case .ignored: self = .ignored
        case .ok: self = .ok
        }
    }
}
