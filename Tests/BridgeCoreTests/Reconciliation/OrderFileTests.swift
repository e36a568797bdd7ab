import BridgeCore
import Testing

/// A custom backend's order list: CSV `order_id,paid_at,value,currency`
/// (RFC 4180 quoting) or JSON lines with the same keys.
@Suite("Order file")
struct OrderFileTests {
    @Test("a CSV file with quoted fields, CRLF line ends and any column order is read")
    func csv() throws {
        let text = "currency,order_id,paid_at,value\r\nEUR,\"A-1, gift\",2026-01-01T10:00:00Z,19.90\r\nUSD,\"B \"\"2\"\"\",2026-01-01T11:30:00+01:00,5\r\n"
        let orders = try OrderFile.parse(Array(text.utf8))
        #expect(orders.map(\.orderID) == ["A-1, gift", "B \"2\""])
        #expect(orders[0].value == Money(amount: Money.Amount("19.90")!, currency: Currency(code: "EUR")!))
        #expect(orders[1].paidAt == Timestamp(rfc3339: "2026-01-01T10:30:00Z"))
        #expect(orders.allSatisfy { $0.eventID == nil })
    }

    @Test("JSON lines with the same keys are read")
    func jsonLines() throws {
        let text = """
            {"order_id": "A-1", "paid_at": "2026-01-01T10:00:00Z", "value": "19.90", "currency": "EUR"}
            {"order_id": 1002, "paid_at": "2026-01-01T10:05:00Z", "value": 7.5, "currency": "EUR"}
            """
        let orders = try OrderFile.parse(Array(text.utf8))
        #expect(orders.map(\.orderID) == ["A-1", "1002"])
    }

    @Test("a malformed record is refused with its line and column, never its value", arguments: [
        ("order_id,paid_at,value,currency\nA-1,yesterday,19.90,EUR\n", "line 2", "paid_at"),
        ("order_id,paid_at,value,currency\nA-1,2026-01-01T10:00:00Z,-3,EUR\n", "line 2", "value"),
        ("order_id,paid_at,value,currency\nA-1,2026-01-01T10:00:00Z,3,EURO\n", "line 2", "currency"),
        ("order_id,paid_at,value\nA-1,2026-01-01T10:00:00Z,3\n", "line 1", "currency"),
    ])
    func refused(_ text: String, line: String, column: String) {
        #expect {
            _ = try OrderFile.parse(Array(text.utf8))
        } throws: { error in
            let description = String(describing: error)
            return description.contains(line) && description.contains(column) && !description.contains("yesterday") && !description.contains("EURO")
        }
    }
}
