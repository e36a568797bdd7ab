import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches and caches an OAuth 2.0 client-credentials token: one token is
/// reused until `refreshMargin` before it expires (at most half its
/// lifetime), then fetched again. Concurrent callers that find no valid
/// token each fetch one (only at start and renewal; the last one stored
/// wins). Never logs the secret or the token.
actor OAuthTokenCache {
    /// Why no token could be had.
    enum Failure: Error, Equatable {
        case status(Int)
        case malformed
        case transport
        case timeout
    }

    private struct Token {
        let value: String
        let renewAt: Timestamp
    }

    private let client: HTTPClient
    private let settings: OAuthClientCredentials
    private let now: @Sendable () -> Timestamp
    private var token: Token?
    /// Token fetches so far (for tests and metrics).
    private(set) var fetches = 0

    init(client: HTTPClient, settings: OAuthClientCredentials, now: @escaping @Sendable () -> Timestamp) {
        self.client = client
        self.settings = settings
        self.now = now
    }

    /// A valid access token, fetched when none is cached, by `deadline`.
    func accessToken(deadline: NIODeadline) async throws(Failure) -> String {
        if let token, now() < token.renewAt { return token.value }
        let fetched = try await fetch(deadline: min(deadline, .now() + .milliseconds(settings.timeout.wholeMillisecondsForNIO)))
        token = fetched
        return fetched.value
    }

    /// Forgets `value` if it is the cached token (the API refused it).
    func invalidate(_ value: String) {
        if token?.value == value { token = nil }
    }

    private func fetch(deadline: NIODeadline) async throws(Failure) -> Token {
        fetches += 1
        var request = HTTPClientRequest(url: settings.tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        var form = [("grant_type", "client_credentials")]
        if let scope = settings.scope { form.append(("scope", scope)) }
        switch settings.clientAuthentication {
        case .basic:
            let credentials = Self.formEncode(settings.clientID) + ":" + Self.formEncode(settings.clientSecret)
            request.headers.add(name: "Authorization", value: "Basic " + Data(credentials.utf8).base64EncodedString())
        case .body:
            form += [("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
        }
        request.body = .bytes(ByteBuffer(string: form.map { Self.formEncode($0.0) + "=" + Self.formEncode($0.1) }.joined(separator: "&")))
        let issued = now()
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, deadline: deadline)
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 64 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout
        } catch {
            throw .transport
        }
        guard (200..<300).contains(status) else { throw .status(status) }
        guard let json = try? JSONParser.parse(Array(body.readableBytesView)), let value = json["access_token"]?.stringValue, !value.isEmpty
        else { throw .malformed }
        if let type = json["token_type"]?.stringValue, type.lowercased() != "bearer" { throw .malformed }
        let lifetime = OAuthTokenAnswer.lifetimeSeconds(json["expires_in"])
        let margin = min(settings.refreshMargin.wholeMillisecondsForNIO, lifetime * 1000 / 2)
        return Token(value: value, renewAt: issued.advanced(by: .milliseconds(lifetime * 1000 - margin)))
    }

    /// `application/x-www-form-urlencoded` encoding of one component.
    static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}

extension Duration {
    /// Whole milliseconds (for NIO time amounts).
    var wholeMillisecondsForNIO: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
