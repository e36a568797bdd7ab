import Hummingbird
import NIOCore

/// The request context of every listener: Hummingbird's basic one plus the
/// connected client's address (the console rate-limits failed sign-ins by it).
public struct BridgeRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (a reverse proxy's address behind one).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
