import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeStore
import Foundation
import Logging
import ServiceLifecycle

/// The background half of the bridge, built from the configuration: the
/// prepare worker, one worker group per destination, and the queue monitor.
public struct PipelineSetup: Sendable {
    public let routes: [DestinationRoute]
    public let prepare: PrepareService
    public let workers: [DestinationWorkers]
    public let monitor: QueueMonitor
    /// Posts alerts to the configured sinks (`nil` without any).
    public var notifier: AlertNotifier? = nil

    /// The services in start order (the notifier before the monitor, so it
    /// stops after it and can still post what the monitor queued last).
    public var services: [any Service] {
        [prepare] + workers.map { $0 as any Service } + (notifier.map { [$0 as any Service] } ?? []) + [monitor]
    }

    /// The workers of `destination`.
    public func workers(for destination: String) -> DestinationWorkers? { workers.first { $0.name == destination } }
}

/// Builds `PipelineSetup` from `BridgeConfig`.
public enum PipelineFactory {
    /// Keys of a destination entry that tune delivery rather than the platform.
    public static let deliveryKeys: Set<String> = [
        "concurrency", "rate_limit_per_second", "rate_limit_burst", "max_wait_ms", "retry_base_ms",
        "retry_cap_seconds", "retry_horizon_hours", "send_test_events", "default_region", "sources",
    ]

    /// Resolves every destination, its consent policy and delivery settings.
    /// - Throws: `ConfigError` naming each bad key path.
    public static func routes(_ config: BridgeConfig) throws(ConfigError) -> [(DestinationRoute, DeliverySettings)] {
        var problems: [ConfigProblem] = []
        var result: [(DestinationRoute, DeliverySettings)] = []
        for (index, entry) in config.destinations.enumerated() {
            let path = "destinations[\(index)]"
            let destination: any Destination
            do {
                destination = try DestinationRegistry.make(
                    DestinationSettings(name: entry.name, kind: entry.kind, settings: entry.settings, pipelineKeys: deliveryKeys))
            } catch {
                problems.append(ConfigProblem(path + "." + error.keyPath, error.message))
                continue
            }
            var delivery = DeliverySettings()
            var sendsTestEvents = destination.sendsToTestMode
            var defaultRegion: String?
            func number(_ key: String) -> Double? {
                guard let value = entry.settings[key] else { return nil }
                guard let text = value.scalarText, let number = Double(text), number >= 0 else {
                    problems.append(ConfigProblem("\(path).\(key)", "must be a non-negative number"))
                    return nil
                }
                return number
            }
            if let n = number("concurrency") { delivery.concurrency = max(1, min(64, Int(n))) }
            if let n = number("rate_limit_per_second"), n > 0 { delivery.requestsPerSecond = n }
            if let n = number("rate_limit_burst") { delivery.burst = max(1, Int(n)) }
            if let n = number("max_wait_ms") { delivery.maxWait = .milliseconds(Int64(n)) }
            delivery.timeout = destination.limits.requestTimeout
            if let n = number("retry_base_ms") { delivery.retry.base = .milliseconds(max(1, Int64(n))) }
            if let n = number("retry_cap_seconds") { delivery.retry.cap = .seconds(max(1, Int64(n))) }
            if let n = number("retry_horizon_hours") { delivery.retry.horizon = .seconds(Int64(n * 3600)) }
            if let value = entry.settings["send_test_events"] {
                guard let flag = value.boolValue ?? value.scalarText.flatMap(Bool.init) else {
                    problems.append(ConfigProblem("\(path).send_test_events", "must be true or false"))
                    continue
                }
                sendsTestEvents = flag
            }
            defaultRegion = entry.settings["default_region"]?.scalarText
            let sources = routedSources(entry.settings["sources"], of: config, path: path + ".sources", problems: &problems)
            delivery.retry.eventAge = destination.limits.maxEventAgeSeconds > 0
                ? (try? EventAgeLimit(
                    maxAge: .seconds(destination.limits.maxEventAgeSeconds), safetyMargin: .seconds(3600),
                    futureTolerance: .seconds(destination.limits.maxFutureSkewSeconds)))
                : nil
            let policy: ConsentPolicy
            do { policy = try consentPolicy(config.consent, destination: entry.name, platform: destination.platform, kind: entry.kind) } catch {
                problems.append(ConfigProblem("consent.\(entry.name)", "\(error)"))
                continue
            }
            result.append(
                (DestinationRoute(
                    destination: destination, consentPolicy: policy, defaultRegion: defaultRegion, sendsTestEvents: sendsTestEvents,
                    sources: sources),
                 delivery))
        }
        guard problems.isEmpty else { throw ConfigError(file: "<config>", problems: problems) }
        return result
    }

    /// A destination's `sources:` (one name or a list): the sources whose
    /// events go to it, each a configured webhook source or the events API's
    /// `source_name`; `nil` (every source) when the key is absent. Each
    /// unknown or repeated name is a problem at its key path.
    static func routedSources(_ value: JSONValue?, of config: BridgeConfig, path: String, problems: inout [ConfigProblem]) -> Set<String>? {
        guard let value, !value.isNull else { return nil }
        let entries: [(String, JSONValue)]
        switch value {
        case .array(let list): entries = list.enumerated().map { ("\(path)[\($0.offset)]", $0.element) }
        case .string: entries = [(path, value)]
        default:
            problems.append(ConfigProblem(path, "expected a source name or a list of source names"))
            return []
        }
        let known = config.sources.map(\.name) + [config.eventsAPI.sourceName]
        var names = Set<String>()
        for (key, entry) in entries {
            guard let name = entry.stringValue else {
                problems.append(ConfigProblem(key, "expected a source name"))
                continue
            }
            guard known.contains(name) else {
                problems.append(ConfigProblem(key, "no source named '\(name)' (configured: \(known.joined(separator: ", ")))"))
                continue
            }
            if !names.insert(name).inserted { problems.append(ConfigProblem(key, "'\(name)' is listed twice")) }
        }
        if entries.isEmpty { problems.append(ConfigProblem(path, "lists no source; leave the key out to route every source here")) }
        return names
    }

    /// The consent policy of one destination: `consent.<name>` over
    /// `consent.default` over the platform's defaults.
    static func consentPolicy(_ consent: JSONValue?, destination: String, platform: Platform, kind: String) throws -> ConsentPolicy {
        guard let section = consent?[destination] ?? consent?["default"] else {
            return ["sandbox", "webhook"].contains(kind) ? .generic : .default(for: platform)
        }
        let decoder = JSONDecoder()
        decoder.userInfo[ConsentPolicy.platformUserInfoKey] = platform
        return try decoder.decode(ConsentPolicy.self, from: Data(JSONWriter.bytes(section)))
    }

    /// Builds every background service.
    public static func make(
        config: BridgeConfig, store: any StoreBackend, sealer: IdentifierSealer, transport: any Transport, audit: AuditLog?,
        notifier: AlertNotifier?, metrics: BridgeMetrics, logger: Logger, owner: String,
        enrichment: any EnrichmentStage = PassThroughEnrichment(),
        lease: LeasePolicy = .standard,
        tune: (inout DeliverySettings) -> Void = { _ in },
        now: @escaping @Sendable () -> Timestamp
    ) throws(ConfigError) -> PipelineSetup {
        let resolved = try routes(config)
        let stage = PreparationStage(routes: resolved.map(\.0), enrichment: enrichment, sealer: sealer)
        let prepare = PrepareService(
            store: store, stage: stage, sealer: sealer, metrics: metrics, logger: logger, audit: audit, owner: owner, lease: lease, now: now)
        let workers = resolved.map { route, settings in
            var settings = settings
            settings.lease = lease
            tune(&settings)
            return DestinationWorkers(
                destination: route.destination, store: store, transport: transport, sealer: sealer, audit: audit, metrics: metrics,
                logger: logger, settings: settings, owner: owner, now: now)
        }
        let health = config.healthWatchConfiguration.map {
            HealthWatch(store: store, metrics: metrics, configuration: $0, instance: owner, logger: logger, startedAt: now())
        }
        let monitor = QueueMonitor(
            store: store, workers: workers, metrics: metrics, notifier: notifier, alertPolicy: config.alerts.policy, logger: logger,
            instance: owner, interval: config.alerts.checkInterval, health: health, now: now)
        var setup = PipelineSetup(routes: resolved.map(\.0), prepare: prepare, workers: workers, monitor: monitor)
        setup.notifier = notifier
        return setup
    }
}
