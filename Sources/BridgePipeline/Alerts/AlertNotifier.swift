import AsyncHTTPClient
import BridgeCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Posts alerts to every configured sink (`AlertSink`), each on its own:
/// `post` only queues and returns, so the monitor never waits for a sink,
/// and a slow or failing sink never holds up the others.
///
/// Per sink, a queue of at most `queueLimit` notifications (when full, the
/// oldest is dropped and counted) served in order by this service: each
/// notification is retried as `AlertSinkRetryPolicy` says (a few times,
/// honouring `Retry-After`), then given up. Every outcome is counted in
/// `capi_bridge_alert_notifications_total{sink, outcome}`; failures are
/// logged with the sink's name and the status, never its URL. On graceful
/// shutdown what is still queued gets one attempt each.
public final class AlertNotifier: Service, Sendable {
    public let sinks: [AlertSink]
    let client: HTTPClient
    let logger: Logger
    let metrics: BridgeMetrics?
    let retry: AlertSinkRetryPolicy
    let instance: String?
    let now: @Sendable () -> Timestamp
    let queueLimit: Int
    private let queues: [SinkQueue]

    /// One sink's pending notifications and the signal that there are some.
    final class SinkQueue: Sendable {
        let sink: AlertSink
        let pending = Mutex<[AlertAction]>([])
        let wakeups: AsyncStream<Void>
        let wake: AsyncStream<Void>.Continuation

        init(_ sink: AlertSink) {
            self.sink = sink
            (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        }
    }

    /// - Parameters:
    ///   - sinks: where alerts go, each served on its own.
    ///   - client: the process's HTTP client (redirects are not followed).
    ///   - metrics: counts each notification's outcome.
    ///   - retry: how often and when a failed notification is tried again.
    ///   - instance: a name for this bridge shown in messages (`alerts.instance_name`).
    ///   - queueLimit: notifications kept per sink while it is slow or down.
    public init(
        sinks: [AlertSink], client: HTTPClient, logger: Logger, metrics: BridgeMetrics? = nil, retry: AlertSinkRetryPolicy = AlertSinkRetryPolicy(),
        instance: String? = nil, queueLimit: Int = 100, now: @escaping @Sendable () -> Timestamp = HealthTally.wallClock
    ) {
        self.sinks = sinks
        self.client = client
        self.logger = logger
        self.metrics = metrics
        self.retry = retry
        self.instance = instance
        self.queueLimit = max(1, queueLimit)
        self.now = now
        self.queues = sinks.map(SinkQueue.init)
    }

    /// One Slack-compatible sink named `slack` (`alerts.webhook_url`).
    public convenience init(url: String, client: HTTPClient, logger: Logger) {
        self.init(sinks: [AlertSink(name: "slack", kind: .slack, url: url)], client: client, logger: logger)
    }

    /// Queues `action` for every sink and returns at once.
    public func post(_ action: AlertAction) async {
        for queue in queues {
            let dropped = queue.pending.withLock { pending -> Bool in
                pending.append(action)
                guard pending.count > queueLimit else { return false }
                pending.removeFirst()
                return true
            }
            if dropped {
                metrics?.alertNotification(sink: queue.sink.name, outcome: "dropped")
                logger.warning("alert sink queue full; the oldest notification was dropped", metadata: ["alert.sink": "\(queue.sink.name)"])
            }
            queue.wake.yield()
        }
    }

    /// Serves every sink's queue until graceful shutdown, then gives what is
    /// left one attempt each.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for queue in queues {
                group.addTask { await self.serve(queue) }
            }
        }
    }

    /// Sends everything queued now, with retries, sink after sink, and
    /// returns when done (for tests and one-shot tools; `run` does this as
    /// notifications arrive).
    public func deliverPending() async {
        for queue in queues { await drain(queue, retrying: true) }
    }

    private func serve(_ queue: SinkQueue) async {
        try? await cancelWhenGracefulShutdown {
            for await _ in queue.wakeups {
                await self.drain(queue, retrying: true)
                if Task.isCancelled { return }
            }
        }
        await drain(queue, retrying: false)
    }

    private func drain(_ queue: SinkQueue, retrying: Bool) async {
        while let action = queue.pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            await deliver(action, to: queue.sink, retrying: retrying && !Task.isCancelled)
        }
    }

    /// Posts one notification, retrying as the policy says.
    func deliver(_ action: AlertAction, to sink: AlertSink, retrying: Bool) async {
        var attempt = 0
        while true {
            attempt += 1
            let (status, retryAfter) = await send(action, to: sink)
            let verdict = retrying
                ? retry.verdict(afterAttempt: attempt, status: status, retryAfterSeconds: retryAfter)
                : AlertSinkRetryPolicy(delays: []).verdict(afterAttempt: attempt, status: status)
            switch verdict {
            case .sent:
                metrics?.alertNotification(sink: sink.name, outcome: "sent")
                return
            case .retry(let delay):
                metrics?.alertNotification(sink: sink.name, outcome: "retried")
                logger.warning(
                    "alert sink did not take the alert; retrying",
                    metadata: ["alert.sink": "\(sink.name)", "http.response.status_code": "\(status.map(String.init) ?? "none")"])
                do { try await Task.sleep(for: delay) } catch {
                    // Shutting down: one last try without waiting.
                    if await send(action, to: sink).status.map({ (200..<300).contains($0) }) == true {
                        metrics?.alertNotification(sink: sink.name, outcome: "sent")
                    } else {
                        metrics?.alertNotification(sink: sink.name, outcome: "failed")
                    }
                    return
                }
            case .giveUp(let reason):
                metrics?.alertNotification(sink: sink.name, outcome: "failed")
                logger.error(
                    "alert sink refused the alert; giving up",
                    metadata: ["alert.sink": "\(sink.name)", "alert.condition": "\(action.alert.condition.rawValue)", "reason": "\(reason)"])
                return
            }
        }
    }

    /// One request; the status (`nil` without an answer) and `Retry-After` seconds.
    func send(_ action: AlertAction, to sink: AlertSink) async -> (status: Int?, retryAfter: Int?) {
        let message = sink.message(for: action, instance: instance, at: now())
        var request = HTTPClientRequest(url: sink.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "capi-bridge")
        for header in message.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: message.body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(sink.timeout.wholeMillisecondsForRequest))
            _ = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), response.headers.first(name: "retry-after").flatMap { Int($0.filter { $0 != " " }) })
        } catch {
            logger.warning("alert sink unreachable", metadata: ["alert.sink": "\(sink.name)", "error.type": "\(type(of: error))"])
            return (nil, nil)
        }
    }
}

extension Duration {
    /// Whole milliseconds for a request deadline (at least 1).
    var wholeMillisecondsForRequest: Int64 { max(1, components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}
