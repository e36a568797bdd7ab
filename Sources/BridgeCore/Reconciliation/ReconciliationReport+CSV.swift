/// The report as CSV (RFC 4180, `\r\n` line ends), for spreadsheets and auditors.
///
/// Columns: `kind` (`total`, `order`, `event_without_order`), `key`
/// (category or outcome for totals), `order_id`, `event_id`, `time`,
/// `value`, `currency`, `category`, `bridge_value`, `bridge_currency`,
/// `backfilled`, `test`, `count`, then one column per destination holding
/// `outcome` or `outcome:reason`.
extension ReconciliationReport {
    public func csv() -> String {
        let header = [
            "kind", "key", "order_id", "event_id", "time", "value", "currency", "category", "bridge_value", "bridge_currency", "backfilled", "test",
            "count",
        ] + destinations.map { "destination_\($0)" }
        var rows: [[String]] = [header]
        let empty = Array(repeating: "", count: destinations.count)
        func totalRows(_ key: String, _ tally: ValueTally) {
            if tally.values.isEmpty {
                rows.append(["total", key, "", "", "", "", "", "", "", "", "", "", String(tally.count)] + empty)
            }
            for code in tally.values.keys.sorted() {
                rows.append(
                    ["total", key, "", "", "", ValueTally.formatted(tally.values[code], code: code), code, "", "", "", "", "", String(tally.count)]
                        + empty)
            }
        }
        totalRows("orders", totals.orders)
        for category in ReconciliationCategory.allCases { totalRows(category.rawValue, totals[category]) }
        totalRows("dead_lettered", totals.deadLettered)
        totalRows("backfilled", totals.backfilled)
        totalRows("events_without_order", totals.eventsWithoutOrder)
        for line in lines {
            let cells = destinations.map { name -> String in
                guard let delivery = line.outcomes.first(where: { $0.destination == name }) else { return "" }
                return delivery.outcome.rawValue + (delivery.reason.map { ":" + $0 } ?? "")
            }
            rows.append(
                [
                    "order", "", line.orderID, line.eventID ?? "", line.paidAt.rfc3339, line.value?.formattedAmount ?? "",
                    line.value?.currency.code ?? "", line.category.rawValue, line.bridgeValue?.formattedAmount ?? "",
                    line.bridgeValue?.currency.code ?? "", line.backfilled ? "true" : "false", line.isTest ? "true" : "false", "1",
                ] + cells)
        }
        for event in unmatchedEvents {
            rows.append(
                [
                    "event_without_order", "", event.orderID ?? "", event.eventID, event.eventTime.rfc3339, event.value?.formattedAmount ?? "",
                    event.value?.currency.code ?? "", "", "", "", "false", event.isTest ? "true" : "false", "1",
                ] + empty)
        }
        return rows.map { $0.map(MatchQualityReport.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
