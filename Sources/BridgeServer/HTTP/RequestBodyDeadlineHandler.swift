import NIOCore
import NIOHTTPTypes

/// Cuts off a request whose body has not ended `timeout` after its header
/// block: the trickled-body half of a slowloris attack.
///
/// Why a handler of our own: Hummingbird's idle timeout
/// (`HTTP1Channel.Configuration.idleTimeout`, `HTTPConnectionStateHandler`)
/// restarts at every request part it reads. It closes a connection whose
/// header block never completes (no part is ever read, so the timer runs
/// from the connection's start or its last response), but a body trickled
/// one byte at a time produces a part per byte and keeps the connection open
/// forever. This handler bounds the whole body instead.
///
/// On the deadline it fails the request's inbound stream with
/// `RequestBodyTimeout` (so the route sees an error, never a truncated body)
/// and closes the connection. It sits after the HTTP/1 decoder, with
/// `HTTP1Channel.Configuration.additionalChannelHandlers`.
final class RequestBodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { self.expire(context: context) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    private func expire(context: ChannelHandlerContext) {
        deadline = nil
        context.fireErrorCaught(RequestBodyTimeout())
        context.close(promise: nil)
    }
}

/// A request body that did not end within `server.body_timeout_seconds`.
struct RequestBodyTimeout: Error, CustomStringConvertible {
    var description: String { "the request body did not arrive within the body timeout" }
}
