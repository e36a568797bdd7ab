import BridgeCore
import BridgeServer
import Testing

/// The `reconciliation:` block: what each source kind needs, with key paths.
@Suite("Reconciliation configuration")
struct ReconciliationConfigTests {
    static let sources = """
        store: {ephemeral_seal_key: true}
        sources:
          - {name: shop, kind: shopify, secrets: [shpss_x]}
          - {name: pay, kind: stripe, secrets: [whsec_x]}
          - {name: backend, kind: standard-webhooks, secrets: ["whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="]}
        """

    static func problems(_ block: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(sources + "\n" + block, environment: [:])
            return []
        } catch {
            return error.problems.map(\.path)
        }
    }

    @Test("a complete block is read, with its schedule and thresholds")
    func complete() throws {
        let config = try ConfigLoader.parse(
            Self.sources + """

                reconciliation:
                  daily_at: "03:30"
                  window_hours: 24
                  backfill: true
                  alert_missing_orders: 2
                  alert_undelivered_value: 100
                  sources:
                    - {source: shop, api_url: "https://s.myshopify.com", access_token: "${TOKEN}"}
                    - {source: pay, api_key: rk_live_x, objects: [payment_intents]}
                    - {source: backend, orders_url: "https://backend.example.com/orders"}
                """, environment: ["TOKEN": "shpat_x"])
        #expect(config.reconciliation.schedule?.dailyAt == "03:30")
        #expect(config.reconciliation.schedule?.window == .seconds(86_400))
        #expect(config.reconciliation.backfill)
        #expect(config.reconciliation.alertPolicy == ReconciliationAlertPolicy(missingOrders: 2, undeliveredValue: Money.Amount("100")))
        #expect(config.reconciliation.entry(for: "shop")?.accessToken == "shpat_x")
        #expect(config.reconciliation.entry(for: "pay")?.objects == ["payment_intents"])
    }

    @Test("each problem is named by its key path", arguments: [
        ("reconciliation: {daily_at: \"3:30\"}", "reconciliation.daily_at"),
        ("reconciliation: {window_hours: 0}", "reconciliation.window_hours"),
        ("reconciliation: {alert_undelivered_value: \"-1\"}", "reconciliation.alert_undelivered_value"),
        ("reconciliation: {sources: [{source: nope, orders_url: \"https://x.example\"}]}", "reconciliation.sources[0].source"),
        ("reconciliation: {sources: [{source: shop, api_url: \"https://s.myshopify.com\"}]}", "reconciliation.sources[0].access_token"),
        ("reconciliation: {sources: [{source: pay, api_key: k, base_url: \"https://x.example\"}]}", "reconciliation.sources[0].base_url"),
        ("reconciliation: {sources: [{source: pay, api_key: k, objects: [charges]}]}", "reconciliation.sources[0].objects[0]"),
        ("reconciliation: {sources: [{source: backend, orders_url: \"http://backend.example.com/orders\"}]}", "reconciliation.sources[0].orders_url"),
        ("reconciliation: {sources: [{source: backend, orders_url: \"https://x.example\", secret: y}]}", "reconciliation.sources[0].secret"),
        ("reconciliation: {every: 1d}", "reconciliation.every"),
    ])
    func problems(_ block: String, path: String) {
        #expect(Self.problems(block).contains(path), "\(Self.problems(block))")
    }
}
