import BridgeCore
import BridgePipeline

extension AlertsConfig {
    /// Every configured sink with its key path: `sinks[i]`, then
    /// `webhook_url` as a `slack` sink.
    var configuredSinks: [(path: String, name: String, config: AlertSinkConfig)] {
        var result: [(path: String, name: String, config: AlertSinkConfig)] = []
        let kinds = sinks.map(\.kind)
        for (index, sink) in sinks.enumerated() {
            let name = sink.name ?? (kinds.filter { $0 == sink.kind }.count == 1 ? sink.kind : "\(sink.kind)-\(index + 1)")
            result.append(("alerts.sinks[\(index)]", name, sink))
        }
        if let webhookURL {
            let name = result.contains { $0.name == "slack" } ? "webhook_url" : "slack"
            result.append(("alerts.webhook_url", name, AlertSinkConfig(name: name, kind: "slack", url: webhookURL)))
        }
        return result
    }

    /// The sinks the notifier posts to (validated by the config loader).
    public var alertSinks: [AlertSink] {
        configuredSinks.compactMap { entry in
            guard let kind = AlertSink.Kind(rawValue: entry.config.kind) else { return nil }
            return AlertSink(
                name: entry.name, kind: kind, url: entry.config.url, signingKey: entry.config.signingKey,
                timeout: .milliseconds(Int64(entry.config.timeoutSeconds * 1000)))
        }
    }

    /// The source-health thresholds.
    public var sourceHealthPolicy: SourceHealthPolicy {
        (try? SourceHealthPolicy(
            signatureFailureThreshold: signatureFailureThreshold,
            signatureFailureWindow: .milliseconds(Int64(signatureFailureWindowMinutes * 60_000)))) ?? .standard
    }

    /// The delivery SLO and error-spike thresholds.
    public var deliverySLOPolicy: DeliverySLOPolicy {
        (try? DeliverySLOPolicy(
            successTarget: deliverySLO.successPercent / 100, targets: deliverySLO.destinations.mapValues { $0 / 100 },
            sloWindow: .milliseconds(Int64(deliverySLO.windowMinutes * 60_000)), minOutcomes: deliverySLO.minOutcomes,
            spikeErrorRate: errorSpike.errorPercent / 100, spikeWindow: .milliseconds(Int64(errorSpike.windowMinutes * 60_000)),
            spikeMinAttempts: errorSpike.minAttempts)) ?? .standard
    }

    /// A fresh prepare-backlog watch with the configured threshold.
    public var prepareBacklogWatch: PrepareBacklogWatch? {
        try? PrepareBacklogWatch(threshold: .milliseconds(Int64(prepareBacklogMinutes * 60_000)))
    }

    /// How often the monitor looks.
    public var checkInterval: Duration { .milliseconds(Int64(checkIntervalSeconds * 1000)) }

    /// Problems with the sinks and the health thresholds, by key path.
    func healthProblems(destinations: Set<String>) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        var names = Set<String>()
        for (path, name, sink) in configuredSinks {
            // A missing kind or url is already a problem of the reader.
            guard !sink.kind.isEmpty, !sink.url.isEmpty else { continue }
            let isShorthand = path == "alerts.webhook_url"
            let urlPath = isShorthand ? path : path + ".url"
            if !isShorthand, !ConfigLoader.isRouteName(name) {
                problems.append(ConfigProblem(path + ".name", "must be 1-64 characters of a-z, 0-9, - and _"))
            }
            if !names.insert(name).inserted {
                problems.append(ConfigProblem(isShorthand ? path : path + ".name", "duplicate alert sink name '\(name)'"))
            }
            guard let kind = AlertSink.Kind(rawValue: sink.kind) else {
                problems.append(ConfigProblem(path + ".kind", "unknown sink kind '\(sink.kind.prefix(40))' (expected one of: slack, teams, webhook)"))
                continue
            }
            do { try OutboundURLPolicy.check(sink.url, allowInsecure: sink.allowInsecure) } catch {
                let hint = isShorthand && error == .insecure ? " (for plain http to another host, use alerts.sinks with allow_insecure: true)" : ""
                problems.append(ConfigProblem(urlPath, error.description + hint))
            }
            switch kind {
            case .webhook:
                if sink.secret == nil {
                    problems.append(ConfigProblem(path + ".secret", "required for kind webhook: the Standard Webhooks signing secret (whsec_ followed by base64)"))
                } else if sink.signingKey == nil {
                    problems.append(ConfigProblem(path + ".secret", "not a Standard Webhooks secret (whsec_ followed by base64)"))
                }
            case .slack, .teams:
                if sink.secret != nil {
                    problems.append(ConfigProblem(path + ".secret", "only for kind webhook (a \(kind.rawValue) URL carries its own credential)"))
                }
            }
            if !(sink.timeoutSeconds >= 1 && sink.timeoutSeconds <= 60) {
                problems.append(ConfigProblem(path + ".timeout_seconds", "must be between 1 and 60"))
            }
        }
        if let instanceName, instanceName.count > 100 {
            problems.append(ConfigProblem("alerts.instance_name", "must be at most 100 characters"))
        }
        if !(checkIntervalSeconds >= 0.2 && checkIntervalSeconds <= 300) {
            problems.append(ConfigProblem("alerts.check_interval_seconds", "must be between 0.2 and 300"))
        }
        if signatureFailureThreshold < 1 {
            problems.append(ConfigProblem("alerts.signature_failure_threshold", "must be 1 or more"))
        }
        for (key, value) in [
            ("signature_failure_window_minutes", signatureFailureWindowMinutes), ("prepare_backlog_minutes", prepareBacklogMinutes),
            ("delivery_slo.window_minutes", deliverySLO.windowMinutes), ("error_spike.window_minutes", errorSpike.windowMinutes),
        ] where !(value >= 0.05 && value <= 10_080) {
            problems.append(ConfigProblem("alerts.\(key)", "must be between 0.05 and 10080 (minutes)"))
        }
        for (key, value) in [("delivery_slo.success_percent", deliverySLO.successPercent), ("error_spike.error_percent", errorSpike.errorPercent)]
        where !(value > 0 && value <= 100) {
            problems.append(ConfigProblem("alerts.\(key)", "must be above 0 and at most 100"))
        }
        if deliverySLO.minOutcomes < 1 { problems.append(ConfigProblem("alerts.delivery_slo.min_outcomes", "must be 1 or more")) }
        if errorSpike.minAttempts < 1 { problems.append(ConfigProblem("alerts.error_spike.min_attempts", "must be 1 or more")) }
        for (destination, target) in deliverySLO.destinations.sorted(by: { $0.key < $1.key }) {
            let path = "alerts.delivery_slo.destinations.\(destination)"
            if !destinations.contains(destination) {
                problems.append(ConfigProblem(path, "no destination named '\(destination.prefix(64))' is configured"))
            } else if !(target > 0 && target <= 100) {
                problems.append(ConfigProblem(path, "must be above 0 and at most 100"))
            }
        }
        return problems
    }
}

extension ConfigLoader {
    /// Problems with what source health and delivery SLOs read: each
    /// source's `expect_events_within` and the `alerts:` thresholds and sinks.
    static func healthProblems(_ config: BridgeConfig) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for (index, source) in config.sources.enumerated() {
            if let text = source.expectEventsWithinText, ConfigDuration.parse(text) == nil {
                problems.append(ConfigProblem("sources[\(index)].expect_events_within", "must be \(ConfigDuration.expected)"))
            }
        }
        if let text = config.eventsAPI.expectEventsWithinText, ConfigDuration.parse(text) == nil {
            problems.append(ConfigProblem("events_api.expect_events_within", "must be \(ConfigDuration.expected)"))
        }
        return problems + config.alerts.healthProblems(destinations: Set(config.destinations.map(\.name)))
    }
}

extension BridgeConfig {
    /// What the monitor's `HealthWatch` watches: every webhook source and
    /// the events API (with their `expect_events_within`), every
    /// destination, and the `alerts:` thresholds.
    public var healthWatchConfiguration: HealthWatch.Configuration? {
        guard let backlog = alerts.prepareBacklogWatch else { return nil }
        var sources = self.sources.map { (name: $0.name, expectEventsWithin: $0.expectEventsWithin) }
        sources.append((name: eventsAPI.sourceName, expectEventsWithin: eventsAPI.expectEventsWithin))
        return HealthWatch.Configuration(
            sources: sources, destinations: destinations.map(\.name), sourcePolicy: alerts.sourceHealthPolicy,
            deliveryPolicy: alerts.deliverySLOPolicy, prepareBacklog: backlog)
    }
}
