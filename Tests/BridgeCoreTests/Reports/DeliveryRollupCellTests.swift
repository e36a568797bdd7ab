@testable import BridgeCore
import Testing

/// The cells the stores' report rollup keeps (`DeliveryRollupCell`): a tally
/// built from cells equals the one built from the rows, whatever the order
/// and however the rows are grouped; cells survive their stored form.
@Suite("Delivery rollup cell")
struct DeliveryRollupCellTests {
    /// The fixture's rows, with more hours of day 1 and a campaign.
    var rows: [DeliveryReportRow] {
        ReportFixture.rows.enumerated().map { index, row in
            var row = row
            row.receivedAtMS += Int64(index % 3) * 3_600_000 + Int64(index) * 61_000
            row.deliveredAtMS = row.deliveredAtMS.map { $0 + Int64(index % 3) * 3_600_000 + Int64(index) * 61_000 }
            row.source = index % 2 == 0 ? "shop" : "backend"
            row.campaign = index % 4 == 0 ? "spring" : nil
            return row
        }
    }

    @Test("a tally from hourly cells equals the tally of the rows, in any order, with every breakdown")
    func cellsEqualRows() throws {
        for breakdown in [nil, ReportBreakdown.campaign, .source] {
            var query = ReportFixture.query
            query.breakdown = breakdown
            var fromRows = ReportAccumulator(query: query)
            for row in rows { fromRows.add(row) }
            // One cell per series and hour, as the stores keep them
            var cells: [String: (DeliveryReportRow, DeliveryRollupCell)] = [:]
            for row in rows.reversed() {
                let key = "\(row.destination)|\(row.eventName)|\(row.source)|\(row.campaign ?? "-")|\(ReportPeriod.hour.start(of: row.receivedAtMS))"
                cells[key, default: (row, DeliveryRollupCell())].1.add(row)
            }
            var fromCells = ReportAccumulator(query: query)
            for (row, cell) in cells.values {
                fromCells.add(
                    cell, hourStart: ReportPeriod.hour.start(of: row.receivedAtMS), destination: row.destination, eventName: row.eventName,
                    source: row.source, campaign: row.campaign)
            }
            #expect(fromCells.tally == fromRows.tally, "breakdown \(breakdown?.rawValue ?? "none")")
            #expect(fromRows.tally.series.values.flatMap(\.periods.values).reduce(0) { $0 + $1.received } == rows.count)
        }
    }

    @Test("a row counted and taken back out leaves nothing; a state change moves one count")
    func signedCounts() {
        var accumulator = ReportAccumulator(query: ReportFixture.query)
        let pending = rows[5]
        var delivered = pending
        delivered.state = .delivered
        delivered.deliveredAtMS = pending.receivedAtMS + 900
        accumulator.add(pending)
        accumulator.add(pending, count: -1)
        #expect(accumulator.tally == ReportTally())
        accumulator.add(pending)
        accumulator.add(pending, count: -1)
        accumulator.add(delivered)
        var expected = ReportAccumulator(query: ReportFixture.query)
        expected.add(delivered)
        #expect(accumulator.tally == expected.tally)
        #expect(accumulator.tally.series.first?.value.periods.first?.value.pending == 0)
    }

    @Test("a cell reads back from its stored bytes; cut-short or foreign bytes are refused")
    func binaryRoundTrip() throws {
        var cell = DeliveryRollupCell()
        for row in rows { cell.add(row) }
        cell.add(rows[2], count: -1)
        let bytes = cell.bytes
        #expect(try DeliveryRollupCell(bytes: bytes) == cell)
        #expect(!cell.outcomes.isEmpty && !cell.identifiers.isEmpty && !cell.latency.isEmpty)
        #expect(throws: BinaryReader.Truncated.self) { try DeliveryRollupCell(bytes: Array(bytes.dropLast(2))) }
        #expect(throws: BinaryReader.Truncated.self) { try DeliveryRollupCell(bytes: [0x7B] + bytes.dropFirst()) }
        #expect(try DeliveryRollupCell(bytes: DeliveryRollupCell().bytes).isEmpty)
    }
}
