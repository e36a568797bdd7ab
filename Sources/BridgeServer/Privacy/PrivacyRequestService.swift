import BridgeCore
import BridgePipeline
import BridgeSources
import BridgeStore
import Logging

/// Carries out a platform's privacy requests (Shopify's mandatory
/// compliance webhooks), within the source they arrived through:
///
/// | topic | what the bridge does |
/// |---|---|
/// | `customers/redact` | erases the customer's events (found by the keyed digests of their e-mail, phone and customer id, and by the event ids of `orders_to_redact`), their deliveries and identity-graph entries |
/// | `shop/redact` | erases everything stored for the source: events, deliveries, delivery keys, refund totals |
/// | `customers/data_request` | counts what it holds for the customer, audits it and tells the operator (alert webhook, error log): counts and ids, no personal data |
///
/// Each request is answered 200 once carried out (503 when the store is
/// unavailable, so Shopify retries) and appended to the audit chain as a
/// `privacy_request` note holding keyed digests and counts only.
public struct PrivacyRequestService: Sendable {
    let store: any StoreBackend
    let sealer: IdentifierSealer
    let audit: AuditLog?
    let notifier: AlertNotifier?
    let metrics: BridgeMetrics
    let logger: Logger?
    let now: @Sendable () -> Timestamp

    public init(
        store: any StoreBackend, sealer: IdentifierSealer, audit: AuditLog?, notifier: AlertNotifier?, metrics: BridgeMetrics, logger: Logger?,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.sealer = sealer
        self.audit = audit
        self.notifier = notifier
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    /// Carries out `request` for the events of `source`.
    /// - Throws: `IngestError.store` when the store is unavailable (nothing
    ///   is acknowledged; the sender retries).
    public func handle(_ request: PrivacyRequest, source: String) async throws(IngestError) -> IngestResponse {
        let subject = Subject(request, source: source, sealer: sealer)
        let at = now()
        let batchID = "privacy-\(source)-\(at.millisecondsSinceEpoch)"
        var details: [String: JSONValue] = [
            "topic": .string(request.kind.rawValue), "source": .string(source), "shop_domain": .string(request.shopDomain),
            "keys": .array(subject.auditKeys.map { .object(["kind": .string($0.kind), "digest": .string("hmac-sha256:" + $0.digest)]) }),
            "orders": .number(String(request.orderIDs.count)),
        ]
        if let id = request.requestID { details["request_id"] = .string(id) }
        metrics.privacyRequest(source: source, topic: request.kind.rawValue)
        let reason: String
        var eventIDs: [String] = []
        do throws(StoreError) {
            switch request.kind {
            case .customerRedact:
                let result = try await store.erase(source: source, matching: subject.match)
                let graph = subject.graphDigests.isEmpty ? 0 : try await store.eraseIdentityGraph(digests: subject.graphDigests)
                eventIDs = result.eventIDs
                details["removed"] = .object([
                    "events": .number(String(result.eventIDs.count)), "unsent_deliveries": .number(String(result.unsentDeliveries)),
                    "sent_deliveries": .number(String(result.sentDeliveries)), "identity_graph_entries": .number(String(graph)),
                ])
                reason = "customers/redact: erased \(result.eventIDs.count) event(s) of this customer"
            case .shopRedact:
                let removed = try await store.eraseSource(source)
                eventIDs = removed.eventIDs
                details["removed"] = Self.json(removed)
                reason = "shop/redact: erased \(removed.events) event(s) of source \(source)"
            case .customerDataRequest:
                let held = try await store.holdings(source: source, matching: subject.match)
                eventIDs = held.eventIDs
                details["held"] = Self.json(held)
                reason = "customers/data_request: recorded; the operator is told what the bridge holds (\(held.events) event(s))"
                await tellOperator(request, source: source, held: held, batchID: batchID, at: at)
            }
        } catch {
            throw .store(error)
        }
        do {
            try await audit?.note(kind: "privacy_request", destination: "*", batchID: batchID, eventIDs: eventIDs, details: details, at: at)
        } catch {
            logger?.error("audit log write failed", metadata: ["error.type": "\(type(of: error))", "source.name": "\(source)"])
        }
        logger?.info(
            "privacy request carried out",
            metadata: ["source.name": "\(source)", "privacy.topic": "\(request.kind.rawValue)", "event.count": "\(eventIDs.count)"])
        return IngestResponse(status: .ok, reason: reason)
    }

    /// The data request's notice: counts, the shop, Shopify's request id and
    /// the audit batch holding the event ids and digests.
    private func tellOperator(_ request: PrivacyRequest, source: String, held: SourceHoldings, batchID: String, at: Timestamp) async {
        let requestID = request.requestID.map { " (request \($0))" } ?? ""
        let detail =
            "Shopify customers/data_request from \(request.shopDomain)\(requestID): the bridge holds \(held.events) event(s) of this customer"
            + " (\(held.eventsWithSealedData) still with sealed identifiers), \(held.deliveries) deliveries (\(held.deliveredDeliveries) sent,"
            + " \(held.pendingDeliveries) pending, \(held.deadLetters) dead-lettered, \(held.unsentDeliveries) not sent)."
            + " Event ids and keyed digests: audit log, batch \(batchID). No personal data is in this message."
        logger?.error(
            "privacy data request received; an operator must answer it",
            metadata: ["source.name": "\(source)", "privacy.events": "\(held.events)", "audit.batch_id": "\(batchID)"])
        await notifier?.post(OperatorNotice(title: "Privacy data request", subject: "source \(source)", detail: detail, at: at))
    }

    static func json(_ holdings: SourceHoldings) -> JSONValue {
        .object([
            "events": .number(String(holdings.events)), "events_with_sealed_data": .number(String(holdings.eventsWithSealedData)),
            "pending_deliveries": .number(String(holdings.pendingDeliveries)), "sent_deliveries": .number(String(holdings.deliveredDeliveries)),
            "dead_letters": .number(String(holdings.deadLetters)), "unsent_deliveries": .number(String(holdings.unsentDeliveries)),
        ])
    }

    /// How a request finds its customer: keyed digests of the e-mail, phone
    /// (with a `+`: the request carries no country) and customer id under
    /// every seal key, and the event ids of the orders it names.
    struct Subject {
        var match = SourceEventMatch()
        /// The current key's digests, for the audit note.
        var auditKeys: [ErasureKeys.Key] = []
        var graphDigests: [String] = []

        init(_ request: PrivacyRequest, source: String, sealer: IdentifierSealer) {
            let given: [(CustomerField, PersonalData?)] = [(.email, request.email), (.phone, request.phone), (.externalID, request.customerID)]
            for case let (field, value?) in given {
                if let key = ErasureKeys.key(field, value.rawValue, region: nil, sealer: sealer) { auditKeys.append(key) }
                match.keys += ErasureKeys.lookupKeys(field, value.rawValue, region: nil, sealer: sealer)
                if let digest = IdentityDigests.linkDigest(field, raw: value.rawValue, region: nil) { graphDigests.append(digest) }
            }
            // Shopify's event ids (docs/event-ids.md): the sale and its refunds.
            match.eventIDs = request.orderIDs.map { "sale:\(source):\($0)" }
            match.eventIDPrefixes = request.orderIDs.map { "refund:\(source):\($0):" }
        }
    }
}
