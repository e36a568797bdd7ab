/// Reads the fields of one TC string segment, turning bit-reader failures into
/// `TCStringError`s that name the field, the segment and the bit.
struct TCSegmentReader {
    private var bits: ConsentBitReader
    let segment: Int

    init(_ text: Substring, segment: Int) throws(TCStringError) {
        do {
            bits = try ConsentBitReader(base64URL: text)
        } catch {
            throw .invalidCharacter(error.character, segment: segment, position: error.position)
        }
        self.segment = segment
    }

    private func failure(_ error: ConsentBitReader.Failure, _ field: String) -> TCStringError {
        switch error {
        case .outOfBits(let bit), .fibonacciOverflow(let bit):
            return .truncated(field: field, segment: segment, atBit: bit)
        }
    }

    mutating func int(_ width: Int, _ field: String) throws(TCStringError) -> Int {
        do { return try bits.readInt(width) } catch { throw failure(error, field) }
    }

    mutating func bool(_ field: String) throws(TCStringError) -> Bool {
        do { return try bits.readBool() } catch { throw failure(error, field) }
    }

    mutating func bitSet(_ count: Int, _ field: String) throws(TCStringError) -> Set<Int> {
        do { return try bits.readBitSet(count) } catch { throw failure(error, field) }
    }

    /// Reads `count` letters of 6 bits each (`a` = 0 … `z` = 25), upper-cased.
    mutating func letters(_ count: Int, _ field: String) throws(TCStringError) -> String {
        var text = ""
        for _ in 0..<count {
            let value = try int(6, field)
            guard value < 26, let scalar = Unicode.Scalar(UInt32(0x41 + value)) else {
                throw .invalidLetter(field: field, value: value)
            }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    /// Reads a bit field of `count` bits as ascending ranges of the 1-based ids whose bit is set.
    mutating func bitRanges(_ count: Int, _ field: String) throws(TCStringError) -> [ClosedRange<Int>] {
        let ids = try bitSet(count, field).sorted()
        var ranges: [ClosedRange<Int>] = []
        for id in ids {
            if let last = ranges.last, last.upperBound == id - 1 {
                ranges[ranges.count - 1] = last.lowerBound...id
            } else {
                ranges.append(id...id)
            }
        }
        return ranges
    }

    /// Reads `NumEntries` (12 bits) range entries: `IsARange`, `StartOrOnlyVendorId`
    /// (16 bits) and, for a range, `EndVendorId` (16 bits).
    mutating func rangeEntries(_ field: String) throws(TCStringError) -> [ClosedRange<Int>] {
        let count = try int(12, "\(field).NumEntries")
        var ranges: [ClosedRange<Int>] = []
        ranges.reserveCapacity(min(count, 256))
        for _ in 0..<count {
            let isRange = try bool("\(field).IsARange")
            let start = try int(16, "\(field).StartOrOnlyVendorId")
            let end = isRange ? try int(16, "\(field).EndVendorId") : start
            guard end >= start else { throw .rangeEndBeforeStart(field: field, start: start, end: end) }
            ranges.append(start...end)
        }
        return ranges
    }
}
