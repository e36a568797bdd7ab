/// A set of vendor ids from a TC string: vendor consents, vendor legitimate
/// interests, disclosed or allowed vendors.
///
/// On the wire it is `MaxVendorId` (16 bits), `IsRangeEncoding` (1 bit), then
/// either a bit field of `MaxVendorId` bits (bit *n* − 1 is vendor *n*) or
/// `NumEntries` (12 bits) range entries. Both encodings are stored as ranges,
/// which keeps a hostile range cheap.
public struct TCVendorSection: Sendable, Equatable {
    /// The highest vendor id the section describes.
    public let maxVendorID: Int
    /// `true` when the section used range entries, `false` for a bit field.
    public let isRangeEncoding: Bool
    /// The ids in the set: for a bit field, ascending runs of set bits; for
    /// range encoding, the entries in string order.
    public let ranges: [ClosedRange<Int>]

    public init(maxVendorID: Int, isRangeEncoding: Bool, ranges: [ClosedRange<Int>]) {
        self.maxVendorID = maxVendorID
        self.isRangeEncoding = isRangeEncoding
        self.ranges = ranges
    }

    /// True when `vendorID` is in the set.
    public func contains(_ vendorID: Int) -> Bool {
        ranges.contains { $0.contains(vendorID) }
    }

    /// Every id in the set, ascending and without duplicates. Costs up to
    /// 65,535 entries per range: meant for tests and reports, not the hot path.
    public var vendorIDs: [Int] {
        Array(Set(ranges.flatMap { Array($0) })).sorted()
    }

    init(reading reader: inout TCSegmentReader, field: String) throws(TCStringError) {
        maxVendorID = try reader.int(16, "\(field).MaxVendorId")
        isRangeEncoding = try reader.bool("\(field).IsRangeEncoding")
        if isRangeEncoding {
            ranges = try reader.rangeEntries(field)
        } else {
            ranges = try reader.bitRanges(maxVendorID, "\(field).BitField")
        }
    }
}
