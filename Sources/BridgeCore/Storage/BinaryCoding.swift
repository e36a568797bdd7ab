/// Appends the fields of a stored record as bytes: unsigned LEB128 integers,
/// length-prefixed UTF-8 strings and byte strings, one byte per flag. Used by
/// the outbox records (`StoredEventCodec`, `PreparedDeliveryRecord`), which
/// start with a format byte so that older rows (JSON, starting with `{`) are
/// still read.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(format: UInt8, capacity: Int = 256) {
        bytes = [format]
        bytes.reserveCapacity(capacity)
    }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// An unsigned LEB128 integer.
    public mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A signed integer, zigzag-encoded.
    public mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A string that may be absent (one flag byte, then the string).
    public mutating func optionalString(_ value: String?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        string(value)
    }

    public mutating func data(_ value: some Collection<UInt8>) {
        unsigned(UInt64(value.count))
        bytes.append(contentsOf: value)
    }
}

/// Reads what `BinaryWriter` wrote; every read checks the bounds.
public struct BinaryReader: Sendable {
    private let bytes: [UInt8]
    private var position: Int

    /// Why a stored record could not be read.
    public struct Truncated: Error, Sendable, Equatable, CustomStringConvertible {
        public let offset: Int
        public var description: String { "record truncated or malformed at byte \(offset)" }
    }

    /// Reads `bytes` after their format byte.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 1
    }

    public var isAtEnd: Bool { position >= bytes.count }

    /// What is left to read.
    public var remaining: ArraySlice<UInt8> { bytes[min(position, bytes.count)...] }

    public mutating func byte() throws(Truncated) -> UInt8 {
        guard position < bytes.count else { throw Truncated(offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func bool() throws(Truncated) -> Bool { try byte() != 0 }

    public mutating func unsigned() throws(Truncated) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Truncated(offset: position) }
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    public mutating func signed() throws(Truncated) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A count or length, bounded by what is left to read.
    public mutating func count() throws(Truncated) -> Int {
        let value = try unsigned()
        guard value <= UInt64(bytes.count - min(position, bytes.count)) else { throw Truncated(offset: position) }
        return Int(value)
    }

    public mutating func data() throws(Truncated) -> ArraySlice<UInt8> {
        let length = try count()
        defer { position += length }
        return bytes[position..<(position + length)]
    }

    public mutating func string() throws(Truncated) -> String {
        String(decoding: try data(), as: UTF8.self)
    }

    public mutating func optionalString() throws(Truncated) -> String? {
        try byte() == 0 ? nil : try string()
    }
}
