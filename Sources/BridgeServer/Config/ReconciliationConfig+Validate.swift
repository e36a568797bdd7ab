import BridgeCore
import BridgeSources

extension ReconciliationConfig {
    /// What a source kind of `config` reconciles against, for validation and
    /// the runner: the webhook source's kind, or `events-api` for
    /// `events_api.source_name`; `nil` for an unknown name.
    public static func kind(of source: String, in config: BridgeConfig) -> String? {
        if let entry = config.sources.first(where: { $0.name == source }) { return entry.kind }
        return source == config.eventsAPI.sourceName ? "events-api" : nil
    }

    /// Every problem of the `reconciliation:` block, with its key path.
    static func problems(_ config: BridgeConfig) -> [ConfigProblem] {
        let block = config.reconciliation
        var problems: [ConfigProblem] = []
        if let dailyAt = block.dailyAt {
            do { _ = try ReconciliationSchedule(dailyAt: dailyAt, window: .seconds(3600)) } catch {
                problems.append(ConfigProblem("reconciliation.daily_at", error.description))
            }
        }
        if !(block.windowHours >= 1 && block.windowHours <= 2208) {
            problems.append(ConfigProblem("reconciliation.window_hours", ReconciliationSchedule.Problem.badWindow.description))
        }
        if block.alertMissingOrders < 0 {
            problems.append(ConfigProblem("reconciliation.alert_missing_orders", "must be zero or more"))
        }
        if let value = block.alertUndeliveredValue, Money.Amount(value).map({ !$0.isNegative }) != true {
            problems.append(ConfigProblem("reconciliation.alert_undelivered_value", "must be a plain decimal number that is not negative, like 100.00"))
        }
        var seen = Set<String>()
        for entry in block.sources {
            let path = entry.path
            guard let kind = kind(of: entry.source, in: config) else {
                problems.append(ConfigProblem(path + ".source", "no source named '\(entry.source.prefix(64))' is configured (sources[].name or events_api.source_name)"))
                continue
            }
            if !seen.insert(entry.source).inserted {
                problems.append(ConfigProblem(path + ".source", "'\(entry.source)' is listed twice"))
            }
            let keys = ReconciliationSourceConfig.keys(forKind: kind)
            for key in keys.required where !entry.setKeys.contains(key) {
                problems.append(ConfigProblem(path + "." + key.rawValue, "required for a \(kind) source"))
            }
            for key in entry.setKeys where !keys.required.contains(key) && !keys.optional.contains(key) {
                problems.append(ConfigProblem(path + "." + key.rawValue, "not used by a \(kind) source"))
            }
            for (key, url) in [("api_url", entry.apiURL), ("base_url", entry.baseURL), ("orders_url", entry.ordersURL)] {
                guard let url else { continue }
                do { try OutboundURLPolicy.check(url, allowInsecure: false) } catch {
                    problems.append(ConfigProblem(path + "." + key, error.description))
                }
            }
            for (position, object) in (entry.objects ?? []).enumerated() where StripeObjectListing.Kind(rawValue: object) == nil {
                problems.append(ConfigProblem(path + ".objects[\(position)]", "expected checkout_sessions or payment_intents"))
            }
            if let version = entry.apiVersion, !Self.isAPIVersion(version) {
                problems.append(ConfigProblem(path + ".api_version", "must look like 2025-10"))
            }
        }
        return problems
    }

    /// `YYYY-MM` or `unstable`.
    static func isAPIVersion(_ text: String) -> Bool {
        if text == "unstable" { return true }
        let parts = text.split(separator: "-")
        return parts.count == 2 && parts[0].count == 4 && parts[1].count == 2 && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }
}
