import Hummingbird
import Logging

/// Runs a mock's router on loopback until cancelled: the part every mock
/// server shares.
enum MockListener {
    /// Why a mock could not start.
    struct StartError: Error, CustomStringConvertible {
        let label: String
        var description: String { "the \(label) mock did not start listening" }
    }

    /// Starts serving `router` on `host:port` (0: a free port) and returns the
    /// bound port and the task that runs the server (cancel and await it to stop).
    static func start(_ router: Router<BasicRequestContext>, label: String, host: String, port: Int) async throws -> (
        port: Int, task: Task<Void, Never>
    ) {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "capi-bridge.mock-\(label)")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            try? await app.run()
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            await task.value
            throw StartError(label: label)
        }
        return (bound, task)
    }
}
