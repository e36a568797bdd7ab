import BridgeCore

/// The shared mutable state of one HTTP provider: its circuit breaker, the
/// requests in flight, a throttling hold and the answer cache.
actor HTTPLookupState {
    /// What the provider should do for one lookup.
    enum Admission: Equatable {
        /// Answered from the cache: the values (empty: no profile).
        case cached([CustomerField: String])
        /// Send; report with `finish`.
        case send(probe: Bool)
        case breakerOpen
        case busy
        case throttled
    }

    /// How a sent lookup ended.
    enum Outcome {
        /// The API answered coherently (a profile, or none); cached.
        case answered([CustomerField: String])
        /// 429: hold every lookup until then.
        case throttled(until: Timestamp)
        /// Timeout, network error, 5xx, refused token, malformed answer: counts against the breaker.
        case failed
        /// The event's budget cut the call short: not the API's fault.
        case abandoned
    }

    private var breaker: CircuitBreaker
    private var cache: LRUCache<String, [CustomerField: String]>
    private var inFlight = 0
    private var heldUntil: Timestamp?
    private let concurrency: Int

    init(settings: HTTPLookupSettings) {
        breaker = CircuitBreaker(configuration: settings.breaker)
        cache = LRUCache(capacity: settings.cacheEntries, timeToLive: settings.cacheTTL)
        concurrency = settings.concurrency
    }

    /// Decides, at `now`, whether to answer from the cache, send, or skip.
    func admit(cacheKey: String, now: Timestamp) -> Admission {
        if let cached = cache.value(for: cacheKey, now: now) { return .cached(cached) }
        if let heldUntil, now < heldUntil { return .throttled }
        guard inFlight < concurrency else { return .busy }
        switch breaker.shouldAttempt(now: now) {
        case .proceed:
            inFlight += 1
            return .send(probe: false)
        case .probe:
            inFlight += 1
            return .send(probe: true)
        case .wait, .paused:
            return .breakerOpen
        }
    }

    /// Records how a sent lookup ended.
    func finish(cacheKey: String, outcome: Outcome, now: Timestamp) {
        inFlight -= 1
        switch outcome {
        case .answered(let values):
            breaker.requestSucceeded(now: now)
            cache.insert(values, for: cacheKey, now: now)
        case .throttled(let until):
            breaker.requestSucceeded(now: now)
            if heldUntil.map({ $0 < until }) ?? true { heldUntil = until }
        case .failed:
            breaker.requestFailed(now: now)
        case .abandoned:
            break
        }
    }

    /// The breaker's state (tests, health).
    var breakerStatus: CircuitBreaker.Status { breaker.status }
}
