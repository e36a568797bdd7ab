import BridgeCore
import BridgeDestinations
import BridgeStore
import Logging
import ServiceLifecycle
import Synchronization

/// The delivery service of one destination: `concurrency` workers claim due
/// batches under a lease, send them, classify the answers and record the
/// outcomes, sharing one circuit breaker and one token bucket.
public final class DestinationWorkers: Service, Sendable {
    /// The destination and its token cache, replaced together by `reload(_:)`.
    let binding: Mutex<Binding>
    let store: any StoreBackend
    let transport: any Transport
    let sealer: IdentifierSealer
    let audit: AuditLog?
    let metrics: BridgeMetrics
    let logger: Logger
    let settings: DeliverySettings
    let owner: String
    let now: @Sendable () -> Timestamp
    let shared: Mutex<SharedState>
    /// Renews a claimed batch's leases while it is sent.
    let heartbeat: LeaseHeartbeat
    /// What the platform reported back lately (validation samples), for alerts.
    let feedback = Mutex(DestinationFeedbackState())

    /// What a configuration reload replaces: the destination (credentials,
    /// request settings) and its OAuth token cache.
    struct Binding: Sendable {
        var destination: any Destination
        /// The OAuth token of destinations that need one (`tokenIssuer`).
        var tokens: AccessTokenCache?
    }

    /// The destination as currently configured.
    public var destination: any Destination { binding.withLock { $0.destination } }
    /// Its OAuth token cache, if it needs tokens.
    var tokens: AccessTokenCache? { binding.withLock { $0.tokens } }

    struct SharedState {
        var breaker: CircuitBreaker
        var bucket: TokenBucket?
        var random: SystemRandomNumberGenerator
        var batchCounter: UInt64 = 0
        /// Since when audit entries fail to be written, and the latest
        /// failure (`nil` while they succeed).
        var auditFailure: (since: Timestamp, last: Timestamp)?
        /// The latest operator resume request this worker group acted on
        /// (requests older than the process are not acted on).
        var resumeHandled: Timestamp
    }

    /// How long a worker waits before trying again after its audit entry
    /// could not be written (a full disk, a read-only file system).
    static let auditRetryPause: Duration = .seconds(5)

    /// Since when this destination's audit entries fail, for alerts.
    public var auditFailingSince: Timestamp? { shared.withLock { $0.auditFailure?.since } }

    public init(
        destination: any Destination, store: any StoreBackend, transport: any Transport, sealer: IdentifierSealer, audit: AuditLog?,
        metrics: BridgeMetrics, logger: Logger, settings: DeliverySettings, owner: String,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.binding = Mutex(
            Binding(destination: destination, tokens: destination.tokenIssuer.map { AccessTokenCache(issuer: $0, transport: transport, timeout: settings.timeout) }))
        self.store = store
        self.transport = transport
        self.sealer = sealer
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
        self.settings = settings
        self.owner = owner
        self.now = now
        self.heartbeat = LeaseHeartbeat(store: store, kind: .delivery, owner: owner, policy: settings.lease, logger: logger, now: now)
        let start = now()
        let bucket = settings.requestsPerSecond.flatMap { try? TokenBucket(rate: $0, burst: settings.burst, now: start) }
        self.shared = Mutex(
            SharedState(breaker: CircuitBreaker(configuration: settings.breaker), bucket: bucket, random: .init(), resumeHandled: start))
    }

    public var name: String { destination.name }

    /// The breaker's state, for metrics and alerts.
    public var breakerStatus: CircuitBreaker.Status { shared.withLock { $0.breaker.status } }

    /// Clears a pause or an open circuit (after the operator fixed the
    /// credentials or the platform recovered); returns whether it was paused or open.
    @discardableResult
    public func resume() -> Bool {
        let change = shared.withLock { $0.breaker.resume(now: now()) }
        guard change != .none else { return false }
        logger.info("destination resumed", metadata: ["destination.name": "\(name)"])
        return true
    }

    /// Acts on an operator's resume request made at `requestedAt` (through
    /// the store, from any instance) unless it already did.
    @discardableResult
    public func resume(requestedAt: Timestamp) -> Bool {
        let isNew = shared.withLock { state -> Bool in
            guard requestedAt > state.resumeHandled else { return false }
            state.resumeHandled = requestedAt
            return true
        }
        return isNew && resume()
    }

    /// Takes a reloaded configuration of this destination (same name and
    /// kind): new credentials and request settings from the next batch on, a
    /// fresh token cache, and a pause for failed authentication cleared.
    public func reload(_ replacement: any Destination) {
        binding.withLock {
            $0 = Binding(
                destination: replacement,
                tokens: replacement.tokenIssuer.map { AccessTokenCache(issuer: $0, transport: transport, timeout: settings.timeout) })
        }
        if case .paused = breakerStatus { resume() }
        logger.info("destination configuration reloaded", metadata: ["destination.name": "\(name)"])
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<max(1, settings.concurrency) {
                group.addTask { await self.workerLoop(worker) }
            }
        }
    }

    func workerLoop(_ worker: Int) async {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if let pause = try await deliverOnce() { try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } }
            } catch {
                logger.warning("delivery loop failed; retrying", metadata: ["destination.name": "\(name)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One turn of a worker: waits if the breaker, the batcher or the rate
    /// limit says so (returning how long), else claims and delivers a batch.
    @discardableResult
    public func deliverOnce(force: Bool = false) async throws(StoreError) -> Duration? {
        let start = now()
        if let failed = shared.withLock({ $0.auditFailure?.last }), start.duration(since: failed) < DestinationWorkers.auditRetryPause {
            // While audit entries cannot be written, one batch per pause probes.
            return DestinationWorkers.auditRetryPause - start.duration(since: failed)
        }
        let gate = shared.withLock { $0.breaker.shouldAttempt(now: start) }
        switch gate {
        case .wait(let until): return min(until.duration(since: start), .seconds(1))
        case .paused: return .seconds(1)
        case .proceed, .probe: break
        }
        let limits = destination.limits
        // Look at the rate limit before claiming (an empty claim costs no token), take it after.
        if case .wait(let until)? = shared.withLock({ $0.bucket?.peek(1, now: start) }) { return until.duration(since: start) }
        // One transaction: the due deliveries, the batcher's wait, the lease.
        let claim = try await store.claim(
            DeliveryClaimRequest(
                destination: name, limit: limits.maxEventsPerRequest, maxBytes: limits.maxBytesPerRequest, owner: owner,
                leaseUntil: settings.lease.leaseUntil(from: start), now: start,
                flushReadyBefore: force ? nil : start.advanced(by: .zero - settings.maxWait)))
        let claimed = claim.deliveries
        guard !claimed.isEmpty else {
            guard claim.due > 0, let oldest = claim.oldestReadyAt else { return settings.idlePoll }
            let flushAt = oldest.advanced(by: settings.maxWait)
            return flushAt > start ? min(flushAt.duration(since: start), settings.idlePoll * 4) : settings.idlePoll
        }
        shared.withLock { $0.bucket?.consume(1, now: start) }
        let outcomes = await heartbeat.holding(claimed.map(\.id)) { await deliver(claimed) }
        try await store.complete(outcomes, owner: owner, now: now())
        return nil
    }
}
