extension DeliveryRollupCell {
    /// The format byte of a stored cell.
    static let format: UInt8 = 1

    /// The cell as stored (`delivery_rollup_cells.cell`): its three maps,
    /// each a count of entries then the entries, in key order.
    public var bytes: [UInt8] {
        var writer = BinaryWriter(format: Self.format, capacity: 16 + 8 * (outcomes.count + identifiers.count * 2 + latency.count))
        let states = ReportDeliveryState.allCases
        writer.unsigned(UInt64(outcomes.count))
        for (outcome, n) in outcomes.sorted(by: { Self.order($0.key, $1.key) }) {
            writer.byte(UInt8(states.firstIndex(of: outcome.state) ?? 0))
            writer.bool(outcome.limited)
            writer.bool(outcome.retried)
            writer.optionalString(outcome.reason)
            writer.signed(Int64(n))
        }
        writer.unsigned(UInt64(identifiers.count))
        for (key, n) in identifiers.sorted(by: { $0.key < $1.key }) {
            writer.unsigned(UInt64(bitPattern: key.identifiers))
            writer.unsigned(UInt64(bitPattern: key.added))
            writer.optionalString(key.enrichedBy)
            writer.signed(Int64(n))
        }
        writer.unsigned(UInt64(latency.count))
        for (bucket, n) in latency.sorted(by: { $0.key < $1.key }) {
            writer.unsigned(UInt64(bucket))
            writer.signed(Int64(n))
        }
        return writer.bytes
    }

    /// Reads a stored cell; a cell of an unknown format or cut short is an error.
    public init(bytes: [UInt8]) throws(BinaryReader.Truncated) {
        guard bytes.first == Self.format else { throw BinaryReader.Truncated(offset: 0) }
        var reader = BinaryReader(bytes)
        let states = ReportDeliveryState.allCases
        self.init()
        for _ in 0..<(try reader.count()) {
            let index = Int(try reader.byte())
            guard index < states.count else { throw BinaryReader.Truncated(offset: 0) }
            let limited = try reader.bool()
            let retried = try reader.bool()
            let reason = try reader.optionalString()
            outcomes[Outcome(state: states[index], limited: limited, reason: reason, retried: retried)] = Int(try reader.signed())
        }
        for _ in 0..<(try reader.count()) {
            let mask = Int64(bitPattern: try reader.unsigned())
            let added = Int64(bitPattern: try reader.unsigned())
            let enrichedBy = try reader.optionalString()
            identifiers[Identifiers(identifiers: mask, added: added, enrichedBy: enrichedBy)] = Int(try reader.signed())
        }
        for _ in 0..<(try reader.count()) {
            let bucket = try reader.unsigned()
            guard bucket < 1 << 20 else { throw BinaryReader.Truncated(offset: 0) }
            latency[Int(bucket)] = Int(try reader.signed())
        }
    }

    private static func order(_ lhs: Outcome, _ rhs: Outcome) -> Bool {
        let states = ReportDeliveryState.allCases
        let l = (states.firstIndex(of: lhs.state) ?? 0, lhs.limited ? 1 : 0, lhs.retried ? 1 : 0, lhs.reason ?? "")
        let r = (states.firstIndex(of: rhs.state) ?? 0, rhs.limited ? 1 : 0, rhs.retried ? 1 : 0, rhs.reason ?? "")
        if l != r { return l < r }
        return lhs.reason == nil && rhs.reason != nil
    }
}
