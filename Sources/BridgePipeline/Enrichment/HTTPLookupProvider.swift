import AsyncHTTPClient
import BridgeCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Looks customers up in an HTTP enrichment API (a customer-profile
/// service, a data vendor) and fills the fields the event lacks from the
/// answer, mapped by JSON pointers.
///
/// One `POST` per lookup with a JSON object of the configured lookup keys
/// the event has (`{"email_sha256": "…", "external_id": "…"}`); no call when
/// it has none. Answers: `200` with JSON (mapped; a missing pointer is simply
/// not filled), `404`/`204` (no profile), `429` (every lookup is held until
/// its `Retry-After`, default 1 s), anything else a failure. Bounded on every
/// side: a per-request timeout (default 300 ms) cut shorter by the event's
/// budget, a concurrency limit (a busy provider is skipped, not waited for),
/// an LRU cache with a time to live (answers and "no profile" alike), and a
/// circuit breaker that stops calling a failing API and probes it back. It
/// never throws: whatever happens, the event goes on, with or without values.
/// Logs carry the provider name, outcome and status only.
public struct HTTPLookupProvider: EnrichmentProvider {
    public let name: String
    let settings: HTTPLookupSettings
    let client: HTTPClient
    let state: HTTPLookupState
    let tokens: OAuthTokenCache?
    let metrics: BridgeMetrics?
    let logger: Logger
    let now: @Sendable () -> Timestamp

    public init(
        name: String, settings: HTTPLookupSettings, client: HTTPClient, metrics: BridgeMetrics? = nil, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
    ) {
        self.name = name
        self.settings = settings
        self.client = client
        self.state = HTTPLookupState(settings: settings)
        if case .oauth2(let credentials) = settings.auth {
            tokens = OAuthTokenCache(client: client, settings: credentials, now: now)
        } else {
            tokens = nil
        }
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    /// The breaker's state.
    public var breakerStatus: CircuitBreaker.Status { get async { await state.breakerStatus } }

    /// How many tokens were fetched (OAuth only).
    public var tokenFetches: Int { get async { await tokens?.fetches ?? 0 } }

    public func contribution(to draft: EnrichmentDraft, deadline: ContinuousClock.Instant) async -> EnrichmentContribution {
        guard let body = settings.requestBody(for: draft.event) else {
            metrics?.enrichmentLookup(provider: name, outcome: .noKeys)
            return .none
        }
        let cacheKey = Self.cacheKey(body)
        switch await state.admit(cacheKey: cacheKey, now: now()) {
        case .cached(let values):
            metrics?.enrichmentLookup(provider: name, outcome: .cached)
            return EnrichmentContribution(customer: values)
        case .breakerOpen:
            metrics?.enrichmentLookup(provider: name, outcome: .breakerOpen)
            return .none
        case .busy:
            metrics?.enrichmentLookup(provider: name, outcome: .busy)
            return .none
        case .throttled:
            metrics?.enrichmentLookup(provider: name, outcome: .throttled)
            return .none
        case .send:
            let (outcome, label) = await send(body, deadline: deadline)
            await state.finish(cacheKey: cacheKey, outcome: outcome, now: now())
            metrics?.enrichmentLookup(provider: name, outcome: label)
            if case .answered(let values) = outcome { return EnrichmentContribution(customer: values) }
            if label != .budgetExhausted {
                logger.debug("enrichment lookup failed", metadata: ["enrichment.provider": "\(name)", "enrichment.outcome": "\(label.rawValue)"])
            }
            return .none
        }
    }

    /// Sends one lookup; never throws.
    func send(_ body: [UInt8], deadline: ContinuousClock.Instant) async -> (HTTPLookupState.Outcome, BridgeMetrics.EnrichmentOutcome) {
        let remaining = ContinuousClock.now.duration(to: deadline)
        let budgetIsShorter = remaining < settings.timeout
        let requestDeadline = NIODeadline.now() + .milliseconds(max(1, min(remaining, settings.timeout).wholeMillisecondsForNIO))
        var request = HTTPClientRequest(url: settings.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "capi-bridge")
        var bearer: String?
        switch settings.auth {
        case .none: break
        case .apiKey(let header, let value): request.headers.add(name: header, value: value)
        case .oauth2:
            do {
                let token = try await tokens?.accessToken(deadline: requestDeadline) ?? ""
                bearer = token
                request.headers.add(name: "Authorization", value: "Bearer " + token)
            } catch {
                if Task.isCancelled || (error == .timeout && budgetIsShorter) { return (.abandoned, .budgetExhausted) }
                return (.failed, error == .timeout ? .timeout : .error)
            }
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let answer: ByteBuffer
        var retryAfter: String?
        do {
            let response = try await client.execute(request, deadline: requestDeadline, logger: nil)
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "retry-after")
            answer = try await response.body.collect(upTo: settings.maxResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            if Task.isCancelled || budgetIsShorter { return (.abandoned, .budgetExhausted) }
            return (.failed, .timeout)
        } catch {
            if Task.isCancelled { return (.abandoned, .budgetExhausted) }
            return (.failed, .error)
        }
        switch status {
        case 200:
            guard let json = try? JSONParser.parse(Array(answer.readableBytesView)), case .object = json else { return (.failed, .malformed) }
            let values = settings.values(in: json)
            return (.answered(values), values.isEmpty ? .miss : .hit)
        case 204, 404:
            return (.answered([:]), .miss)
        case 429:
            let current = now()
            let until = retryAfter.flatMap { RetryAfter.parse($0, now: current) } ?? current.advanced(by: .seconds(1))
            return (.throttled(until: min(until, current.advanced(by: .seconds(300)))), .throttled)
        case 401, 403:
            if let bearer { await tokens?.invalidate(bearer) }
            return (.failed, .error)
        default:
            return (.failed, .error)
        }
    }

    /// The cache key of a lookup: SHA-256 of its body, so no identifier is
    /// kept as a key.
    static func cacheKey(_ body: [UInt8]) -> String {
        body.withUnsafeBytes { IdentifierHasher.sha256Hex(bytes: $0) }
    }
}
