#if os(Linux)
import Foundation
import Glibc

/// A raw TCP connection to the bridge on loopback that sends a request a
/// byte at a time, as a slowloris attacker does, and notices when the
/// server closes it. Non-blocking after connecting; never raises SIGPIPE.
final class SlowClient {
    private let fd: Int32
    private var pending: [UInt8]
    private(set) var isClosed = false
    /// Everything the server sent, as text.
    private(set) var received = ""

    /// Connects to `127.0.0.1:port`; `request` is what `trickle()` sends, one byte per call.
    init(port: Int, request: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SlowClientError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw SlowClientError.connect(error)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
        pending = Array(request.utf8)
    }

    deinit { close(fd) }

    /// Sends the next byte now (or nothing when all were sent), then checks
    /// whether the server closed the connection.
    func trickle() {
        guard !isClosed else { return }
        if let byte = pending.first {
            var value = byte
            let sent = send(fd, &value, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            if sent == 1 {
                pending.removeFirst()
            } else if errno != EAGAIN && errno != EWOULDBLOCK {
                isClosed = true
                return
            }
        }
        poll()
    }

    /// Reads whatever the server sent; notes end of stream or a reset.
    func poll() {
        guard !isClosed else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                received += String(decoding: buffer[..<count], as: UTF8.self)
                continue
            }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { isClosed = true }
            return
        }
    }
}

enum SlowClientError: Error {
    case socket(Int32)
    case connect(Int32)
}
#endif
