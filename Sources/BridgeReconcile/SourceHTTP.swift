import AsyncHTTPClient
import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP side every source client shares: the process's `HTTPClient`
/// (which follows no redirects), a deadline per request, a bounded answer,
/// the outbound URL policy, the clock and the sleeper (parameters, so
/// tests control both).
public struct SourceHTTP: Sendable {
    public let client: HTTPClient
    public let timeout: Duration
    public let maxAnswerBytes: Int
    public let now: @Sendable () -> Timestamp
    public let sleep: @Sendable (Duration) async throws -> Void

    public init(
        client: HTTPClient, timeout: Duration = .seconds(30), maxAnswerBytes: Int = 32 << 20,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.client = client
        self.timeout = timeout
        self.maxAnswerBytes = maxAnswerBytes
        self.now = now
        self.sleep = sleep
    }

    /// An answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        /// The body as JSON, or `nil`.
        public var json: JSONValue? { try? JSONParser.parse(body) }
    }

    /// Checks `url` against the outbound policy (`https://`, or `http://` to loopback).
    /// - Throws: `SourceClientError.misconfigured` naming `key`.
    public static func check(_ url: String, key: String, allowInsecure: Bool = false) throws(SourceClientError) {
        do { try OutboundURLPolicy.check(url, allowInsecure: allowInsecure) } catch {
            throw SourceClientError(.misconfigured, "\(key) \(error.description)")
        }
    }

    /// Sends one request.
    /// - Throws: `SourceClientError.unreachable` for network errors and timeouts.
    public func send(method: HTTPMethod, url: String, headers: [(String, String)], body: [UInt8]? = nil, source: String) async throws(SourceClientError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            let buffer = try await response.body.collect(upTo: maxAnswerBytes)
            return Answer(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
        } catch {
            throw SourceClientError(.unreachable, "\(source) could not be reached (\(type(of: error)))")
        }
    }

    /// The instant a `Retry-After` header asks to wait for, if any.
    public func retryAfter(_ headers: HTTPHeaders) -> Timestamp? {
        headers.first(name: "retry-after").flatMap { RetryAfter.parse($0, now: now()) }
    }

    /// `base` + `path` + the percent-encoded `query`.
    public static func url(_ base: String, path: String, query: [(String, String)] = []) -> String {
        var url = base.hasSuffix("/") ? String(base.dropLast()) : base
        url += path
        if !query.isEmpty {
            url += "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// RFC 3986 unreserved characters kept, everything else percent-encoded.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
