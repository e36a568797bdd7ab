/// Reads big-endian bit fields from the web-safe Base64 text that TC strings
/// and GPP strings use.
///
/// Each character carries 6 bits (RFC 4648 §5 alphabet, `-` and `_`); `+` and
/// `/` are accepted as aliases because some CMPs emit the standard alphabet,
/// and trailing `=` padding is ignored. The text is never decoded to bytes:
/// GPP pads sections to a multiple of 6 bits, not 8, so reading sextets
/// directly serves both formats. Every read is bounds-checked and throws
/// instead of trapping, so any input is safe.
struct ConsentBitReader {
    /// Why a read failed.
    enum Failure: Error, Equatable {
        /// A field needed more bits than the text holds.
        case outOfBits(atBit: Int)
        /// A Fibonacci-coded integer did not terminate within 64 bits.
        case fibonacciOverflow(atBit: Int)
    }

    /// A character outside the Base64 URL alphabet.
    struct InvalidCharacter: Error, Equatable {
        let character: Character
        let position: Int
    }

    private let sextets: [UInt8]
    /// Index of the next bit to read.
    private(set) var position = 0

    /// Total number of bits in the text.
    var bitCount: Int { sextets.count * 6 }

    /// Bits left to read.
    var remaining: Int { bitCount - position }

    /// - Throws: `InvalidCharacter` for any character outside `A-Z a-z 0-9 - _ + /`
    ///   (trailing `=` padding excepted).
    init(base64URL text: Substring) throws(InvalidCharacter) {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var trimmed = text
        while trimmed.last == "=" { trimmed.removeLast() }
        for (offset, scalar) in trimmed.unicodeScalars.enumerated() {
            guard let value = Self.sextet(scalar) else {
                throw InvalidCharacter(character: Character(scalar), position: offset)
            }
            values.append(value)
        }
        sextets = values
    }

    private static func sextet(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x41...0x5A: return UInt8(scalar.value - 0x41)  // A-Z
        case 0x61...0x7A: return UInt8(scalar.value - 0x61 + 26)  // a-z
        case 0x30...0x39: return UInt8(scalar.value - 0x30 + 52)  // 0-9
        case 0x2D, 0x2B: return 62  // - (URL) or + (standard)
        case 0x5F, 0x2F: return 63  // _ (URL) or / (standard)
        default: return nil
        }
    }

    private func bit(at index: Int) -> Bool {
        let sextet = sextets[index / 6]
        return (sextet >> UInt8(5 - index % 6)) & 1 == 1
    }

    /// Reads an unsigned big-endian integer of `width` bits (at most 62).
    mutating func readInt(_ width: Int) throws(Failure) -> Int {
        precondition(width >= 0 && width <= 62, "field width out of range")
        guard width <= remaining else { throw .outOfBits(atBit: position) }
        var value = 0
        for index in position..<(position + width) {
            value = value << 1 | (bit(at: index) ? 1 : 0)
        }
        position += width
        return value
    }

    /// Reads one bit as a Boolean (`1` is `true`).
    mutating func readBool() throws(Failure) -> Bool {
        try readInt(1) == 1
    }

    /// Reads `count` bits as the set of 1-based indexes whose bit is set.
    mutating func readBitSet(_ count: Int) throws(Failure) -> Set<Int> {
        guard count <= remaining else { throw .outOfBits(atBit: position) }
        var set = Set<Int>()
        for offset in 0..<count where bit(at: position + offset) {
            set.insert(offset + 1)
        }
        position += count
        return set
    }

    /// Reads a Fibonacci-coded positive integer (GPP): bits weighted 1, 2, 3,
    /// 5, 8, … terminated by two consecutive `1` bits.
    mutating func readFibonacci() throws(Failure) -> Int {
        let start = position
        var value = 0
        var previous = 1
        var current = 1  // weights: F(2) = 1, F(3) = 2, …
        var lastBit = false
        var length = 0
        while true {
            guard position < bitCount else { throw .outOfBits(atBit: position) }
            let bit = bit(at: position)
            position += 1
            if bit && lastBit { return value }
            guard length < 64 else { throw .fibonacciOverflow(atBit: start) }
            if bit { value += current }
            (previous, current) = (current, previous + current)
            lastBit = bit
            length += 1
        }
    }

    /// Skips `count` bits.
    mutating func skip(_ count: Int) throws(Failure) {
        guard count <= remaining else { throw .outOfBits(atBit: position) }
        position += count
    }
}
