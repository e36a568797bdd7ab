import AsyncHTTPClient
import BridgeCore
import BridgeSources
import Logging
import NIOHTTP1

/// Reads a Stripe account's paid sales from its list endpoints
/// (`StripeObjectListing`): Checkout Sessions and PaymentIntents created in
/// the window (`created[gte]`, `created[lte]`), 100 a page along
/// `starting_after` while `has_more`. A session and its PaymentIntent are
/// one sale (one event id) and counted once. HTTP 429 (and 5xx, or a
/// `Stripe-Should-Retry: true`) is retried after `Retry-After` or an
/// exponential backoff (`SourceAPIBackoff`); `Stripe-Should-Retry: false`
/// is not retried.
public struct StripeListClient: OrderSource {
    public var description: String { "stripe" }
    public var canBackfill: Bool { true }
    public var joinsOnOrderID: Bool { false }

    let source: String
    let apiURL: String
    let secretKey: String
    let kinds: [StripeObjectListing.Kind]
    let http: SourceHTTP
    let logger: Logger
    let backoff: SourceAPIBackoff

    /// - Parameters:
    ///   - kinds: which lists to read (both by default).
    ///   - apiURL: `https://api.stripe.com` unless testing.
    /// - Throws: `SourceClientError.misconfigured` when the URL is not allowed.
    public init(
        source: String, secretKey: String, kinds: [StripeObjectListing.Kind] = StripeObjectListing.Kind.allCases,
        apiURL: String = "https://api.stripe.com", http: SourceHTTP, logger: Logger, backoff: SourceAPIBackoff = SourceAPIBackoff()
    ) throws(SourceClientError) {
        try SourceHTTP.check(apiURL, key: "api_url")
        self.source = source
        self.apiURL = apiURL
        self.secretKey = secretKey
        self.kinds = kinds
        self.http = http
        self.logger = logger
        self.backoff = backoff
    }

    public func orders(since: Timestamp, until: Timestamp) async throws(SourceClientError) -> FetchedOrders {
        var fetched = FetchedOrders()
        for kind in kinds {
            var startingAfter: String?
            var pages = 0
            while true {
                pages += 1
                guard pages <= 100_000 else { throw SourceClientError(.badAnswer, "stripe kept paging past 100,000 pages") }
                let url = SourceHTTP.url(apiURL, path: kind.path, query: StripeObjectListing.query(since: since, until: until, startingAfter: startingAfter))
                let page = try await get(url)
                guard let objects = page["data"]?.arrayValue else { throw SourceClientError(.badAnswer, "stripe answered a list without data") }
                for object in objects {
                    do {
                        if let listed = try StripeObjectListing.order(object, kind: kind, source: source, now: http.now()) { fetched.add(listed) }
                    } catch {
                        fetched.unreadable.append(BackfillSummary.Failure(orderID: object["id"]?.stringValue ?? "?", reason: error.description))
                    }
                }
                guard page["has_more"]?.boolValue == true else { break }
                guard let last = objects.last?["id"]?.stringValue, last != startingAfter else {
                    throw SourceClientError(.badAnswer, "stripe said has_more but gave no new last object")
                }
                startingAfter = last
            }
        }
        return fetched
    }

    func get(_ url: String) async throws(SourceClientError) -> JSONValue {
        var attempt = 0
        while true {
            attempt += 1
            let answer = try await http.send(method: .GET, url: url, headers: [("authorization", "Bearer \(secretKey)")], source: "stripe")
            if answer.status == 401 || answer.status == 403 {
                throw SourceClientError(.unauthorized, "stripe refused the API key (HTTP \(answer.status))")
            }
            let shouldRetry = answer.headers.first(name: "stripe-should-retry")
            if (answer.status == 429 || answer.status >= 500 || shouldRetry == "true") && shouldRetry != "false" {
                guard let delay = backoff.delay(afterAttempt: attempt, retryAfter: http.retryAfter(answer.headers), now: http.now()) else {
                    throw SourceClientError(answer.status == 429 ? .throttled : .unreachable, "stripe answered HTTP \(answer.status) \(attempt) times")
                }
                logger.warning("source API busy; retrying", metadata: ["source.kind": "stripe", "http.response.status_code": "\(answer.status)"])
                do { try await http.sleep(delay) } catch { throw SourceClientError(.unreachable, "cancelled while waiting for stripe") }
                continue
            }
            guard let json = answer.json else { throw SourceClientError(.badAnswer, "stripe answered HTTP \(answer.status) without a JSON body") }
            guard answer.status == 200 else {
                let text = json[path: "error", "message"]?.stringValue ?? "no message"
                throw SourceClientError(.badAnswer, "stripe answered HTTP \(answer.status): \(SourceClientError.apiText(text))")
            }
            return json
        }
    }
}
