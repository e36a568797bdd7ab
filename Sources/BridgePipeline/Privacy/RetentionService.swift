import BridgeCore
import BridgeStore
import Foundation
import Logging
import ServiceLifecycle

/// Enforces the retention limits: every `interval`, erases sealed raw
/// identifiers past their limit (dead-lettering deliveries still pending as
/// `expired`), drops old delivered payloads, and deletes audit files older
/// than their limit.
public struct RetentionService: Service {
    let store: any StoreBackend
    let policy: RetentionPolicy
    let auditDirectory: URL?
    let interval: Duration
    let logger: Logger
    let now: @Sendable () -> Timestamp

    public init(
        store: any StoreBackend, policy: RetentionPolicy, auditDirectory: URL?, interval: Duration, logger: Logger,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.policy = policy
        self.auditDirectory = auditDirectory
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await sweep()
            } catch {
                logger.warning("retention sweep failed", metadata: ["error": "\(error)"])
            }
            var slept = Duration.zero
            while slept < interval, !Task.isShuttingDownGracefully, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                slept += .milliseconds(200)
            }
        }
    }

    /// One sweep; returns what it changed and the audit files it deleted.
    @discardableResult
    public func sweep() async throws -> (RetentionResult, deletedAuditFiles: [String]) {
        let at = now()
        let result = try await store.applyRetention(policy, now: at)
        var deleted: [String] = []
        if let auditDirectory {
            let cutoff = at.advanced(by: .zero - policy.auditFiles)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: auditDirectory.path)) ?? []
            // A file is deleted once its whole day is past the limit.
            for name in AuditFileName.ordered(names) {
                guard let day = AuditFileName.day(ofFileNamed: name), day.advanced(by: .seconds(86_400)) < cutoff else { continue }
                try FileManager.default.removeItem(at: auditDirectory.appendingPathComponent(name))
                deleted.append(name)
            }
        }
        if result != RetentionResult() || !deleted.isEmpty {
            logger.info(
                "retention sweep",
                metadata: [
                    "events.erased": "\(result.eventsErased)", "deliveries.expired": "\(result.deliveriesExpired)",
                    "payloads.dropped": "\(result.payloadsDropped)",
                    "dead_letters.payloads_dropped": "\(result.deadLetterPayloadsDropped)", "audit.files_deleted": "\(deleted.count)",
                ])
        }
        return (result, deleted)
    }
}
