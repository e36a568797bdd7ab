import BridgeCore
import Testing

/// Shopify's cost-based throttle from the client's side.
@Suite("GraphQL cost throttle")
struct GraphQLCostThrottleTests {
    static let t0 = Timestamp(secondsSinceEpoch: 1_767_225_600)

    @Test("the wait before a query is what the bucket still has to restore", arguments: [
        (50.0, 1000.0, 112.0, 0, Int64(0)),
        (50.0, 12.0, 112.0, 0, Int64(2000)),
        (100.0, 0.0, 1000.0, 0, Int64(10_000)),
        (50.0, 12.0, 112.0, 1000, Int64(1000)),  // a second later, 50 points are back
    ])
    func delay(rate: Double, available: Double, cost: Double, elapsedMilliseconds: Int64, expected: Int64) {
        var throttle = GraphQLCostThrottle()
        throttle.observe(.init(maximumAvailable: 1000, currentlyAvailable: available, restoreRate: rate), at: Self.t0)
        let now = Self.t0.advanced(by: .milliseconds(elapsedMilliseconds))
        #expect(throttle.delay(before: cost, now: now) == .milliseconds(expected))
    }

    @Test("a THROTTLED answer waits at least the backoff, and is given up after the last attempt")
    func throttled() {
        var throttle = GraphQLCostThrottle()
        throttle.observe(.init(maximumAvailable: 1000, currentlyAvailable: 990, restoreRate: 50), at: Self.t0)
        #expect(throttle.throttled(requestedCost: 501, attempt: 1, now: Self.t0) == .seconds(1))
        #expect(throttle.throttled(requestedCost: 501, attempt: 3, now: Self.t0) == .seconds(4))
        #expect(throttle.throttled(requestedCost: 501, attempt: GraphQLCostThrottle.maxAttempts, now: Self.t0) == nil)
    }

    @Test("the status is read from extensions.cost.throttleStatus")
    func status() throws {
        let answer = try JSONParser.parse(Array("""
            {"data": {}, "extensions": {"cost": {"requestedQueryCost": 101, "actualQueryCost": 46,
             "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1954, "restoreRate": 100.0}}}}
            """.utf8))
        #expect(GraphQLCostThrottle.Status(answer: answer) == .init(maximumAvailable: 2000, currentlyAvailable: 1954, restoreRate: 100))
    }
}
