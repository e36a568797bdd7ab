import BridgeCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

struct LoadSettings: Sendable {
    var port: Int
    var path: String
    var concurrency: Int
    var seconds: Double
    var rate: Double
    var secret: String
    var runID: String
}

/// Drives `concurrency` connections until the deadline and reports.
struct LoadGenerator {
    let settings: LoadSettings

    func run() async throws -> String {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let key = SignatureSupport.decodeBase64(String(settings.secret.dropFirst(6))) ?? []
        let start = NIODeadline.now()
        let deadline = start + .nanoseconds(Int64(settings.seconds * 1e9))
        let interval: Int64 = settings.rate > 0 ? Int64(Double(settings.concurrency) / settings.rate * 1e9) : 0
        var results: [ConnectionResult] = []
        try await withThrowingTaskGroup(of: ConnectionResult.self) { tasks in
            for connection in 0..<settings.concurrency {
                let settings = self.settings
                tasks.addTask {
                    let promise = group.next().makePromise(of: ConnectionResult.self)
                    let handler = ConnectionHandler(
                        connection: connection, settings: settings, key: key, deadline: deadline,
                        interval: interval, start: start + .nanoseconds(interval * Int64(connection) / Int64(max(settings.concurrency, 1))),
                        done: promise)
                    let channel = try await ClientBootstrap(group: group)
                        .channelOption(.socketOption(.tcp_nodelay), value: 1)
                        .channelInitializer { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                                try channel.pipeline.syncOperations.addHandler(handler)
                            }
                        }
                        .connect(host: "127.0.0.1", port: settings.port).get()
                    let result = try await promise.futureResult.get()
                    try? await channel.close()
                    return result
                }
            }
            for try await result in tasks { results.append(result) }
        }
        try await group.shutdownGracefully()
        let elapsed = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        var latencies = results.flatMap(\.latencies)
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            return Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1e6
        }
        var statuses: [UInt: Int] = [:]
        for result in results { for (status, count) in result.statuses { statuses[status, default: 0] += count } }
        let total = latencies.count
        let statusText = statuses.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return String(
            format: "{\"requests\":%d,\"seconds\":%.2f,\"rps\":%.0f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"statuses\":{%@}}",
            total, elapsed, Double(total) / elapsed, percentile(0.50), percentile(0.90), percentile(0.99), percentile(0.999999),
            statusText)
    }
}

struct ConnectionResult: Sendable {
    var latencies: [Int64] = []
    var statuses: [UInt: Int] = [:]
}

/// One keep-alive connection: send, wait for the whole answer, record, repeat.
final class ConnectionHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: all state is touched only on the channel's event loop.
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let connection: Int
    let settings: LoadSettings
    let key: [UInt8]
    let deadline: NIODeadline
    let interval: Int64
    var nextSend: NIODeadline
    let done: EventLoopPromise<ConnectionResult>
    var result = ConnectionResult()
    var sequence = 0
    var sentAt = NIODeadline.now()
    var status: UInt = 0
    var finished = false

    init(connection: Int, settings: LoadSettings, key: [UInt8], deadline: NIODeadline, interval: Int64, start: NIODeadline,
         done: EventLoopPromise<ConnectionResult>) {
        self.connection = connection
        self.settings = settings
        self.key = key
        self.deadline = deadline
        self.interval = interval
        self.nextSend = start
        self.done = done
        result.latencies.reserveCapacity(200_000)
    }

    func channelActive(context: ChannelHandlerContext) {
        schedule(context: context)
    }

    func schedule(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        if now >= deadline { return finish() }
        if interval > 0, nextSend > now {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(deadline: nextSend) {
                let (handler, context) = loopBound.value
                handler.send(context: context)
            }
        } else {
            send(context: context)
        }
    }

    func send(context: ChannelHandlerContext) {
        sequence += 1
        if interval > 0 { nextSend = nextSend + .nanoseconds(interval) }
        let id = "bench-\(settings.runID)-\(connection)-\(sequence)"
        let timestamp = Int64(Date().timeIntervalSince1970)
        let body = Array(LoadGenerator.body(eventID: id, eventTime: LoadGenerator.rfc3339(Date())).utf8)
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: settings.path)
        head.headers.add(name: "host", value: "127.0.0.1")
        head.headers.add(name: "content-type", value: "application/json")
        head.headers.add(name: "content-length", value: String(body.count))
        head.headers.add(name: "webhook-id", value: "msg_" + id)
        head.headers.add(name: "webhook-timestamp", value: String(timestamp))
        head.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: "msg_" + id, timestamp: timestamp, body: body))
        sentAt = NIODeadline.now()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = head.status.code
        case .body: break
        case .end:
            result.latencies.append((NIODeadline.now() - sentAt).nanoseconds)
            result.statuses[status, default: 0] += 1
            schedule(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        result.statuses[0, default: 0] += 1
        context.close(promise: nil)
        finish()
    }

    func channelInactive(context: ChannelHandlerContext) { finish() }

    func finish() {
        guard !finished else { return }
        finished = true
        done.succeed(result)
    }
}

extension LoadGenerator {
    /// RFC 3339 in UTC, whole seconds (the event time of the generated purchases: now).
    static func rfc3339(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// A realistic canonical purchase (the size and shape of the shared
    /// fixture `standard-webhooks/purchase.json`) with a unique id.
    static func body(eventID: String, eventTime: String) -> String {
        #"{"type":"conversion.purchase","timestamp":"\#(eventTime)","data":{"event_id":"\#(eventID)","event_name":"Purchase","event_time":"\#(eventTime)","order_id":"\#(eventID)","value":"129.90","currency":"EUR","line_items":[{"id":"BK-1001","name":"Der Zauberberg (Hardcover)","quantity":1,"unit_price":"34.00"},{"id":"BK-2040","name":"Leselampe Messing","quantity":1,"unit_price":"89.90"},{"id":"SHIP","name":"Versand","quantity":1,"unit_price":"6.00"}],"customer":{"email":"noah.schmidt@example.de","phone":"+4917612345678","first_name":"Noah","last_name":"Schmidt","city":"Hamburg","state":"HH","postal_code":"20095","country":"DE","date_of_birth":"1988-07-21","gender":"m","external_id":"cust_10442"},"client":{"ip_address":"198.51.100.61","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36","landing_url":"https://books.example.de/zauberberg?fbclid=IwZXh0bgNhZW0BMABhZGlkAasb6Nr1TaZBHfP3wV8yS5xR9uM4bH2cL7oE0aZ6tG1qI3kN_aem_Ab1Cd2Ef3Gh4","click_ids":{"fbc":"fb.1.1773500000000.IwZXh0bgNhZW0BMABhZGlkAasb6Nr1TaZBHfP3wV8yS5xR9uM4bH2cL7oE0aZ6tG1qI3kN_aem_Ab1Cd2Ef3Gh4","fbp":"fb.1.1773499990000.1122334455","gclid":"Cj0KCQiA5rGuBhCnARIsAN11vgR3x9F2cKqTbench","ttclid":"E.C.P.v3bench1122","sccid":"b6e0c1d2-7a4f-4c1e-9d2b-5e8f7a6b3c21","epik":"dj0yJnU9benchepik","li_fat_id":"7f6c2a41-0d9e-4b7f-8a3c-2e5d1b9f0c68","rdt_cid":"3141592653589793238"}},"consent":{"ad_user_data":"granted","ad_personalization":"granted","gpc":false,"tcf_string":null,"us_privacy":null,"gpp_string":null},"test":false}}"#
    }
}
