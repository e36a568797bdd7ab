import BridgeCore
import BridgeDestinations

/// Asks each destination's platform for its own quality score
/// (`Destination.scoreSource`) with the destination's credentials: Meta's
/// Dataset Quality API, Pinterest's Event Quality Score. A platform that
/// cannot be asked yields a destination-wide row (`*`) saying why
/// (permission missing, API unavailable, throttled), never a zero score.
public enum PlatformScoreFetcher {
    /// One reading per destination that has a score source.
    public static func fetch(
        _ destinations: [any Destination], transport: any Transport, timeout: Duration = .seconds(20), now: Timestamp
    ) async -> [PlatformScore] {
        await withTaskGroup(of: [PlatformScore].self) { group in
            for destination in destinations {
                guard let source = destination.scoreSource else { continue }
                group.addTask {
                    let reading: PlatformScoreReading
                    switch await transport.send(source.scoreRequest(now: now), timeout: timeout) {
                    case .reply(let reply): reading = source.readScores(reply, destination: destination.name, now: now)
                    case .failed(let reason): reading = .notAvailable(.unavailable, detail: "no answer: \(reason)")
                    }
                    switch reading {
                    case .scores(let scores): return scores
                    case .notAvailable(let availability, let detail):
                        return [
                            PlatformScore(
                                day: PlatformScore.day(of: now), destination: destination.name, eventName: "*", availability: availability,
                                detail: detail, fetchedAt: now)
                        ]
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }.sorted { ($0.destination, $0.eventName) < ($1.destination, $1.eventName) }
        }
    }
}
