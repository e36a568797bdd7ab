import BridgeCore
import Testing

/// The reconciliation alert: raised when a run finds missing orders or
/// undelivered value above the thresholds, resolved when a later run is clear.
@Suite("Reconciliation alert policy")
struct ReconciliationAlertPolicyTests {
    static let window = try! ReconciliationWindow(since: Timestamp(secondsSinceEpoch: 1_767_225_600), until: Timestamp(secondsSinceEpoch: 1_767_312_000))
    static let now = Timestamp(secondsSinceEpoch: 1_767_312_060)

    static func report(missing: [String]) -> ReconciliationReport {
        var report = ReconciliationReport(source: "shop", sourceKind: "shopify", window: window, generatedAt: now, destinations: ["meta"])
        for amount in missing {
            report.totals.categories[.missing, default: ValueTally()].add(Money(amount: Money.Amount(amount)!, currency: Currency(code: "EUR")!))
        }
        return report
    }

    @Test("missing orders raise one alert, a second finding keeps it, a clear run resolves it")
    func raiseKeepResolve() throws {
        let policy = ReconciliationAlertPolicy()
        let first = policy.decide(Self.report(missing: ["49.90"]), activeSince: nil, now: Self.now)
        guard case .raise(let alert)? = first.action else { Issue.record("expected a raise, got \(String(describing: first.action))"); return }
        #expect(alert.condition == .reconciliationGap)
        #expect(alert.subject == .source("shop"))
        #expect(alert.detail.contains("1 paid order missing in the bridge (EUR 49.90)"))
        #expect(first.activeSince == Self.now)
        let later = Self.now.advanced(by: .seconds(86_400))
        let second = policy.decide(Self.report(missing: ["10.00"]), activeSince: first.activeSince, now: later)
        #expect(second.action == nil)
        #expect(second.activeSince == Self.now)
        let third = policy.decide(Self.report(missing: []), activeSince: second.activeSince, now: later)
        guard case .resolve(let resolved, let at)? = third.action else { Issue.record("expected a resolve"); return }
        #expect(resolved.startedAt == Self.now && at == later)
        #expect(third.activeSince == nil)
    }

    @Test("below both thresholds nothing is raised; above the value threshold it is")
    func thresholds() {
        let policy = ReconciliationAlertPolicy(missingOrders: 2, undeliveredValue: Money.Amount("100"))
        #expect(policy.decide(Self.report(missing: ["30.00", "40.00"]), activeSince: nil, now: Self.now).action == nil)
        #expect(policy.detail(Self.report(missing: ["150.00"])) != nil)
        #expect(policy.detail(Self.report(missing: ["1.00", "1.00", "1.00"])) != nil)
    }
}
