import BridgeCore

/// An event's order lines as the platforms' `contents` / `items` take them:
/// lines with an id, unit prices as exact decimal text, the distinct ids in
/// order, and the total quantity. Each destination names the fields its own
/// way (`item_price`, `price`, `unitPrice`; number or string).
struct OrderLines {
    struct Line {
        let id: String
        /// The trimmed name, `nil` when blank.
        let name: String?
        let quantity: Int
        /// The unit price with at least the currency's minor-unit digits
        /// (`34.00`; `0.125` keeps its third digit), never through `Double`.
        let unitPrice: String?
    }

    /// Lines with a non-empty id, in order.
    let lines: [Line]
    /// Each distinct id once, in order of first appearance.
    let uniqueIDs: [String]
    /// The sum of the quantities, `Int.max` if it overflows.
    let totalQuantity: Int

    init(_ event: ConversionEvent) {
        let fractionDigits = event.value?.currency.minorUnit ?? 2
        var lines: [Line] = []
        var ids: [String] = []
        var seen: Set<String> = []
        var total = 0
        for line in event.lineItems where !line.id.isEmpty {
            if seen.insert(line.id).inserted { ids.append(line.id) }
            let (sum, overflow) = total.addingReportingOverflow(line.quantity)
            total = overflow ? Int.max : sum
            let name = line.name?.trimmingWhitespace()
            lines.append(
                Line(
                    id: line.id, name: name?.isEmpty == false ? name : nil, quantity: line.quantity,
                    unitPrice: line.unitPrice.map { $0.formatted(fractionDigits: max(fractionDigits, $0.significantFractionDigits)) }))
        }
        self.lines = lines
        uniqueIDs = ids
        totalQuantity = total
    }

    var isEmpty: Bool { lines.isEmpty }
}
