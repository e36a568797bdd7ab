import AsyncHTTPClient
import BridgeCore
import BridgeSources
import Logging
import NIOHTTP1

/// Reads a WooCommerce store's paid orders from the REST API
/// (`WooCommerceOrderListing`): `GET {base_url}/wp-json/wc/v3/orders` with
/// `after`/`before` (GMT), the source's purchase statuses, 100 a page
/// along `page` up to `X-WP-TotalPages`, authenticated with the consumer key
/// and secret as HTTP Basic — over `https://` only (plain `http://` only to
/// a loopback host, as every outbound URL). HTTP 429 and 5xx are retried
/// after `Retry-After` or a backoff.
public struct WooCommerceOrdersClient: OrderSource {
    public var description: String { "woocommerce" }
    public var canBackfill: Bool { true }
    public var joinsOnOrderID: Bool { false }

    let settings: SourceSettings
    let baseURL: String
    let authorization: String
    let http: SourceHTTP
    let logger: Logger
    let backoff: SourceAPIBackoff

    /// - Throws: `SourceClientError.misconfigured` when the URL is not allowed.
    public init(
        settings: SourceSettings, baseURL: String, consumerKey: String, consumerSecret: String, http: SourceHTTP, logger: Logger,
        backoff: SourceAPIBackoff = SourceAPIBackoff()
    ) throws(SourceClientError) {
        try SourceHTTP.check(baseURL, key: "base_url")
        self.settings = settings
        self.baseURL = baseURL
        self.authorization = "Basic " + SignatureSupport.base64(Array("\(consumerKey):\(consumerSecret)".utf8))
        self.http = http
        self.logger = logger
        self.backoff = backoff
    }

    public func orders(since: Timestamp, until: Timestamp) async throws(SourceClientError) -> FetchedOrders {
        var fetched = FetchedOrders()
        var page = 1
        while page <= 100_000 {
            let url = SourceHTTP.url(
                baseURL, path: "/wp-json/wc/v3/orders", query: WooCommerceOrderListing.query(since: since, until: until, page: page, settings: settings))
            let answer = try await get(url)
            guard let orders = answer.json?.arrayValue else { throw SourceClientError(.badAnswer, "woocommerce answered page \(page) without a JSON array") }
            for order in orders {
                do {
                    if let listed = try WooCommerceOrderListing.order(order, settings: settings, now: http.now()) { fetched.add(listed) }
                } catch {
                    fetched.unreadable.append(BackfillSummary.Failure(orderID: order["id"]?.scalarText ?? "?", reason: error.description))
                }
            }
            // Without X-WP-TotalPages (a proxy dropped it), a full page may have a successor: ask for it.
            let totalPages = answer.headers.first(name: "x-wp-totalpages").flatMap { Int($0) }
            let last = totalPages.map { page >= $0 } ?? (orders.count < WooCommerceOrderListing.pageSize)
            if orders.isEmpty || last { return fetched }
            page += 1
        }
        throw SourceClientError(.badAnswer, "woocommerce kept paging past 100,000 pages")
    }

    func get(_ url: String) async throws(SourceClientError) -> SourceHTTP.Answer {
        var attempt = 0
        while true {
            attempt += 1
            let answer = try await http.send(method: .GET, url: url, headers: [("authorization", authorization), ("accept", "application/json")], source: "woocommerce")
            if answer.status == 401 || answer.status == 403 {
                throw SourceClientError(.unauthorized, "woocommerce refused the consumer key (HTTP \(answer.status))")
            }
            if answer.status == 429 || answer.status >= 500 {
                guard let delay = backoff.delay(afterAttempt: attempt, retryAfter: http.retryAfter(answer.headers), now: http.now()) else {
                    throw SourceClientError(answer.status == 429 ? .throttled : .unreachable, "woocommerce answered HTTP \(answer.status) \(attempt) times")
                }
                logger.warning("source API busy; retrying", metadata: ["source.kind": "woocommerce", "http.response.status_code": "\(answer.status)"])
                do { try await http.sleep(delay) } catch { throw SourceClientError(.unreachable, "cancelled while waiting for woocommerce") }
                continue
            }
            guard answer.status == 200 else {
                let text = answer.json?["message"]?.stringValue ?? "no message"
                throw SourceClientError(.badAnswer, "woocommerce answered HTTP \(answer.status): \(SourceClientError.apiText(text))")
            }
            return answer
        }
    }
}
