import BridgeCore
import BridgePipeline
import BridgeServer
import BridgeStore
import Testing

/// `destinations[].sources`: two shops in one bridge, each sent to its own
/// pixel; a destination without the key takes every source.
@Suite("Routing each source's events to its own destinations")
struct SourceRoutingTests {
    static let secret = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="

    static func yaml(_ destinations: String) -> String {
        """
        store: {path: /tmp/unused.sqlite, ephemeral_seal_key: true}
        sources:
          - {name: shop-a, kind: standard-webhooks, secrets: ["\(secret)"]}
          - {name: shop-b, kind: standard-webhooks, secrets: ["\(secret)"]}
        events_api: {tokens: [t], source_name: backend}
        destinations:
        \(destinations)
        """
    }

    static func event(from source: String) -> ConversionEvent {
        ConversionEvent(eventID: "lead:\(source)", eventName: .lead, eventTime: Timestamp(secondsSinceEpoch: 1_773_500_712), source: source)
    }

    @Test("each shop's events are prepared for its own destination, and a destination without sources takes all")
    func routes() async throws {
        let config = try ConfigLoader.parse(
            Self.yaml(
                """
                  - {name: pixel-a, kind: sandbox, path: /tmp/unused.jsonl, sources: [shop-a]}
                  - {name: pixel-b, kind: sandbox, path: /tmp/unused-b.jsonl, sources: shop-b}
                  - {name: warehouse, kind: sandbox, path: /tmp/unused-w.jsonl}
                """), environment: [:])
        let routes = try PipelineFactory.routes(config).map(\.0)
        let stage = PreparationStage(routes: routes, enrichment: PassThroughEnrichment(), sealer: .ephemeral())
        let now = Timestamp(secondsSinceEpoch: 1_773_500_800)
        #expect(await stage.prepare(Self.event(from: "shop-a"), now: now).map(\.destination) == ["pixel-a", "warehouse"])
        #expect(await stage.prepare(Self.event(from: "shop-b"), now: now).map(\.destination) == ["pixel-b", "warehouse"])
        #expect(await stage.prepare(Self.event(from: "backend"), now: now).map(\.destination) == ["warehouse"])
    }

    @Test("an unknown, repeated or empty source list is refused at its key path")
    func refused() {
        let cases: [(String, [String])] = [
            ("  - {name: pixel-a, kind: sandbox, path: /tmp/unused.jsonl, sources: [shop-a, shop-c]}", ["destinations[0].sources[1]"]),
            ("  - {name: pixel-a, kind: sandbox, path: /tmp/unused.jsonl, sources: [shop-a, shop-a]}", ["destinations[0].sources[1]"]),
            ("  - {name: pixel-a, kind: sandbox, path: /tmp/unused.jsonl, sources: []}", ["destinations[0].sources"]),
            ("  - {name: pixel-a, kind: sandbox, path: /tmp/unused.jsonl, sources: {shop: a}}", ["destinations[0].sources"]),
        ]
        for (destinations, paths) in cases {
            do {
                let config = try ConfigLoader.parse(Self.yaml(destinations), environment: [:])
                _ = try PipelineFactory.routes(config)
                Issue.record("accepted \(destinations)")
            } catch {
                #expect(error.problems.map(\.path) == paths, "\(error)")
                if destinations.contains("shop-c") { #expect(error.description.contains("no source named 'shop-c'")) }
            }
        }
    }
}
