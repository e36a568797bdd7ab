import Hummingbird
import NIOCore

/// The baseline: a Hummingbird route that reads the body and answers 202,
/// doing nothing else.
enum NoopServer {
    static func run(port: Int) async throws {
        let router = Router()
        router.post("/v1/webhooks/:name") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            _ = body.readableBytes
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"accepted"}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}
