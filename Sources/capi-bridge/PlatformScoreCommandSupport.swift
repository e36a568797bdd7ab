import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeServer

/// `report --platform-scores`: fetches the platforms' own scores with the
/// configured destinations' credentials (over the process's HTTP client,
/// redirects never followed), and says on standard error what came back.
enum PlatformScoreCommandSupport {
    static func fetch(_ config: BridgeConfig, now: Timestamp) async -> [PlatformScore] {
        let destinations = ((try? PipelineFactory.routes(config)) ?? []).map(\.0.destination)
        guard destinations.contains(where: { $0.scoreSource != nil }) else {
            FileOutput.standardError("no configured destination publishes a score (Meta, Pinterest)\n")
            return []
        }
        let client = BridgeRuntime.makeHTTPClient()
        let scores = await PlatformScoreFetcher.fetch(destinations, transport: DefaultTransport(client: client), now: now)
        try? await client.shutdown()
        for score in scores {
            let detail = score.availability == .available ? "" : score.detail.map { " (\($0))" } ?? ""
            FileOutput.standardError("platform score \(score.destination) · \(score.eventName): \(score.shownScore)\(detail)\n")
        }
        return scores
    }
}
