import BridgeCore
import BridgeMocks
import Foundation
import Hummingbird
import Logging

/// The fleet's control listener: scripts failures into a platform mock
/// (503s for a destination outage, 429 storms) and reports counts, then
/// writes the state file the harness waits for.
struct FleetControl {
    let fleet: MockFleet
    let statePath: String

    func run() async throws {
        let fleet = fleet
        let statePath = statePath
        let router = Router()
        router.post("/script/:kind") { request, context in
            guard let server = fleet.platforms[context.parameters.get("kind") ?? ""] else { return Response(status: .notFound) }
            let query = request.uri.queryParameters
            let times = query.get("times", as: Int.self) ?? 1
            if query.get("native") != nil {
                // The platform's own throttling answer, worded as it words it.
                server.script(.outcome(.throttled), times: times)
            } else {
                let status = query.get("status", as: Int.self) ?? 503
                server.script(.status(status, retryAfter: query.get("retry_after", as: Int.self)), times: times)
            }
            return Response(status: .noContent)
        }
        router.post("/clear/:kind") { _, context in
            guard let server = fleet.platforms[context.parameters.get("kind") ?? ""] else { return Response(status: .notFound) }
            server.clearScript()
            return Response(status: .noContent)
        }
        router.get("/counts") { _, _ in
            let counts = fleet.platforms.keys.sorted().map { kind in
                "\"\(kind)\":[\(fleet.requestCounts[kind] ?? 0),\(fleet.acceptedEventCounts[kind] ?? 0)]"
            }
            return "{\(counts.joined(separator: ","))}"
        }
        var logger = Logger(label: "reliability-fleet")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                let control = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
                FleetControl.writeState(path: statePath, control: control, fleet: fleet)
            },
            logger: logger)
        try await app.runService()
    }

    static func writeState(path: String, control: String, fleet: MockFleet) {
        var destinations: [String: JSONValue] = [:]
        for kind in MockFleet.allKinds {
            destinations[kind] = .string(MockFleet.destinationsYAML(kinds: [kind], baseURLs: fleet.baseURLs, extra: "", indent: ""))
        }
        let state = JSONValue.object([
            "control": .string(control),
            "base_urls": .object(fleet.baseURLs.mapValues { .string($0) }),
            "destinations": .object(destinations),
        ])
        try? Data(JSONWriter.bytes(state)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
