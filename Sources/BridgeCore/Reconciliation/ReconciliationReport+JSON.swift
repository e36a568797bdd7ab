/// The report as JSON (what `--format json`, `GET /v1/reconciliations/{id}`
/// and the stored run hold), and back. Amounts are decimal strings with
/// their currency's digits; times RFC 3339; keys snake_case.
extension ReconciliationReport {
    public func json() -> JSONValue {
        var object: [String: JSONValue] = [
            "source": .string(source), "source_kind": .string(sourceKind), "since": .string(window.since.rfc3339),
            "until": .string(window.until.rfc3339), "generated_at": .string(generatedAt.rfc3339),
            "destinations": .array(destinations.map(JSONValue.string)), "totals": totals.json(),
            "lines": .array(lines.map(\.json)), "lines_omitted": .number(String(linesOmitted)),
            "events_without_order": .array(unmatchedEvents.map(\.json)), "events_without_order_omitted": .number(String(unmatchedOmitted)),
        ]
        if let backfill { object["backfill"] = backfill.json() }
        object["unreadable_orders"] = .array(unreadableOrders.map(\.json))
        return .object(object)
    }

    /// Reads a report written by `json()`; `nil` when it is not one.
    public init?(json: JSONValue) {
        guard let source = json["source"]?.stringValue, let kind = json["source_kind"]?.stringValue,
            let since = json["since"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
            let until = json["until"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
            let window = try? ReconciliationWindow(since: since, until: until),
            let generatedAt = json["generated_at"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
            let totals = json["totals"].flatMap(ReconciliationTotals.init(json:))
        else { return nil }
        self.init(
            source: source, sourceKind: kind, window: window, generatedAt: generatedAt,
            destinations: (json["destinations"]?.arrayValue ?? []).compactMap(\.stringValue), totals: totals,
            lines: (json["lines"]?.arrayValue ?? []).compactMap(Line.init(json:)), linesOmitted: JSONNumbers.int(json["lines_omitted"]),
            unmatchedEvents: (json["events_without_order"]?.arrayValue ?? []).compactMap(UnmatchedEvent.init(json:)),
            unmatchedOmitted: JSONNumbers.int(json["events_without_order_omitted"]),
            backfill: json["backfill"].flatMap(BackfillSummary.init(json:)),
            unreadableOrders: (json["unreadable_orders"]?.arrayValue ?? []).compactMap(BackfillSummary.Failure.init(json:)))
    }
}

extension ReconciliationReport.Line {
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "order_id": .string(orderID), "paid_at": .string(paidAt.rfc3339), "category": .string(category.rawValue),
            "backfilled": .bool(backfilled), "test": .bool(isTest),
            "destinations": .array(outcomes.map(\.json)),
        ]
        if let eventID { object["event_id"] = .string(eventID) }
        JSONNumbers.put(value, amountKey: "value", currencyKey: "currency", into: &object)
        JSONNumbers.put(bridgeValue, amountKey: "bridge_value", currencyKey: "bridge_currency", into: &object)
        return .object(object)
    }

    init?(json: JSONValue) {
        guard let orderID = json["order_id"]?.stringValue, let paidAt = json["paid_at"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }),
            let category = json["category"]?.stringValue.flatMap(ReconciliationCategory.init(rawValue:))
        else { return nil }
        self.init(
            orderID: orderID, eventID: json["event_id"]?.stringValue, paidAt: paidAt, value: JSONNumbers.money(json, "value", "currency"),
            category: category, bridgeValue: JSONNumbers.money(json, "bridge_value", "bridge_currency"),
            outcomes: (json["destinations"]?.arrayValue ?? []).compactMap(ReconciliationDelivery.init(json:)),
            backfilled: json["backfilled"]?.boolValue ?? false, isTest: json["test"]?.boolValue ?? false)
    }
}

extension ReconciliationReport.UnmatchedEvent {
    var json: JSONValue {
        var object: [String: JSONValue] = ["event_id": .string(eventID), "event_time": .string(eventTime.rfc3339), "test": .bool(isTest)]
        if let orderID { object["order_id"] = .string(orderID) }
        JSONNumbers.put(value, amountKey: "value", currencyKey: "currency", into: &object)
        return .object(object)
    }

    init?(json: JSONValue) {
        guard let eventID = json["event_id"]?.stringValue, let time = json["event_time"]?.stringValue.flatMap({ Timestamp(rfc3339: $0) }) else {
            return nil
        }
        self.init(
            eventID: eventID, orderID: json["order_id"]?.stringValue, eventTime: time, value: JSONNumbers.money(json, "value", "currency"),
            isTest: json["test"]?.boolValue ?? false)
    }
}

extension ReconciliationDelivery {
    var json: JSONValue {
        var object: [String: JSONValue] = ["destination": .string(destination), "outcome": .string(outcome.rawValue)]
        if let reason { object["reason"] = .string(reason) }
        return .object(object)
    }

    init?(json: JSONValue) {
        guard let destination = json["destination"]?.stringValue,
            let outcome = json["outcome"]?.stringValue.flatMap(ReconciliationOutcome.init(rawValue:))
        else { return nil }
        self.init(destination: destination, outcome: outcome, reason: json["reason"]?.stringValue)
    }
}

extension ValueTally {
    /// `{"count": 3, "value": {"EUR": "59.70"}}`.
    public var json: JSONValue {
        var value: [String: JSONValue] = [:]
        for (code, amount) in values { value[code] = .string(Self.formatted(amount, code: code)) }
        return .object(["count": .number(String(count)), "value": .object(value)])
    }

    init?(json: JSONValue?) {
        guard let json, let count = json["count"]?.numberText.flatMap({ Int($0) }) else { return nil }
        var values: [String: Money.Amount] = [:]
        for (code, amount) in json["value"]?.objectValue ?? [:] {
            if let parsed = amount.stringValue.flatMap({ Money.Amount($0) }) { values[code] = parsed }
        }
        self.init(count: count, values: values)
    }
}

extension ReconciliationTotals {
    func json() -> JSONValue {
        var categories: [String: JSONValue] = [:]
        for category in ReconciliationCategory.allCases { categories[category.rawValue] = self[category].json }
        var destinations: [String: JSONValue] = [:]
        for (name, totals) in self.destinations {
            var outcomes: [String: JSONValue] = [:]
            var reasons: [String: JSONValue] = [:]
            for (outcome, tally) in totals.outcomes { outcomes[outcome.rawValue] = tally.json }
            for (outcome, counts) in totals.reasons { reasons[outcome.rawValue] = .object(counts.mapValues { .number(String($0)) }) }
            destinations[name] = .object(["outcomes": .object(outcomes), "reasons": .object(reasons)])
        }
        return .object([
            "orders": orders.json, "categories": .object(categories), "dead_lettered": deadLettered.json,
            "events_without_order": eventsWithoutOrder.json, "backfilled": backfilled.json, "destinations": .object(destinations),
        ])
    }

    init?(json: JSONValue) {
        guard let orders = ValueTally(json: json["orders"]) else { return nil }
        self.init()
        self.orders = orders
        for category in ReconciliationCategory.allCases {
            if let tally = ValueTally(json: json[path: "categories", category.rawValue]), tally.count > 0 { categories[category] = tally }
        }
        deadLettered = ValueTally(json: json["dead_lettered"]) ?? ValueTally()
        eventsWithoutOrder = ValueTally(json: json["events_without_order"]) ?? ValueTally()
        backfilled = ValueTally(json: json["backfilled"]) ?? ValueTally()
        for (name, entry) in json["destinations"]?.objectValue ?? [:] {
            var totals = DestinationTotals()
            for (key, tally) in entry["outcomes"]?.objectValue ?? [:] {
                if let outcome = ReconciliationOutcome(rawValue: key), let parsed = ValueTally(json: tally) { totals.outcomes[outcome] = parsed }
            }
            for (key, counts) in entry["reasons"]?.objectValue ?? [:] {
                guard let outcome = ReconciliationOutcome(rawValue: key) else { continue }
                totals.reasons[outcome] = (counts.objectValue ?? [:]).compactMapValues { $0.numberText.flatMap { Int($0) } }
            }
            destinations[name] = totals
        }
    }
}

extension BackfillSummary {
    func json() -> JSONValue {
        .object([
            "stored": .array(stored.map(JSONValue.string)), "duplicates": .array(duplicates.map(JSONValue.string)),
            "failed": .array(failed.map(\.json)),
            "too_old": .object(tooOld.mapValues { .number(String($0)) }),
        ])
    }

    init?(json: JSONValue) {
        guard case .object = json else { return nil }
        self.init(
            stored: (json["stored"]?.arrayValue ?? []).compactMap(\.stringValue),
            duplicates: (json["duplicates"]?.arrayValue ?? []).compactMap(\.stringValue),
            failed: (json["failed"]?.arrayValue ?? []).compactMap(Failure.init(json:)),
            tooOld: (json["too_old"]?.objectValue ?? [:]).compactMapValues { $0.numberText.flatMap { Int($0) } })
    }
}

extension BackfillSummary.Failure {
    var json: JSONValue { .object(["order_id": .string(orderID), "reason": .string(reason)]) }

    init?(json: JSONValue) {
        guard let order = json["order_id"]?.stringValue, let reason = json["reason"]?.stringValue else { return nil }
        self.init(orderID: order, reason: reason)
    }
}

/// Small readers shared by the report's JSON.
enum JSONNumbers {
    static func int(_ value: JSONValue?) -> Int { value?.numberText.flatMap { Int($0) } ?? 0 }

    /// Writes `money` as two members (amount text with the currency's digits, ISO code).
    static func put(_ money: Money?, amountKey: String, currencyKey: String, into object: inout [String: JSONValue]) {
        guard let money else { return }
        object[amountKey] = .string(money.formattedAmount)
        object[currencyKey] = .string(money.currency.code)
    }

    /// Reads what `put` wrote.
    static func money(_ object: JSONValue, _ amountKey: String, _ currencyKey: String) -> Money? {
        guard let amount = object[amountKey]?.stringValue.flatMap({ Money.Amount($0) }),
            let currency = object[currencyKey]?.stringValue.flatMap({ Currency(code: $0) })
        else { return nil }
        return Money(amount: amount, currency: currency)
    }
}
