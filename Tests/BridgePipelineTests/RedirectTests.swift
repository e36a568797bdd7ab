import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
import Testing

/// The process's HTTP client never follows a redirect: a 3xx is an answer,
/// classified where it arrives, and nothing reaches the location it names.
@Suite("Outbound redirects are never followed", .serialized)
struct RedirectTests {
    /// A capture server and an endpoint redirecting every request to it, for `body`.
    func withRedirect(_ body: (_ redirect: MockRedirectServer, _ capture: MockRedirectServer, _ client: HTTPClient) async throws -> Void)
        async throws
    {
        let capture = try await MockRedirectServer.start()
        let redirect = try await MockRedirectServer.start(redirectingTo: capture.baseURL + "/captured")
        let client = BridgeRuntime.makeHTTPClient()
        do {
            try await body(redirect, capture, client)
        } catch {
            try? await client.shutdown()
            await redirect.stop()
            await capture.stop()
            throw error
        }
        try await client.shutdown()
        await redirect.stop()
        await capture.stop()
    }

    static func request(to url: String) -> OutboundRequest {
        OutboundRequest(
            url: url,
            headers: [
                HeaderPair("content-type", "application/json"), HeaderPair("authorization", "Bearer secret-token"),
                HeaderPair("x-api-key", "secret-api-key"),
            ],
            body: EncodedJSON(bytes: Array(#"{"data":[{"em":"62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"}]}"#.utf8)),
            auditURL: url)
    }

    @Test("a destination's 307 reaches the classifier as a retry with its status; the capture server receives nothing")
    func destination() async throws {
        try await withRedirect { redirect, capture, client in
            let result = await DefaultTransport(client: client).send(Self.request(to: redirect.baseURL + "/v1/events"), timeout: .seconds(10))
            guard case .reply(let reply) = result else {
                Issue.record("no reply: \(result)")
                return
            }
            #expect(reply.status == 307 && reply.headers["location"] == capture.baseURL + "/captured")
            let meta = try MetaDestination(DestinationSettings(name: "meta", kind: "meta", settings: ["pixel_id": .string("1234567890"), "access_token": .string("t")]))
            guard case .retry(_, let reason) = meta.classify(reply, itemCount: 1, now: Timestamp(secondsSinceEpoch: 1_773_504_000)) else {
                Issue.record("307 was not retried")
                return
            }
            #expect(reason == .httpStatus(307))
            #expect(redirect.requests.count == 1)
            #expect(capture.requests.isEmpty)
        }
    }

    @Test("the check is meaningful: AsyncHTTPClient's defaults would have sent the hashed body and an API-key header on")
    func defaultsWouldFollow() async throws {
        try await withRedirect { redirect, capture, _ in
            let following = HTTPClient(eventLoopGroupProvider: .singleton)
            _ = await DefaultTransport(client: following).send(Self.request(to: redirect.baseURL + "/v1/events"), timeout: .seconds(10))
            try await following.shutdown()
            #expect(capture.requests.first?.body == Self.request(to: "").body)
            #expect(capture.requests.first?.headers["x-api-key"] == "secret-api-key")
        }
    }

    @Test("an enrichment lookup and an OAuth token endpoint answering 307 fail that lookup; nothing is sent on")
    func enrichment() async throws {
        try await withRedirect { redirect, capture, client in
            let lookup = HTTPLookupProvider(
                name: "crm", settings: EnrichmentFixtures.settings(url: redirect.baseURL), client: client, logger: EnrichmentFixtures.logger)
            let oauth = HTTPLookupProvider(
                name: "crm-oauth",
                settings: EnrichmentFixtures.settings(
                    url: redirect.baseURL,
                    auth: .oauth2(
                        OAuthClientCredentials(
                            tokenURL: redirect.baseURL + "/oauth/token", clientID: "bridge", clientSecret: "s3cret", clientAuthentication: .body))),
                client: client, logger: EnrichmentFixtures.logger)
            let chain = EnrichmentChain(providers: [lookup, oauth], budget: .seconds(30), logger: EnrichmentFixtures.logger)
            let result = await chain.enrich(EnrichmentFixtures.event(customer: [.email: "b@example.com", .externalID: "c-42"]))
            #expect(result.added.isEmpty)
            #expect(redirect.requests.map(\.path) == ["/lookup", "/oauth/token"])
            #expect(capture.requests.isEmpty)
        }
    }
}
