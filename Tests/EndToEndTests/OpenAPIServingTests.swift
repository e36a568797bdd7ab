import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("The served OpenAPI document, against the real process")
struct OpenAPIServingTests {
    @Test("capi-bridge serve answers GET /openapi.yaml with docs/openapi.yaml, byte for byte")
    func servesTheDocument() async throws {
        let bridge = try await BridgeProcess()
        defer { bridge.cleanUp() }
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root = root.deletingLastPathComponent() }
        let expected = try Data(contentsOf: root.appendingPathComponent("docs/openapi.yaml"))

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/openapi.yaml"), timeout: .seconds(10))
            body = try await response.body.collect(upTo: 4 << 20)
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "content-type") == "application/yaml")
        #expect(Data(body.readableBytesView) == expected)
    }
}
