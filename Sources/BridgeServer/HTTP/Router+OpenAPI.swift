import HTTPTypes
import Hummingbird
import NIOCore

extension Router {
    /// The media type `GET /openapi.yaml` answers with (RFC 9512).
    static var openAPIContentType: String { "application/yaml" }

    /// `GET /openapi.yaml`: the OpenAPI 3.1 document (`docs/openapi.yaml`,
    /// embedded in the binary by `scripts/embed-openapi.py`), byte for byte.
    /// No token: it describes the interface, never configuration or data.
    func addOpenAPIRoute() {
        let document = ByteBuffer(string: OpenAPIDocument.text)
        get("/openapi.yaml") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: Self.openAPIContentType, .cacheControl: "no-cache"],
                body: .init(byteBuffer: document))
        }
    }
}
