/// A custom backend's list of paid orders, for reconciliation: a CSV file
/// with the header `order_id,paid_at,value,currency` (any column order; an
/// optional `test` column), RFC 4180 quoting, or JSON lines with the same
/// keys. Also the pages of a backend's orders endpoint
/// (`{"orders": [...], "next_cursor": ...}`), whose entries have the same shape.
///
/// | key | form |
/// |---|---|
/// | `order_id` | 1–256 characters (a JSON string or integer) |
/// | `paid_at` | RFC 3339 date-time with an offset (`2026-01-01T12:00:00Z`) |
/// | `value` | plain decimal, not negative (`19.90`; a JSON string or number) |
/// | `currency` | ISO 4217 code (`EUR`) |
/// | `test` | optional: `true`/`false` |
///
/// Errors name the line and the column, never the value (an export can
/// hold anything).
public enum OrderFile {
    /// Why an order list was refused.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1-based line (CSV: the record's first line), 0 for the whole input.
        public var line: Int
        public var column: String?
        public var message: String

        public init(line: Int, column: String? = nil, _ message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        public var description: String {
            var text = line > 0 ? "line \(line)" : "the order list"
            if let column { text += ", \(column)" }
            return text + ": " + message
        }
    }

    /// The columns a CSV file must have.
    public static let requiredColumns = ["order_id", "paid_at", "value", "currency"]
    /// The most orders one list may hold.
    public static let maxOrders = 1_000_000

    /// Parses CSV or JSON lines, told apart by the first non-blank character (`{`: JSON lines).
    /// - Throws: `Problem` for the first malformed record.
    public static func parse(_ bytes: [UInt8]) throws(Problem) -> [SourceOrder] {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let firstCharacter = bytes[start...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if firstCharacter == UInt8(ascii: "{") { return try parseJSONLines(Array(bytes[start...])) }
        return try parseCSV(Array(bytes[start...]))
    }

    // MARK: - CSV

    /// Parses an RFC 4180 CSV file (a header row first; `\r\n` or `\n`).
    public static func parseCSV(_ bytes: [UInt8]) throws(Problem) -> [SourceOrder] {
        var records = try CSVRecords.read(bytes)
        guard !records.isEmpty else { throw Problem(line: 0, "the file is empty; expected the header order_id,paid_at,value,currency") }
        let header = records.removeFirst()
        var index: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let key = name.trimmingWhitespace().lowercased()
            guard requiredColumns.contains(key) || key == "test" else {
                throw Problem(line: header.line, "unknown column \(position + 1); the columns are order_id, paid_at, value, currency and optionally test")
            }
            guard index[key] == nil else { throw Problem(line: header.line, "column \(key) appears twice") }
            index[key] = position
        }
        for column in requiredColumns where index[column] == nil {
            throw Problem(line: header.line, "the header has no \(column) column (expected order_id,paid_at,value,currency)")
        }
        var orders: [SourceOrder] = []
        var seen: [String: Int] = [:]
        for record in records {
            if record.fields.count == 1, record.fields[0].isEmpty { continue }  // a blank line
            guard record.fields.count == header.fields.count else {
                throw Problem(line: record.line, "has \(record.fields.count) fields, the header has \(header.fields.count)")
            }
            func field(_ name: String) -> String? { index[name].map { record.fields[$0] } }
            let order = try order(
                orderID: field("order_id"), paidAt: field("paid_at"), value: field("value"), currency: field("currency"),
                test: field("test").map { $0.isEmpty ? nil : $0 } ?? nil, line: record.line)
            try append(order, line: record.line, to: &orders, seen: &seen)
        }
        return orders
    }

    // MARK: - JSON

    /// Parses JSON lines: one object per non-blank line.
    public static func parseJSONLines(_ bytes: [UInt8]) throws(Problem) -> [SourceOrder] {
        var orders: [SourceOrder] = []
        var seen: [String: Int] = [:]
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var text = Array(line)
            if text.last == 0x0D { text.removeLast() }
            guard text.contains(where: { ![0x20, 0x09].contains($0) }) else { continue }
            let json: JSONValue
            do { json = try JSONParser.parse(text) } catch { throw Problem(line: lineNumber, "not a JSON object (\(error))") }
            try append(try order(json, line: lineNumber), line: lineNumber, to: &orders, seen: &seen)
        }
        return orders
    }

    /// One page of a backend's orders endpoint: `{"orders": [...], "next_cursor": "…" | null}`.
    /// - Returns: the page's orders and the cursor of the next page, `nil` on the last.
    public static func parsePage(_ bytes: [UInt8]) throws(Problem) -> (orders: [SourceOrder], nextCursor: String?) {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw Problem(line: 0, "the answer is not JSON (\(error))") }
        guard let entries = json["orders"]?.arrayValue else { throw Problem(line: 0, "the answer has no orders array") }
        var orders: [SourceOrder] = []
        var seen: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            try append(try order(entry, line: position + 1), line: position + 1, to: &orders, seen: &seen)
        }
        let cursor = json["next_cursor"]
        guard cursor == nil || cursor?.isNull == true || cursor?.stringValue?.isEmpty == false else {
            throw Problem(line: 0, column: "next_cursor", "must be a non-empty string or null")
        }
        return (orders, cursor?.stringValue)
    }

    /// One order object (JSON lines, endpoint pages).
    static func order(_ json: JSONValue, line: Int) throws(Problem) -> SourceOrder {
        guard case .object = json else { throw Problem(line: line, "must be a JSON object") }
        var test: String?
        if let flag = json["test"], !flag.isNull {
            guard let bool = flag.boolValue else { throw Problem(line: line, column: "test", "must be true or false") }
            test = bool ? "true" : "false"
        }
        return try order(
            orderID: json["order_id"]?.stringValue ?? json["order_id"]?.numberText, paidAt: json["paid_at"]?.stringValue,
            value: json["value"]?.stringValue ?? json["value"]?.numberText, currency: json["currency"]?.stringValue, test: test, line: line)
    }

    // MARK: - Fields

    static func order(orderID: String?, paidAt: String?, value: String?, currency: String?, test: String?, line: Int) throws(Problem) -> SourceOrder {
        guard let id = orderID?.trimmingWhitespace(), !id.isEmpty, id.unicodeScalars.count <= 256 else {
            throw Problem(line: line, column: "order_id", "required, 1–256 characters")
        }
        guard let paidText = paidAt?.trimmingWhitespace(), let time = Timestamp(rfc3339: paidText) else {
            throw Problem(line: line, column: "paid_at", "must be an RFC 3339 date-time with an offset, like 2026-01-01T12:00:00Z")
        }
        guard let code = currency?.trimmingWhitespace(), let unit = Currency(code: code) else {
            throw Problem(line: line, column: "currency", "must be an ISO 4217 currency code, like EUR")
        }
        guard let amountText = value?.trimmingWhitespace(), let amount = Money.Amount(amountText), !amount.isNegative else {
            throw Problem(line: line, column: "value", "must be a plain decimal number that is not negative, like 19.90")
        }
        var isTest = false
        switch test?.trimmingWhitespace().lowercased() {
        case nil: break
        case "true"?, "1"?: isTest = true
        case "false"?, "0"?: isTest = false
        default: throw Problem(line: line, column: "test", "must be true or false")
        }
        return SourceOrder(orderID: id, eventID: nil, paidAt: time, value: Money(amount: amount, currency: unit), isTest: isTest)
    }

    static func append(_ order: SourceOrder, line: Int, to orders: inout [SourceOrder], seen: inout [String: Int]) throws(Problem) {
        if let first = seen[order.orderID] { throw Problem(line: line, column: "order_id", "repeats the order of line \(first)") }
        guard orders.count < maxOrders else { throw Problem(line: line, "more than \(maxOrders) orders") }
        seen[order.orderID] = line
        orders.append(order)
    }
}

/// RFC 4180 records: fields separated by commas, quoted fields may hold
/// commas, quotes (doubled) and line breaks; records end with `\r\n` or `\n`.
enum CSVRecords {
    struct Record {
        /// 1-based line the record starts on.
        let line: Int
        let fields: [String]
    }

    static func read(_ bytes: [UInt8]) throws(OrderFile.Problem) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = 0
        var inQuotes = false
        var quoted = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !quoted else { throw OrderFile.Problem(line: line, "a quote inside an unquoted field") }
                inQuotes = true
                quoted = true
            case UInt8(ascii: ","):
                endField()
            case 0x0D where index + 1 < bytes.count && bytes[index + 1] == 0x0A:
                break
            case 0x0A:
                endField()
                records.append(Record(line: recordLine, fields: fields))
                fields.removeAll()
                line += 1
                recordLine = line
            default:
                guard !quoted else { throw OrderFile.Problem(line: line, "text after a closing quote") }
                field.append(byte)
            }
            index += 1
        }
        guard !inQuotes else { throw OrderFile.Problem(line: recordLine, "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quoted {
            endField()
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
