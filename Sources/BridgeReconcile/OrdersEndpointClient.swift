import AsyncHTTPClient
import BridgeCore
import Logging
import NIOHTTP1

/// Reads a custom backend's paid orders from an endpoint it exposes (the
/// shape is documented in `docs/reconciliation.md`):
/// `GET {url}?since=<RFC 3339>&until=<RFC 3339>[&cursor=<next_cursor>]`
/// with `Authorization: Bearer <token>` when one is configured, answered
/// either with JSON pages `{"orders": [...], "next_cursor": "…" | null}`
/// followed until `next_cursor` is null, or with JSON lines
/// (`application/x-ndjson`, `application/jsonl`) in one answer. Entries
/// have the keys of the CSV (`order_id`, `paid_at`, `value`, `currency`) and
/// are joined on the events' `order_id`.
public struct OrdersEndpointClient: OrderSource {
    public var description: String { "orders-endpoint" }
    public var canBackfill: Bool { false }
    public var joinsOnOrderID: Bool { true }

    let url: String
    let token: String?
    let http: SourceHTTP
    let logger: Logger
    let backoff: SourceAPIBackoff

    /// - Throws: `SourceClientError.misconfigured` when the URL is not allowed.
    public init(url: String, token: String?, http: SourceHTTP, logger: Logger, backoff: SourceAPIBackoff = SourceAPIBackoff()) throws(SourceClientError) {
        try SourceHTTP.check(url, key: "orders_url")
        self.url = url
        self.token = token
        self.http = http
        self.logger = logger
        self.backoff = backoff
    }

    public func orders(since: Timestamp, until: Timestamp) async throws(SourceClientError) -> FetchedOrders {
        var fetched = FetchedOrders()
        var seen = Set<String>()
        var cursor: String?
        for _ in 0..<100_000 {
            var query = [("since", since.rfc3339), ("until", until.rfc3339)]
            if let cursor { query.append(("cursor", cursor)) }
            let separator = url.contains("?") ? "&" : "?"
            let pageURL = url + separator + query.map { "\(SourceHTTP.encode($0.0))=\(SourceHTTP.encode($0.1))" }.joined(separator: "&")
            let answer = try await get(pageURL)
            let mediaType = answer.headers.first(name: "content-type")?.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() } ?? ""
            let page: (orders: [SourceOrder], nextCursor: String?)
            do {
                if mediaType == "application/x-ndjson" || mediaType == "application/jsonl" || mediaType == "application/jsonlines" {
                    page = (try OrderFile.parseJSONLines(answer.body), nil)
                } else {
                    page = try OrderFile.parsePage(answer.body)
                }
            } catch {
                throw SourceClientError(.badAnswer, "the orders endpoint's answer: \(error.description)")
            }
            for order in page.orders where seen.insert(order.orderID).inserted { fetched.orders.append(order) }
            guard let next = page.nextCursor else { return fetched }
            guard next != cursor else { throw SourceClientError(.badAnswer, "the orders endpoint repeated its next_cursor") }
            cursor = next
        }
        throw SourceClientError(.badAnswer, "the orders endpoint kept paging past 100,000 pages")
    }

    func get(_ pageURL: String) async throws(SourceClientError) -> SourceHTTP.Answer {
        var attempt = 0
        var headers = [("accept", "application/json, application/x-ndjson")]
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        while true {
            attempt += 1
            let answer = try await http.send(method: .GET, url: pageURL, headers: headers, source: "the orders endpoint")
            if answer.status == 401 || answer.status == 403 {
                throw SourceClientError(.unauthorized, "the orders endpoint refused the token (HTTP \(answer.status))")
            }
            if answer.status == 429 || answer.status >= 500 {
                guard let delay = backoff.delay(afterAttempt: attempt, retryAfter: http.retryAfter(answer.headers), now: http.now()) else {
                    throw SourceClientError(answer.status == 429 ? .throttled : .unreachable, "the orders endpoint answered HTTP \(answer.status) \(attempt) times")
                }
                do { try await http.sleep(delay) } catch { throw SourceClientError(.unreachable, "cancelled while waiting for the orders endpoint") }
                continue
            }
            guard answer.status == 200 else { throw SourceClientError(.badAnswer, "the orders endpoint answered HTTP \(answer.status)") }
            return answer
        }
    }
}
