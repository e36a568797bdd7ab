import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import Foundation
import NIOCore
import NIOHTTP1

/// Sends an `OutboundRequest`: HTTP(S) through the process's one
/// `HTTPClient`, `file://` by appending the body to the file (the sandbox).
public protocol Transport: Sendable {
    func send(_ request: OutboundRequest, timeout: Duration) async -> TransportResult
}

/// A reply, or why there was none.
public enum TransportResult: Sendable, Equatable {
    case reply(HTTPReply)
    case failed(RetryReason)
}

/// The production transport. Give it the process's client
/// (`BridgeRuntime.makeHTTPClient()`), which never follows redirects: a `3xx`
/// comes back as a reply for the destination to classify, and no request
/// body or header goes to the location it names.
public struct DefaultTransport: Transport {
    let client: HTTPClient
    /// Largest response body read (a summary is kept, never more).
    let maxResponseBytes: Int

    public init(client: HTTPClient, maxResponseBytes: Int = 256 * 1024) {
        self.client = client
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: OutboundRequest, timeout: Duration) async -> TransportResult {
        if request.url.hasPrefix("file://") { return FileAppender.append(request) }
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { http.headers.add(name: header.name, value: header.value) }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await client.execute(http, timeout: .milliseconds(timeout.milliseconds))
            let body = try await response.body.collect(upTo: maxResponseBytes)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return .reply(HTTPReply(status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView)))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failed(.timeout)
        } catch {
            return .failed(.networkError(String(describing: type(of: error))))
        }
    }
}

/// Appends a sandbox request's body (JSON lines) to its file.
enum FileAppender {
    static func append(_ request: OutboundRequest) -> TransportResult {
        let path = String(request.url.dropFirst("file://".count))
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(request.body))
            try handle.synchronize()
            return .reply(HTTPReply(status: 200, body: Array(#"{"status":"written"}"#.utf8)))
        } catch {
            return .failed(.networkError("sandbox file: \(type(of: error))"))
        }
    }
}

extension Duration {
    /// Whole milliseconds, for AsyncHTTPClient's `TimeAmount`.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
