import BridgeCore
import BridgeMocks
import BridgePipeline
import BridgeReconcile
import BridgeServer
import BridgeSources
import BridgeStore
import Foundation
import Logging
import Testing

/// Reconciliation against a shop's own records, end to end in one process:
/// signed Shopify webhooks through ingest, prepare and delivery (mock Meta
/// over loopback and the sandbox), the shop's GraphQL Admin API played by
/// `MockShopifyAdminAPI`, and the runner the admin route and the schedule use.
@Suite("Reconciliation against a shop's orders", .serialized)
struct ReconciliationPipelineTests {
    static let secret = "shpss_reconcile_secret"
    static let accessToken = "shpat_reconcile_token"

    /// 100 paid orders over the last 10 hours.
    static func orders(now: Timestamp) -> [MockOrder] {
        (1...100).map { n in
            MockOrder(
                id: Int64(820_000 + n), paidAt: now.advanced(by: .seconds(-36_000 + Int64(n) * 300)), amount: "\(20 + n).50",
                email: "buyer\(n)@example.com", firstName: "Buyer", country: "US", ipAddress: "203.0.113.\(n)")
        }
    }

    /// The `orders/paid` webhook Shopify would have sent for `order`, in its REST shape.
    static func webhookBody(_ order: MockOrder) -> [UInt8] {
        JSONWriter.bytes(
            .object([
                "id": .number(String(order.id)), "name": .string("#\(order.id)"), "financial_status": .string("paid"),
                "processed_at": .string(order.paidAt.rfc3339), "created_at": .string(order.paidAt.rfc3339), "test": .bool(false),
                "total_price": .string(order.amount), "currency": .string(order.currency), "email": order.email.map(JSONValue.string) ?? .null,
                "browser_ip": order.ipAddress.map(JSONValue.string) ?? .null,
                "customer": .object(["id": .number(String(order.id + 7_000_000)), "first_name": order.firstName.map(JSONValue.string) ?? .null]),
                "billing_address": .object(["country_code": order.country.map(JSONValue.string) ?? .null]),
                "line_items": .array([
                    .object([
                        "name": .string("Trail Runner"), "sku": .string("TR-\(order.id % 97)"), "quantity": .number("1"),
                        "product_id": .number(String(8_000_000 + order.id % 13)), "price": .string(order.amount),
                    ])
                ]),
            ]))
    }

    static func post(_ order: MockOrder, to harness: PipelineHarness) async throws -> IngestResponse {
        let body = webhookBody(order)
        let signature = SignatureSupport.base64(SignatureSupport.hmacSHA256(key: Array(secret.utf8), message: body))
        let headers = HeaderFields([
            ("content-type", "application/json"), ("x-shopify-topic", "orders/paid"), ("x-shopify-hmac-sha256", signature),
            ("x-shopify-shop-domain", "reconcile.myshopify.com"), ("x-shopify-webhook-id", "wh-\(order.id)"),
        ])
        return try await harness.ingest.receiveWebhook(source: "shop", headers: headers, body: body)
    }

    static func yaml(shopURL: String, metaURL: String, directory: String) -> String {
        """
        store: {path: \(directory)/outbox.sqlite, ephemeral_seal_key: true}
        sources:
          - {name: shop, kind: shopify, secrets: ["\(secret)"]}
        destinations:
          - {name: meta, kind: meta, pixel_id: "123456789", access_token: \(PipelineHarness.token), base_url: "\(metaURL)"}
          - {name: sandbox, kind: sandbox, path: \(directory)/sandbox.jsonl}
        audit: {dir: \(directory)/audit, digest_key: test-digest-key}
        reconciliation:
          alert_missing_orders: 0
          sources:
            - {source: shop, api_url: "\(shopURL)", access_token: \(accessToken)}
        """
    }

    /// Runs `body` with a shop serving `orders` and a bridge reconciling it;
    /// closes both whatever happens (a runtime left open would fail on deinit).
    static func withShop(
        _ orders: [MockOrder], extraYAML: String = "", _ body: (PipelineHarness, MockShopifyAdminAPI) async throws -> Void
    ) async throws {
        let shop = MockShopifyAdminAPI(accessToken: accessToken, orders: orders)
        let server = try await MockSourceServer.start(shop)
        let harness: PipelineHarness
        do {
            harness = try await PipelineHarness(yaml: { yaml(shopURL: server.baseURL, metaURL: $0, directory: $1) + extraYAML })
        } catch {
            await server.stop()
            throw error
        }
        do { try await body(harness, shop) } catch {
            await harness.close()
            await server.stop()
            throw error
        }
        await harness.close()
        await server.stop()
    }

    /// Runs one reconciliation of the last 12 hours as the admin route would.
    static func reconcile(
        _ harness: PipelineHarness, backfill: Bool = false, trigger: ReconciliationRun.Trigger = .api, runner chosen: ReconciliationRunner? = nil
    ) async throws -> (ReconciliationRun, ReconciliationReport) {
        let runner = try #require(chosen ?? harness.runtime.components.reconciliation)
        let client = try runner.orderSource(for: "shop", backfill: backfill)
        let now = Timestamp.now()
        let window = try ReconciliationWindow(since: now.advanced(by: .seconds(-12 * 3600)), until: now.advanced(by: .seconds(60)))
        let run = await runner.execute(
            runner.newRun(source: "shop", window: window, backfill: backfill, trigger: trigger, state: .running, owner: "test"), client: client)
        #expect(run.state == .completed, "\(run.error ?? "")")
        let report = try #require(run.report.flatMap { try? JSONParser.parse($0) }.flatMap(ReconciliationReport.init(json:)))
        return (run, report)
    }

    /// Prepares and delivers everything waiting.
    static func deliverAll(_ harness: PipelineHarness) async throws {
        try await harness.prepareAll()
        for _ in 0..<50 {
            try await harness.deliverAllOnce()
            if try await harness.states()["pending", default: 0] == 0 { return }
        }
    }

    /// Event ids Meta received, each time it received one.
    static func metaEventIDs(_ harness: PipelineHarness) -> [String] {
        harness.mock.received.filter(\.wasAccepted).flatMap(\.eventIDs)
    }

    /// Event ids the sandbox wrote.
    static func sandboxEventIDs(_ directory: URL) throws -> [String] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("sandbox.jsonl"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").flatMap { line -> [String] in
            let json = try JSONParser.parse(Array(line.utf8))
            return [json[path: "event", "event_id"]?.stringValue].compactMap { $0 }
        }
    }

    @Test("3 lost webhooks of 100 paid orders are named with their value, backfilled once to every destination, and gone on the next run")
    func lostWebhooks() async throws {
        let now = Timestamp.now()
        let orders = Self.orders(now: now)
        try await Self.withShop(orders) { harness, _ in
            // Given 97 of the 100 webhooks arrived and were delivered
            let lost: Set<Int64> = [820_007, 820_042, 820_093]
            let statuses = try await withThrowingTaskGroup(of: IngestResponse.Status.self) { group in
                // Concurrently, as a shop sends them: the group commit stores them together.
                for order in orders where !lost.contains(order.id) { group.addTask { try await Self.post(order, to: harness).status } }
                return try await group.reduce(into: [IngestResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.count == 97 && statuses.allSatisfy { $0 == .accepted })
            try await Self.deliverAll(harness)
            #expect(Set(Self.metaEventIDs(harness)).count == 97)

            // When the shop is reconciled
            let (_, first) = try await Self.reconcile(harness)
            // Then exactly the 3 lost orders are missing, with their value (27.50 + 62.50 + 113.50)
            #expect(first.lines.filter { $0.category == .missing }.map(\.orderID) == ["820007", "820042", "820093"])
            #expect(first.missing == ValueTally(count: 3, values: ["EUR": Money.Amount("203.50")!]))
            #expect(first.totals.orders.count == 100)
            #expect(first.totals[.delivered].count == 97, "the ids of the GraphQL orders agree with the webhooks'")
            #expect(first.unmatchedEvents.isEmpty)

            // When it is reconciled with backfill
            let (backfillRun, second) = try await Self.reconcile(harness, backfill: true)
            let expectedIDs = lost.sorted().map { "sale:shop:\($0)" }
            #expect(second.backfill?.stored.sorted() == expectedIDs)
            #expect(second.backfill?.duplicates == [])
            #expect(second.totals.backfilled.count == 3)
            try await Self.deliverAll(harness)
            // Then every destination received each backfilled event exactly once
            let meta = Self.metaEventIDs(harness)
            let sandbox = try Self.sandboxEventIDs(harness.directory)
            for id in expectedIDs {
                #expect(meta.filter { $0 == id }.count == 1, "meta: \(id)")
                #expect(sandbox.filter { $0 == id }.count == 1, "sandbox: \(id)")
            }
            // And the events are marked as backfilled by that run, with an audit note
            let held = try await harness.store.reconciliationEvents(source: "shop", from: now.advanced(by: .seconds(-86_400)), to: now, eventIDs: expectedIDs)
            #expect(held.filter { expectedIDs.contains($0.eventID) }.allSatisfy { $0.backfillRun == backfillRun.id })
            let notes = try harness.auditFiles().flatMap(\.lines).filter { $0.contains("\"backfill\"") }
            #expect(notes.count == 1)
            #expect(expectedIDs.allSatisfy { id in notes.first?.contains(id) == true })

            // When it is reconciled again
            let (_, third) = try await Self.reconcile(harness)
            // Then nothing is missing, and the backfilled orders show as delivered and backfilled
            #expect(third.missing.count == 0)
            #expect(third.totals[.delivered].count == 100)
            #expect(third.lines.filter(\.backfilled).map(\.orderID) == ["820007", "820042", "820093"])

            // When the lost webhook arrives late after all
            let late = try #require(orders.first { $0.id == 820_042 })
            // Then it is a duplicate, and nothing is sent again
            #expect(try await Self.post(late, to: harness).status == .duplicate)
            try await Self.deliverAll(harness)
            #expect(Self.metaEventIDs(harness).filter { $0 == "sale:shop:820042" }.count == 1)
        }
    }

    @Test("an order edited at the shop after its webhook is reported with both values")
    func valueMismatch() async throws {
        let now = Timestamp.now()
        var orders = Array(Self.orders(now: now).prefix(5))
        try await Self.withShop(orders) { harness, shop in
            for order in orders { _ = try await Self.post(order, to: harness) }
            try await Self.deliverAll(harness)
            // When the shop now states another value for one order
            orders[2].amount = "99.00"
            shop.setOrders(orders)
            let (_, report) = try await Self.reconcile(harness)
            // Then it is reported as differing, with the shop's and the bridge's value
            let line = try #require(report.lines.first { $0.category == .valueDiffers })
            #expect(line.orderID == "820003")
            #expect(line.value == Money(amount: Money.Amount("99.00")!, currency: Currency(code: "EUR")!))
            #expect(line.bridgeValue == Money(amount: Money.Amount("23.50")!, currency: Currency(code: "EUR")!))
            #expect(report.missing.count == 0)
            #expect(report.totals[.delivered].count == 4)
        }
    }

    @Test("a backfilled order older than Meta accepts is dead-lettered there as event_too_old, never dropped, and still delivered to the sandbox")
    func tooOldForMeta() async throws {
        let now = Timestamp.now()
        let old = MockOrder(id: 830_001, paidAt: now.advanced(by: .seconds(-8 * 86_400)), amount: "70.00", email: "old@example.com", country: "US")
        try await Self.withShop([old]) { harness, _ in
            let runner = try #require(harness.runtime.components.reconciliation)
            let window = try ReconciliationWindow(since: now.advanced(by: .seconds(-9 * 86_400)), until: now)
            // When the 8-day-old order is backfilled
            let run = await runner.execute(
                runner.newRun(source: "shop", window: window, backfill: true, trigger: .api, state: .running, owner: "test"),
                client: try runner.orderSource(for: "shop", backfill: true))
            let report = try #require(run.report.flatMap { try? JSONParser.parse($0) }.flatMap(ReconciliationReport.init(json:)))
            // Then the report says it is too old for Meta (not for the sandbox)
            #expect(report.backfill?.stored == ["sale:shop:830001"])
            #expect(report.backfill?.tooOld == ["meta": 1])
            try await Self.deliverAll(harness)
            #expect(!Self.metaEventIDs(harness).contains("sale:shop:830001"))
            #expect(try Self.sandboxEventIDs(harness.directory) == ["sale:shop:830001"])
            // And the next run shows it dead-lettered at Meta with that reason
            let next = await runner.execute(
                runner.newRun(source: "shop", window: window, backfill: false, trigger: .api, state: .running, owner: "test"),
                client: try runner.orderSource(for: "shop", backfill: false))
            let again = try #require(next.report.flatMap { try? JSONParser.parse($0) }.flatMap(ReconciliationReport.init(json:)))
            let line = try #require(again.lines.first)
            #expect(line.category == .undelivered && line.backfilled)
            #expect(line.outcomes.contains(ReconciliationDelivery(destination: "meta", outcome: .deadLetter, reason: "event_too_old")))
            #expect(line.outcomes.contains(ReconciliationDelivery(destination: "sandbox", outcome: .delivered)))
        }
    }

    @Test("a scheduled run raises the reconciliation alert on a mock Slack sink, and a later clear run resolves it")
    func alertRaisedAndResolved() async throws {
        let now = Timestamp.now()
        let orders = Array(Self.orders(now: now).prefix(4))
        let slack = try await MockSourceServer.start(SlackSink())
        do {
            try await Self.withShop(orders) { harness, _ in
                // The runner as serve builds it, with a Slack-compatible sink whose queue the test drains
                let notifier = AlertNotifier(url: slack.baseURL + "/hook", client: harness.runtime.httpClient, logger: Logger(label: "test"))
                let runner = try ReconciliationRunner(
                    config: harness.config, store: harness.store, ingest: harness.ingest, audit: nil, notifier: notifier,
                    metrics: harness.runtime.components.metrics, logger: Logger(label: "test"), http: SourceHTTP(client: harness.runtime.httpClient))
                for order in orders.dropLast() { _ = try await Self.post(order, to: harness) }
                // When a scheduled run finds the last order missing
                let (raisedRun, _) = try await Self.reconcile(harness, trigger: .schedule, runner: runner)
                await notifier.deliverPending()
                #expect(raisedRun.alertSince != nil)
                // Then one alert naming the source and the missing value was posted
                let raised = try #require(slack.exchanges.last?.request.json?["text"]?.stringValue)
                #expect(raised.contains("Orders not reaching the platforms") && raised.contains("shop"))
                #expect(slack.exchanges.count == 1)
                // And a second finding does not post again
                _ = try await Self.reconcile(harness, trigger: .schedule, runner: runner)
                await notifier.deliverPending()
                #expect(slack.exchanges.count == 1)
                // When the webhook arrives and the next scheduled run is clear
                _ = try await Self.post(orders[3], to: harness)
                let (clearRun, clear) = try await Self.reconcile(harness, trigger: .schedule, runner: runner)
                await notifier.deliverPending()
                #expect(clear.missing.count == 0)
                #expect(clearRun.alertSince == nil)
                // Then the alert is resolved
                #expect(slack.exchanges.count == 2)
                #expect(slack.exchanges.last?.request.json?["text"]?.stringValue?.contains("Resolved") == true)
            }
        } catch {
            await slack.stop()
            throw error
        }
        await slack.stop()
    }
}

/// A Slack-compatible incoming webhook that accepts every post.
struct SlackSink: MockSourceAPI {
    var name: String { "slack" }
    func respond(to request: MockHTTPRequest, now: ContinuousClock.Instant) -> MockHTTPResponse {
        MockHTTPResponse(status: 200, headers: [("content-type", "text/plain")], body: Array("ok".utf8))
    }
}
