import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import Foundation
import NIOCore
import NIOHTTP1

/// Sends an `OutboundRequest` over real HTTP (loopback only in these tests)
/// and turns the answer into an `HTTPReply`, or a transport verdict, as the
/// pipeline's sender does.
enum LoopbackSender {
    /// What came back: a reply, or the verdict for a request without one.
    enum Outcome {
        case reply(HTTPReply)
        case transportFailure(DeliveryVerdict)
    }

    static func send(_ request: OutboundRequest, timeout: Duration = .seconds(5)) async -> Outcome {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        outbound.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let (seconds, attoseconds) = timeout.components
            let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            let response = try await HTTPClient.shared.execute(outbound, timeout: .milliseconds(milliseconds))
            let body = try await response.body.collect(upTo: 4 << 20)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return .reply(HTTPReply(status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView)))
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .transportFailure(.transportFailure(.timeout))
        } catch {
            return .transportFailure(.transportFailure(.networkError(String(describing: type(of: error)))))
        }
    }

    /// Sends and classifies: the verdict the pipeline would act on.
    static func deliver(_ destination: some Destination, items: [JSONValue], batchID: String = UUID().uuidString, now: Timestamp) async
        -> DeliveryVerdict
    {
        let request = destination.makeRequest(items: items, batchID: batchID, now: now)
        switch await send(request, timeout: destination.limits.requestTimeout) {
        case .reply(let reply): return destination.classify(reply, itemCount: items.count, now: now)
        case .transportFailure(let verdict): return verdict
        }
    }

    /// The wall clock as a `Timestamp`.
    static func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
    }
}
