import BridgeCore
import BridgeSources
import Foundation
import BridgeStore
import Logging

extension ConfigLoader {
    /// Checks what decoding cannot: value ranges, names, references and
    /// combinations. Returns every problem found.
    public static func validate(_ config: BridgeConfig) -> [ConfigProblem] {
        var problems = config.server.problems()
        switch config.store.kind {
        case .sqlite:
            if config.store.path.isEmpty { problems.append(ConfigProblem("store.path", "must not be empty")) }
        case .postgres:
            if config.store.url == nil { problems.append(ConfigProblem("store.url", "required when store.kind is postgres")) }
        }
        problems += config.store.sealKeyProblems()
        problems += config.store.connectionProblems()
        problems += config.audit.digestKeyProblems()
        problems += config.console.validate()
        if !(config.store.leaseSeconds >= 5 && config.store.leaseSeconds <= 600) {
            problems.append(ConfigProblem("store.lease_seconds", "must be between 5 and 600"))
        }
        if !(config.store.ingestWaitSeconds >= 0.1 && config.store.ingestWaitSeconds <= 120) {
            problems.append(ConfigProblem("store.ingest_wait_seconds", "must be between 0.1 and 120"))
        }
        if let id = config.store.instanceID,
            id.utf8.count > 64 || !id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0)) })
        {
            problems.append(ConfigProblem("store.instance_id", "must be 1-64 characters of letters, digits, '.', '-' and '_'"))
        }
        var names = Set<String>()
        for (index, source) in config.sources.enumerated() {
            let path = "sources[\(index)]"
            if !isRouteName(source.name) {
                problems.append(ConfigProblem(path + ".name", "must be 1-64 characters of a-z, 0-9, - and _"))
            }
            if !names.insert(source.name).inserted {
                problems.append(ConfigProblem(path + ".name", "duplicate source name '\(source.name)'"))
            }
            if !SourceRegistry.kinds.contains(source.kind) {
                problems.append(
                    ConfigProblem(path + ".kind", "unknown source kind '\(source.kind)' (expected one of: \(SourceRegistry.kinds.joined(separator: ", ")))"))
            }
            if source.secrets.isEmpty {
                problems.append(ConfigProblem(path + ".secrets", "at least one secret is required"))
            }
            if source.kind == "standard-webhooks" {
                for (i, secret) in source.secrets.enumerated()
                where StandardWebhooksSignature(secrets: [secret]) == nil {
                    problems.append(ConfigProblem(path + ".secrets[\(i)]", "not a Standard Webhooks secret (whsec_ followed by base64)"))
                }
            }
            if source.strict, source.kind != "standard-webhooks" {
                problems.append(ConfigProblem(path + ".strict", "only standard-webhooks sources post canonical events; remove strict here"))
            }
            if source.toleranceSeconds < 1 || source.toleranceSeconds > 86_400 {
                problems.append(ConfigProblem(path + ".tolerance_seconds", "must be between 1 and 86400"))
            }
        }
        if !isRouteName(config.eventsAPI.sourceName) {
            problems.append(ConfigProblem("events_api.source_name", "must be 1-64 characters of a-z, 0-9, - and _"))
        } else if names.contains(config.eventsAPI.sourceName) {
            problems.append(ConfigProblem("events_api.source_name", "'\(config.eventsAPI.sourceName)' is also a webhook source name"))
        }
        var destinationNames = Set<String>()
        for (index, destination) in config.destinations.enumerated() {
            if !isRouteName(destination.name) {
                problems.append(ConfigProblem("destinations[\(index)].name", "must be 1-64 characters of a-z, 0-9, - and _"))
            }
            if !destinationNames.insert(destination.name).inserted {
                problems.append(ConfigProblem("destinations[\(index)].name", "duplicate destination name '\(destination.name)'"))
            }
        }
        let retention = config.retention
        for (key, value, minimum) in [
            ("sealed_identifiers_days", retention.sealedIdentifiersDays, 0.001), ("delivered_payload_days", retention.deliveredPayloadDays, 0.001),
            ("audit_days", retention.auditDays, 1.0), ("sweep_interval_seconds", retention.sweepIntervalSeconds, 1.0),
        ] where !(value >= minimum && value <= 36_500) {
            problems.append(ConfigProblem("retention.\(key)", "must be between \(minimum) and 36500"))
        }
        if config.alerts.deadLetterThreshold < 0 {
            problems.append(ConfigProblem("alerts.dead_letter_threshold", "must be zero or more"))
        }
        if !(config.alerts.oldestUndeliveredMinutes > 0) {
            problems.append(ConfigProblem("alerts.oldest_undelivered_minutes", "must be more than zero"))
        }
        if !(config.alerts.clearAfterMinutes >= 0) {
            problems.append(ConfigProblem("alerts.clear_after_minutes", "must be zero or more"))
        }
        problems += healthProblems(config)
        problems += EnrichmentConfig.problems(config.enrichment)
        problems += ReconciliationConfig.problems(config)
        if Logger.Level.named(config.logging.level) == nil {
            problems.append(ConfigProblem("logging.level", "must be one of trace, debug, info, notice, warning, error, critical"))
        }
        config.telemetry.validate(problems: &problems)
        return problems
    }

    static func isRouteName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
    }
}
