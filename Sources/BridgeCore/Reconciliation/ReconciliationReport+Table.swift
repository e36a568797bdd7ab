/// The report as a plain-text table for the terminal.
extension ReconciliationReport {
    public func table() -> String {
        var out = "Reconciliation of \(source) (\(sourceKind)), \(window.since.rfc3339) to \(window.until.rfc3339)\n"
        out += "generated \(generatedAt.rfc3339); destinations: \(destinations.isEmpty ? "none" : destinations.joined(separator: ", "))\n\n"
        var rows: [[String]] = [["", "orders", "value"]]
        rows.append(["orders in the window", String(totals.orders.count), totals.orders.valueText])
        for category in ReconciliationCategory.allCases {
            let tally = totals[category]
            rows.append(["  " + category.title.lowercased(), String(tally.count), tally.valueText])
        }
        rows.append(["dead-lettered somewhere", String(totals.deadLettered.count), totals.deadLettered.valueText])
        rows.append(["backfilled", String(totals.backfilled.count), totals.backfilled.valueText])
        rows.append(["events without an order", String(totals.eventsWithoutOrder.count), totals.eventsWithoutOrder.valueText])
        out += Self.align(rows) + "\n"
        if !destinations.isEmpty {
            var perDestination: [[String]] = [["destination"] + ReconciliationOutcome.allCases.map(\.rawValue)]
            for name in destinations {
                let entry = totals.destinations[name] ?? DestinationTotals()
                perDestination.append([name] + ReconciliationOutcome.allCases.map { String(entry[$0].count) })
            }
            out += Self.align(perDestination) + "\n"
            for name in destinations {
                let entry = totals.destinations[name] ?? DestinationTotals()
                for outcome in ReconciliationOutcome.allCases {
                    guard let reasons = entry.reasons[outcome], !reasons.isEmpty else { continue }
                    let text = reasons.keys.sorted().map { "\($0) \(reasons[$0] ?? 0)" }.joined(separator: ", ")
                    out += "  \(name) \(outcome.rawValue): \(text)\n"
                }
            }
            out += "\n"
        }
        if !lines.isEmpty {
            out += "Orders needing attention:\n"
            var rows: [[String]] = [["order", "event id", "paid at", "value", "category", "details"]]
            for line in lines {
                rows.append([
                    line.orderID + (line.isTest ? " (test)" : ""), line.eventID ?? "-", line.paidAt.rfc3339, Self.money(line.value),
                    line.category.rawValue + (line.backfilled ? " (backfilled)" : ""), Self.details(line),
                ])
            }
            out += Self.align(rows)
            if linesOmitted > 0 { out += "… and \(linesOmitted) more\n" }
            out += "\n"
        }
        if !unmatchedEvents.isEmpty {
            out += "Events without an order:\n"
            var rows: [[String]] = [["event id", "order", "event time", "value"]]
            for event in unmatchedEvents {
                rows.append([event.eventID + (event.isTest ? " (test)" : ""), event.orderID ?? "-", event.eventTime.rfc3339, Self.money(event.value)])
            }
            out += Self.align(rows)
            if unmatchedOmitted > 0 { out += "… and \(unmatchedOmitted) more\n" }
            out += "\n"
        }
        if !unreadableOrders.isEmpty {
            out += "Orders the source listed that could not be read (not counted):\n"
            for failure in unreadableOrders { out += "  order \(failure.orderID): \(failure.reason)\n" }
            out += "\n"
        }
        if let backfill {
            out += "Backfill: \(backfill.stored.count) stored, \(backfill.duplicates.count) already there, \(backfill.failed.count) failed\n"
            for (destination, count) in backfill.tooOld.sorted(by: { $0.key < $1.key }) where count > 0 {
                out += "  \(destination): \(count) older than the platform accepts (dead-lettered as event_too_old)\n"
            }
            for failure in backfill.failed { out += "  order \(failure.orderID): \(failure.reason)\n" }
        }
        return out
    }

    /// `EUR 19.90`, or `-`.
    static func money(_ value: Money?) -> String {
        value.map { "\($0.currency.code) \($0.formattedAmount)" } ?? "-"
    }

    /// The per-destination outcomes that are not delivered, and the bridge's value when it differs.
    static func details(_ line: Line) -> String {
        var parts: [String] = []
        if line.category == .valueDiffers { parts.append("bridge has \(money(line.bridgeValue))") }
        for delivery in line.outcomes where delivery.outcome != .delivered {
            parts.append("\(delivery.destination): \(delivery.outcome.rawValue)" + (delivery.reason.map { " (\($0))" } ?? ""))
        }
        return parts.isEmpty ? "-" : parts.joined(separator: "; ")
    }

    /// Left-aligned columns separated by two spaces.
    static func align(_ rows: [[String]]) -> String {
        var widths: [Int] = []
        for row in rows {
            for (index, cell) in row.enumerated() {
                if widths.count <= index { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
