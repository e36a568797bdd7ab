import BridgeCore
import Testing

/// The three-way comparison, without I/O: source orders ↔ bridge events ↔
/// each destination's outcome.
@Suite("Reconciler")
struct ReconcilerTests {
    static let since = Timestamp(secondsSinceEpoch: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let until = since.advanced(by: .seconds(86_400))
    static let window = try! ReconciliationWindow(since: since, until: until)
    static let destinations = ["meta", "google"]

    static func money(_ amount: String, _ code: String = "EUR") -> Money {
        Money(amount: Money.Amount(amount)!, currency: Currency(code: code)!)
    }

    /// Order `n`: paid `n` minutes into the window, `10.00 + n` EUR.
    static func order(_ n: Int) -> SourceOrder {
        SourceOrder(
            orderID: String(5000 + n), eventID: "sale:shop:\(5000 + n)", paidAt: since.advanced(by: .seconds(Int64(n) * 60)),
            value: money("\(10 + n).00"))
    }

    static func delivered(_ order: SourceOrder) -> ReconciliationEvent {
        ReconciliationEvent(
            eventID: order.eventID!, orderID: order.orderID, eventTime: order.paidAt, value: order.value, prepared: true,
            deliveries: destinations.map { ReconciliationDelivery(destination: $0, outcome: .delivered) })
    }

    static func input(orders: [SourceOrder], events: [ReconciliationEvent], erased: Set<String> = [], joinOnOrderID: Bool = false) -> Reconciler.Input {
        Reconciler.Input(
            source: "shop", sourceKind: "shopify", window: window, destinations: destinations, orders: orders, events: events,
            erasedEventIDs: erased, joinOnOrderID: joinOnOrderID)
    }

    @Test("of 100 paid orders whose 3 webhooks never arrived, exactly those 3 are missing, with their value")
    func threeMissing() {
        let orders = (1...100).map(Self.order)
        let lost: Set<Int> = [7, 42, 93]
        let events = orders.enumerated().filter { !lost.contains($0.offset + 1) }.map { Self.delivered($0.element) }
        let report = Reconciler.reconcile(Self.input(orders: orders, events: events), generatedAt: Self.until)
        #expect(report.lines.map(\.orderID) == ["5007", "5042", "5093"])
        #expect(report.lines.allSatisfy { $0.category == .missing && $0.outcomes.isEmpty })
        #expect(report.missing == ValueTally(count: 3, values: ["EUR": Money.Amount("172.00")!]))  // 17 + 52 + 103
        #expect(report.totals.orders.count == 100)
        #expect(report.totals[.delivered].count == 97)
        #expect(report.totals.destinations["meta"]?[.delivered].count == 97)
        #expect(report.unmatchedEvents.isEmpty)
    }

    @Test("an order whose value or currency differs from the event's is reported with both values")
    func valueDiffers() {
        let order = Self.order(1)
        var event = Self.delivered(order)
        event.value = Self.money("11.00", "USD")
        let report = Reconciler.reconcile(Self.input(orders: [order, Self.order(2)], events: [event, Self.delivered(Self.order(2))]), generatedAt: Self.until)
        #expect(report.lines.count == 1)
        #expect(report.lines.first?.category == .valueDiffers)
        #expect(report.lines.first?.value == Self.money("11.00"))
        #expect(report.lines.first?.bridgeValue == Self.money("11.00", "USD"))
        #expect(report.totals[.valueDiffers].count == 1)
        #expect(report.missing.count == 0)
    }

    @Test("consent-suppressed and skipped deliveries are expected: the order counts as delivered, the reason per destination")
    func suppressedIsExpected() {
        let order = Self.order(1)
        var event = Self.delivered(order)
        event.deliveries = [
            ReconciliationDelivery(destination: "meta", outcome: .suppressed, reason: "denied_consent_mode"),
            ReconciliationDelivery(destination: "google", outcome: .skipped, reason: "no_identifier"),
        ]
        let report = Reconciler.reconcile(Self.input(orders: [order], events: [event]), generatedAt: Self.until)
        #expect(report.missing.count == 0)
        #expect(report.totals[.delivered].count == 1)
        #expect(report.totals[.undelivered].count == 0)
        #expect(report.totals.destinations["meta"]?[.suppressed].count == 1)
        #expect(report.totals.destinations["meta"]?.reasons[.suppressed] == ["denied_consent_mode": 1])
        #expect(report.totals.destinations["google"]?[.skipped].count == 1)
    }

    @Test("a dead letter, a pending delivery and an unprepared event are not delivered, each with its reason")
    func undelivered() {
        let orders = (1...3).map(Self.order)
        var dead = Self.delivered(orders[0])
        dead.deliveries[1] = ReconciliationDelivery(destination: "google", outcome: .deadLetter, reason: "event_too_old")
        var pending = Self.delivered(orders[1])
        pending.deliveries[0] = ReconciliationDelivery(destination: "meta", outcome: .pending)
        var unprepared = Self.delivered(orders[2])
        unprepared.prepared = false
        unprepared.deliveries = []
        let report = Reconciler.reconcile(Self.input(orders: orders, events: [dead, pending, unprepared]), generatedAt: Self.until)
        #expect(report.lines.map(\.category) == [.undelivered, .undelivered, .undelivered])
        #expect(report.totals.destinations["google"]?.reasons[.deadLetter] == ["event_too_old": 1])
        #expect(report.lines[2].outcomes.map(\.reason) == [ReconciliationOutcome.awaitingPreparation, ReconciliationOutcome.awaitingPreparation])
        #expect(report.deadLettered == ValueTally(count: 1, values: ["EUR": Money.Amount("11.00")!]))
    }

    @Test("events without an order, erased events and orders outside the window are told apart")
    func edges() {
        let inside = Self.order(1)
        let erased = Self.order(2)
        let before = SourceOrder(orderID: "4999", eventID: "sale:shop:4999", paidAt: Self.since.advanced(by: .seconds(-60)), value: Self.money("1.00"))
        let stray = ReconciliationEvent(
            eventID: "sale:shop:test-1", orderID: "test-1", eventTime: Self.since.advanced(by: .seconds(600)), value: Self.money("5.00"), isTest: true,
            prepared: true, deliveries: [])
        let report = Reconciler.reconcile(
            Self.input(orders: [inside, erased, before], events: [Self.delivered(inside), Self.delivered(before), stray], erased: [erased.eventID!]),
            generatedAt: Self.until)
        #expect(report.totals.orders.count == 2)
        #expect(report.lines.map(\.category) == [.erased])
        #expect(report.missing.count == 0)
        #expect(report.unmatchedEvents.map(\.eventID) == ["sale:shop:test-1"])
        #expect(report.unmatchedEvents.first?.isTest == true)
    }

    @Test("custom backends are joined on the event's order_id")
    func joinOnOrderID() {
        let orders = [
            SourceOrder(orderID: "A-1", paidAt: Self.since.advanced(by: .seconds(60)), value: Self.money("9.90")),
            SourceOrder(orderID: "A-2", paidAt: Self.since.advanced(by: .seconds(120)), value: Self.money("19.90")),
        ]
        let event = ReconciliationEvent(
            eventID: "evt-xyz", orderID: "A-1", eventTime: Self.since.advanced(by: .seconds(61)), value: Self.money("9.90"), prepared: true,
            deliveries: Self.destinations.map { ReconciliationDelivery(destination: $0, outcome: .delivered) })
        let report = Reconciler.reconcile(Self.input(orders: orders, events: [event], joinOnOrderID: true), generatedAt: Self.until)
        #expect(report.lines.map(\.orderID) == ["A-2"])
        #expect(report.lines.first?.category == .missing)
        #expect(report.totals[.delivered].count == 1)
    }

    @Test("the JSON form reads back to the same report, and the CSV has one row per listed order")
    func renderings() throws {
        let orders = (1...5).map(Self.order)
        let report = Reconciler.reconcile(Self.input(orders: orders, events: orders.dropFirst(2).map(Self.delivered)), generatedAt: Self.until)
        let parsed = try #require(ReconciliationReport(json: try JSONParser.parse(JSONWriter.bytes(report.json()))))
        #expect(parsed == report)
        let csv = report.csv()
        #expect(csv.contains("5001") && csv.contains("5002") && !csv.contains("5003"))
        #expect(report.table().contains("missing in the bridge          2       EUR 23.00"))
        #expect(report.html().contains("5002"))
    }
}
