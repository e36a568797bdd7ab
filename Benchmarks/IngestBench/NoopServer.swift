import Hummingbird
import NIOCore

/// The baseline: Hummingbird routes (`/v1/webhooks/{name}`, `/v1/events`)
/// that read the body and answer 202, doing nothing else.
enum NoopServer {
    static func run(port: Int) async throws {
        let router = Router()
        @Sendable func accept(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            _ = body.readableBytes
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"accepted"}"#)))
        }
        router.post("/v1/webhooks/:name", use: accept)
        router.post("/v1/events", use: accept)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
