import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL

extension HTTPServerBuilder {
    /// HTTP/1.1 bounded as `server:` says, with TLS when `tls` is given.
    ///
    /// - The idle timeout (`idle_timeout_seconds`) is Hummingbird's: it
    ///   closes a connection on which no request part arrives for that long,
    ///   which covers idle keep-alive connections and header blocks that never
    ///   complete (trickled headers).
    /// - The body timeout (`body_timeout_seconds`) bounds each request from
    ///   its header block to the end of its body (`RequestBodyDeadlineHandler`).
    /// - `max_header_bytes` bounds each header and the whole header block;
    ///   beyond it Hummingbird answers 400 and closes the connection.
    static func bridge(_ server: ServerConfig, tls: TLSConfiguration?) -> HTTPServerBuilder {
        let bodyTimeout = TimeAmount(seconds: server.bodyTimeoutSeconds)
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestBodyDeadlineHandler(timeout: bodyTimeout)],
            idleTimeout: TimeAmount(seconds: server.idleTimeoutSeconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: server.maxHeaderBytes, maxHeaderListSize: server.maxHeaderBytes))
        return HTTPServerBuilder { responder in
            let http1 = HTTP1Channel(responder: responder, configuration: configuration)
            guard let tls else { return http1 }
            return try TLSChannel(http1, tlsConfiguration: tls)
        }
    }
}

extension TimeAmount {
    /// `seconds` (fractions allowed; the configuration bounds them) as a NIO time amount.
    init(seconds: Double) {
        self = .nanoseconds(Int64((seconds * 1_000_000_000).rounded()))
    }
}
