import AsyncHTTPClient
import BridgeCore
import BridgeSources
import Logging
import NIOHTTP1

/// Reads a shop's paid orders through the GraphQL Admin API `orders` query
/// (`ShopifyOrderListing`): `POST {api_url}/admin/api/{version}/graphql.json`
/// with `X-Shopify-Access-Token`, page by page along `pageInfo.endCursor`.
///
/// Honours the cost-based throttle (`GraphQLCostThrottle`): before each page
/// it waits until the bucket, as the last `extensions.cost.throttleStatus`
/// described it, has restored the previous page's requested cost; a
/// `THROTTLED` answer is retried after the restore time or an exponential
/// backoff, whichever is longer; HTTP 429 and 5xx after `Retry-After` or a
/// backoff (`SourceAPIBackoff`).
public struct ShopifyOrdersClient: OrderSource {
    public var description: String { "shopify" }
    public var canBackfill: Bool { true }
    public var joinsOnOrderID: Bool { false }

    let settings: SourceSettings
    let endpoint: String
    let accessToken: String
    let http: SourceHTTP
    let logger: Logger
    let backoff: SourceAPIBackoff

    /// - Parameters:
    ///   - settings: the webhook source's settings (its name scopes event ids; its options say which statuses count).
    ///   - apiURL: the shop's admin origin, `https://<shop>.myshopify.com`.
    ///   - apiVersion: the Admin API version (`2025-10`).
    /// - Throws: `SourceClientError.misconfigured` when the URL is not allowed.
    public init(
        settings: SourceSettings, apiURL: String, apiVersion: String, accessToken: String, http: SourceHTTP, logger: Logger,
        backoff: SourceAPIBackoff = SourceAPIBackoff()
    ) throws(SourceClientError) {
        try SourceHTTP.check(apiURL, key: "api_url")
        self.settings = settings
        self.endpoint = SourceHTTP.url(apiURL, path: "/admin/api/\(apiVersion)/graphql.json")
        self.accessToken = accessToken
        self.http = http
        self.logger = logger
        self.backoff = backoff
    }

    public func orders(since: Timestamp, until: Timestamp) async throws(SourceClientError) -> FetchedOrders {
        var fetched = FetchedOrders()
        var throttle = GraphQLCostThrottle()
        var lastRequestedCost: Double = 0
        var cursor: String?
        for _ in 0..<100_000 {
            let body = JSONWriter.bytes(ShopifyOrderListing.body(first: ShopifyOrderListing.pageSize, after: cursor, since: since, until: until))
            let page = try await query(body, throttle: &throttle, lastRequestedCost: &lastRequestedCost)
            guard let orders = page[path: "data", "orders"], let nodes = orders["nodes"]?.arrayValue else {
                throw SourceClientError(.badAnswer, "shopify answered without data.orders.nodes")
            }
            for node in nodes {
                do {
                    if let listed = try ShopifyOrderListing.order(node: node, settings: settings, now: http.now()) { fetched.add(listed) }
                } catch {
                    let id = node["legacyResourceId"]?.scalarText ?? node["id"]?.stringValue ?? "?"
                    fetched.unreadable.append(BackfillSummary.Failure(orderID: id, reason: error.description))
                }
            }
            guard orders[path: "pageInfo", "hasNextPage"]?.boolValue == true else { return fetched }
            guard let next = orders[path: "pageInfo", "endCursor"]?.stringValue, next != cursor else {
                throw SourceClientError(.badAnswer, "shopify said there is a next page but gave no new endCursor")
            }
            cursor = next
        }
        throw SourceClientError(.badAnswer, "shopify kept paging past 100,000 pages")
    }

    /// One page: waits for the bucket, sends, retries throttled and transient answers.
    func query(_ body: [UInt8], throttle: inout GraphQLCostThrottle, lastRequestedCost: inout Double) async throws(SourceClientError) -> JSONValue {
        var attempt = 0
        while true {
            attempt += 1
            let wait = throttle.delay(before: lastRequestedCost, now: http.now())
            if wait > .zero { try await pause(wait) }
            let answer = try await http.send(
                method: .POST, url: endpoint,
                headers: [("content-type", "application/json"), ("accept", "application/json"), ("x-shopify-access-token", accessToken)],
                body: body, source: "shopify")
            if answer.status == 401 || answer.status == 403 {
                throw SourceClientError(.unauthorized, "shopify refused the access token (HTTP \(answer.status))")
            }
            if answer.status == 429 || answer.status >= 500 {
                guard let delay = backoff.delay(afterAttempt: attempt, retryAfter: http.retryAfter(answer.headers), now: http.now()) else {
                    throw SourceClientError(answer.status == 429 ? .throttled : .unreachable, "shopify answered HTTP \(answer.status) \(attempt) times")
                }
                logger.warning("source API busy; retrying", metadata: ["source.kind": "shopify", "http.response.status_code": "\(answer.status)"])
                try await pause(delay)
                continue
            }
            guard answer.status == 200, let json = answer.json else {
                throw SourceClientError(.badAnswer, "shopify answered HTTP \(answer.status) without a JSON body")
            }
            if let status = GraphQLCostThrottle.Status(answer: json) { throttle.observe(status, at: http.now()) }
            let requested = json[path: "extensions", "cost", "requestedQueryCost"]?.numberText.flatMap(Double.init)
            if let requested { lastRequestedCost = requested }
            let errors = json["errors"]?.arrayValue ?? []
            if errors.contains(where: { $0[path: "extensions", "code"]?.stringValue == "THROTTLED" }) {
                guard let delay = throttle.throttled(requestedCost: requested ?? lastRequestedCost, attempt: attempt, now: http.now()) else {
                    throw SourceClientError(.throttled, "shopify kept answering THROTTLED after \(attempt) attempts")
                }
                logger.info("source API throttled; waiting for the cost bucket", metadata: ["source.kind": "shopify", "wait.ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)"])
                try await pause(delay)
                continue
            }
            if let first = errors.first {
                let text = first["message"]?.stringValue ?? (json["errors"]?.stringValue ?? "unknown error")
                throw SourceClientError(.badAnswer, "shopify answered an error: \(SourceClientError.apiText(text))")
            }
            if let text = json["errors"]?.stringValue {
                throw SourceClientError(.badAnswer, "shopify answered an error: \(SourceClientError.apiText(text))")
            }
            return json
        }
    }

    func pause(_ duration: Duration) async throws(SourceClientError) {
        do { try await http.sleep(duration) } catch { throw SourceClientError(.unreachable, "cancelled while waiting for shopify's throttle") }
    }
}
